/**
 * Rebuilds the day-one severity prior, src/ai/models/severity-prior.json, from the GitHub records of the evaluation
 * data (the only ones whose licence allows shipping what is learned from them):
 *
 *   npm run build:tools && node dist-tools/tools/build-severity-prior.js <dataDir> [output.json]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { priorFromFile } from './eval-classify/build-prior.js';

const [dataDir, output = 'src/ai/models/severity-prior.json'] = process.argv.slice(2);
if (!dataDir) {
  console.error('usage: node dist-tools/tools/build-severity-prior.js <dataDir> [output.json]');
  process.exit(2);
}
const artefact = priorFromFile(join(dataDir, 'incidents-dev.jsonl'));
// One line per cue, so that a rebuild reads as a small diff.
const json = JSON.stringify(artefact, null, 1).replace(
  /\[\s+([^\]]*?)\s+\]/g,
  (_m, inner: string) => `[${inner.replace(/\s+/g, ' ')}]`,
);
writeFileSync(output, `${json}\n`);
console.log(
  `wrote ${output}: ${String(artefact.provenance.data)}; calibration a=${artefact.calibration.a} b=${artefact.calibration.b}`,
);
