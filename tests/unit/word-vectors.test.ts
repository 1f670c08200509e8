import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HybridModel, reservedFor } from '../../src/ai/models/hybrid-model';
import { DENSE_DIM, LexicalModel, SPARSE_DIM } from '../../src/ai/models/lexical-model';
import { sparseNorm, weightedCosine } from '../../src/ai/models/sparse-vector';
import {
  DEFAULT_COOC,
  WinkEmbeddings,
  jacobiEigen,
  pruneWink,
  trainCooccurrence,
  vocabularyWord,
} from '../../tools/train-word-vectors';
import { WordVectors } from '../../src/ai/models/word-vectors';
import { githubCorpus } from '../../tools/eval-similar/github-corpus';

const META = { name: 'test-cooc', provenance: 'synthetic', licence: 'test' };

/** A synthetic corpus in which "db" and "database" are used in the same contexts, and "certificate" in others. */
function corpus(): string[] {
  const texts: string[] = [];
  const storage = ['db', 'database'];
  const contexts = [
    'queries slow primary replica lag',
    'connections exhausted primary failover',
    'replica lag write latency queries',
  ];
  const tls = [
    'certificate expired renewal browser warning',
    'certificate chain invalid renewal handshake',
    'browser warning handshake expired',
  ];
  for (let i = 0; i < 40; i++) {
    texts.push(`${storage[i % 2]} ${contexts[i % 3]}`);
    texts.push(`certificate ${tls[i % 3]}`);
    texts.push(`webhook deliveries delayed queue backlog ${i % 5 === 0 ? 'db' : ''}`);
  }
  return texts;
}

const cosine = (a: Float32Array, b: Float32Array) =>
  a.reduce((s, v, i) => s + v * b[i], 0) / (Math.hypot(...a) * Math.hypot(...b));

describe('word vectors (PPMI + SVD, int8 artefact)', () => {
  const artefact = trainCooccurrence(corpus(), { ...DEFAULT_COOC, dims: 8, minCount: 2 }, META);
  const vectors = new WordVectors(artefact);

  it('is deterministic and has the dimension it was asked for', () => {
    const again = trainCooccurrence(corpus(), { ...DEFAULT_COOC, dims: 8, minCount: 2 }, META);
    expect(again).toEqual(artefact);
    expect(vectors.dims).toBe(8);
    expect(Buffer.from(artefact.vectors, 'base64')).toHaveLength(artefact.words.length * 8);
    expect(artefact.words).toContain('database');
    expect(artefact.words.every(vocabularyWord)).toBe(true);
  });

  it('puts words used in the same contexts closer than unrelated words', () => {
    const db = vectors.vector('db')!;
    expect(cosine(db, vectors.vector('database')!)).toBeGreaterThan(cosine(db, vectors.vector('certificate')!) + 0.3);
  });

  it('embeds a text as a unit vector, and nothing known as zeros', () => {
    const v = vectors.embed(['database', 'replica', 'lag']);
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    expect(Array.from(vectors.embed(['zzz', 'qqq'])).every((x) => x === 0)).toBe(true);
    expect(vectors.weight('database')).toBeGreaterThan(0);
    expect(vectors.weight('zzz')).toBe(0);
  });

  it('survives a JSON round trip (the committed form)', () => {
    const copy = new WordVectors(JSON.parse(JSON.stringify(artefact)));
    expect(Array.from(copy.embed(['db', 'slow']))).toEqual(Array.from(vectors.embed(['db', 'slow'])));
  });

  it('diagonalises a symmetric matrix (the SVD finish)', () => {
    const { values, vectors: v } = jacobiEigen([
      [2, 1],
      [1, 2],
    ]);
    expect([...values].sort()).toEqual([expect.closeTo(1, 8), expect.closeTo(3, 8)]);
    const i = values[0] > values[1] ? 0 : 1;
    expect(Math.abs(v[0][i])).toBeCloseTo(Math.SQRT1_2, 8);
  });
});

