/**
 * The severity-classification evaluation: `npm run eval:classify -- <dataDir> [--json]` (after `npm run build`).
 * See src/ai/evaluation/classification-eval.ts for the protocol and docs/AI.md for the numbers.
 */
import { evaluateClassification, formatClassificationEvaluation } from './eval-classify/classification-eval.js';
import { SHIPPED_PRIOR } from '../src/ai/classify/shipped-prior.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dataDir = args.find((a) => !a.startsWith('--'));
  if (!dataDir) {
    console.error('usage: npm run eval:classify -- <dataDir> [--json]');
    process.exit(2);
  }
  const evaluation = await evaluateClassification(dataDir, { shippedPrior: SHIPPED_PRIOR });
  console.log(args.includes('--json') ? JSON.stringify(evaluation, null, 2) : formatClassificationEvaluation(evaluation));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
