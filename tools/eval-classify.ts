/**
 * The severity-classification evaluation: `npm run eval:classify -- <dataDir> [--json] [--offline] [--validation]`.
 * See eval-classify/classification-eval.ts for the protocol and docs/AI.md for the numbers.
 */
import { evaluateClassification, formatClassificationEvaluation } from './eval-classify/classification-eval.js';
import { SHIPPED_PRIOR } from '../src/ai/classify/shipped-prior.js';
import { evalDatabaseUrl } from './eval-classify/served-eval.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dataDir = args.find((a) => !a.startsWith('--'));
  if (!dataDir) {
    console.error('usage: npm run eval:classify -- <dataDir> [--json] [--offline] [--validation]');
    process.exit(2);
  }
  // The served path needs PostgreSQL; --offline skips it, and the validation folds are offline.
  const validation = args.includes('--validation');
  const servedDatabaseUrl = args.includes('--offline') || validation ? undefined : evalDatabaseUrl();
  const evaluation = await evaluateClassification(dataDir, {
    shippedPrior: SHIPPED_PRIOR,
    servedDatabaseUrl,
    validation,
  });
  console.log(
    args.includes('--json') ? JSON.stringify(evaluation, null, 2) : formatClassificationEvaluation(evaluation),
  );
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