describe('pruning a wink embedding set', () => {
  const wink: WinkEmbeddings = {
    dimensions: 3,
    words: ['the', ',', 'data', 'server', 'Paris', 'outage', 'latency', 'zebra'],
    vectors: {
      the: [1, 0, 0],
      ',': [0, 1, 0],
      data: [0.5, 0.5, 0],
      server: [0.4, 0.6, 0],
      Paris: [0, 0, 1],
      outage: [0.1, 0.2, 0.9],
      latency: [0.3, 0.3, 0.3],
      zebra: [0, 0.2, 0.1],
    },
  };

  it("keeps the package's most frequent usable words in its order, plus the domain's rarer ones, quantized", () => {
    const pruned = pruneWink(wink, 2, new Set(['latency']), () => null);
    expect(pruned.words).toEqual(['data', 'server', 'latency']);
    expect(pruned.weights[0]).toBeLessThan(pruned.weights[2]);
    expect(pruned.licence).toContain('PDDL');
    const v = new WordVectors(pruned).vector('server')!;
    expect(v[0]).toBeCloseTo(0.4, 2);
    expect(v[1]).toBeCloseTo(0.6, 2);
  });
});

describe('the hybrid embedding (lexical + semantic buckets)', () => {
  const vectors = new WordVectors(trainCooccurrence(corpus(), { ...DEFAULT_COOC, dims: 8, minCount: 2 }, META));
  const model = new HybridModel(vectors, { semantic: 1 }, 'test-hybrid');
  const ones = new Float32Array(SPARSE_DIM).fill(1);
  const cos = (a: string, b: string, m: LexicalModel = model) => weightedCosine(m.sparse(a), m.sparse(b), ones);

  it('is deterministic, unit length, with the semantic part in the reserved buckets only', () => {
    const text = 'db replica lag on the primary';
    const a = model.sparse(text);
    expect(Array.from(new HybridModel(vectors, { semantic: 1 }, 'x').sparse(text).val)).toEqual(Array.from(a.val));
    expect(sparseNorm(a)).toBeCloseTo(1, 5);
    const reserved = reservedFor(8);
    expect(
      Array.from(a.idx)
        .filter((b) => b < reserved)
        .every((b) => b < 8),
    ).toBe(true);
    expect(Array.from(a.idx).filter((b) => b >= reserved).length).toBe(new LexicalModel().sparse(text).idx.length);
    for (let i = 1; i < a.idx.length; i++) expect(a.idx[i]).toBeGreaterThan(a.idx[i - 1]);
    expect(model.dense(a)).toHaveLength(DENSE_DIM);
  });

  it('brings texts that share meaning but no word closer than unrelated texts, where the lexical model cannot', () => {
    const query = 'database queries';
    const near = 'db lag';
    const far = 'certificate renewal';
    expect(cos(query, near, new LexicalModel())).toBe(0);
    expect(cos(query, near)).toBeGreaterThan(cos(query, far) + 0.2);
  });

  it('falls back to the lexical vector when no word is known', () => {
    const v = model.sparse('zzz qqq');
    expect(Array.from(v.idx).every((b) => b >= reservedFor(8))).toBe(true);
    expect(sparseNorm(v)).toBeCloseTo(1, 5);
  });

  it('loads the domain corpus of GitHub records only, before a cutoff', () => {
    const dir = join(__dirname, '..', 'fixtures', 'ai');
    const all = githubCorpus(dir, null);
    const early = githubCorpus(dir, new Date('2022-02-01T00:00:00Z'));
    expect(all.length).toBeGreaterThan(early.length);
  });

  it('is built by a committed script that needs no network for the domain vectors', async () => {
    const root = join(__dirname, '..', '..');
    const out = join(require('node:os').tmpdir(), `argus-cooc-${process.pid}.json`);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(root, 'dist-tools', 'tools', 'build-word-vectors.js'),
        'cooc',
        join(root, 'tests', 'fixtures', 'ai'),
        '--out',
        out,
      ],
      { cwd: root },
    );
    expect(stdout).toContain('words × 64 dims');
    rmSync(out);
  });
});
