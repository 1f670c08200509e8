import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluatePostmortems, formatReport, RealPostmortem } from './eval-postmortems/postmortem-eval.js';

/**
 * `npm run eval:postmortems -- <dataDir>`: scores the embedded postmortem drafter on <dataDir>/postmortems-dev.jsonl
 * beside a baseline that copies the description (see src/ai/postmortem/postmortem-eval.ts). `--json` prints the report
 * as JSON. Runs from dist/ after a build.
 */
function main(argv: string[]): void {
  const json = argv.includes('--json');
  const dir = argv.find((a) => !a.startsWith('--'));
  if (!dir) {
    process.stderr.write(
      'usage: npm run eval:postmortems -- <dataDir> [--json]   (reads <dataDir>/postmortems-dev.jsonl)\n',
    );
    process.exit(2);
  }
  const file = join(resolve(dir), 'postmortems-dev.jsonl');
  const records = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as RealPostmortem);
  const report = evaluatePostmortems(records);
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
}

main(process.argv.slice(2));
