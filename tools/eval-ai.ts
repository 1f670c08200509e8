import { writeFileSync } from 'node:fs';
import { SECTIONS, runEvaluation } from './eval-similar/run.js';

const USAGE = `usage: npm run eval:ai -- <dataDir> [--sections retrieval,hnsw,meaning,dims] [--hnsw-sizes 10000,100000] [--queries 200] [--dims 96,128,256] [--candidates 200,400] [--dims-size 20000] [--variants] [--vectors a.json,b.json] [--json file]`;

/**
 * `npm run eval:ai -- <dataDir>` (docs/AI.md, "The evaluation data"): prints the evaluation tables (markdown) to
 * stdout, progress to stderr.
 */
async function main(argv: string[]): Promise<void> {
  const args = [...argv];
  let dir: string | undefined;
  const options: Parameters<typeof runEvaluation>[1] = { log: (line) => process.stderr.write(`${line}\n`) };
  let json: string | undefined;
  while (args.length) {
    const arg = args.shift()!;
    const value = () => {
      const v = args.shift();
      if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === '--sections') {
      options.sections = value().split(',');
      const unknown = options.sections.filter((s) => !SECTIONS.some((x) => x.name === s));
      if (unknown.length)
        throw new Error(`unknown section ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}`);
    } else if (arg === '--hnsw-sizes')
      options.hnswSizes = value()
        .split(',')
        .map((s) => positiveInt(s, arg));
    else if (arg === '--queries') options.hnswQueries = positiveInt(value(), arg);
    else if (arg === '--dims')
      options.dims = value()
        .split(',')
        .map((s) => positiveInt(s, arg));
    else if (arg === '--candidates')
      options.dimsCandidates = value()
        .split(',')
        .map((s) => positiveInt(s, arg));
    else if (arg === '--dims-size') options.dimsSize = positiveInt(value(), arg);
    else if (arg === '--variants') options.variants = true;
    else if (arg === '--vectors') options.vectorFiles = value().split(',');
    else if (arg === '--json') json = value();
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else if (!dir) dir = arg;
    else throw new Error(USAGE);
  }
  if (!dir) throw new Error(USAGE);
  const report = await runEvaluation(dir, options);
  process.stdout.write(report.markdown);
  if (json) writeFileSync(json, JSON.stringify({ model: report.model, metrics: report.metrics }, null, 2) + '\n');
}

function positiveInt(s: string, name: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} takes positive integers, not ${s}`);
  return n;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
