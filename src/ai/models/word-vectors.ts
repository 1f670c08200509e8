/**
 * Compact word vectors: a vocabulary, one int8 row per word with its own scale, and a SIF weight per word
 * (a / (a + p(word)): frequent words count little). Built at build time by src/scripts/build-word-vectors.ts into a
 * small committed JSON artefact (src/ai/models/); nothing is downloaded at run time.
 */
export interface WordVectorsArtefact {
  name: string;
  /** Where the vectors come from, and their licence. */
  provenance: string;
  licence: string;
  dims: number;
  /** Most frequent first. */
  words: string[];
  /** SIF weight per word (same order). */
  weights: number[];
  /** Per-row scale: the row's floats are int8 × scale. */
  scales: number[];
  /** base64 of words.length × dims int8 values, row-major. */
  vectors: string;
  /** The common direction of sentence vectors (SIF's first principal component), removed from every text vector. */
  common: number[] | null;
}

export class WordVectors {
  readonly name: string;
  readonly dims: number;
  private readonly rows = new Map<string, number>();
  private readonly matrix: Float32Array;
  private readonly weights: Float32Array;
  private readonly common: Float32Array | null;

  constructor(artefact: WordVectorsArtefact) {
    this.name = artefact.name;
    this.dims = artefact.dims;
    const raw = Buffer.from(artefact.vectors, 'base64');
    const n = artefact.words.length;
    if (raw.length !== n * this.dims)
      throw new Error(`word vectors ${artefact.name}: ${raw.length} bytes for ${n} × ${this.dims}`);
    const int8 = new Int8Array(raw.buffer, raw.byteOffset, raw.length);
    // Rows are pre-multiplied by their SIF weight and scale: a text vector is then a plain sum.
    this.matrix = new Float32Array(n * this.dims);
    this.weights = Float32Array.from(artefact.weights);
    for (let r = 0; r < n; r++) {
      this.rows.set(artefact.words[r], r);
      const f = artefact.scales[r] * artefact.weights[r];
      for (let j = 0; j < this.dims; j++) this.matrix[r * this.dims + j] = int8[r * this.dims + j] * f;
    }
    this.common = artefact.common ? Float32Array.from(artefact.common) : null;
  }

  get size(): number {
    return this.rows.size;
  }

  has(word: string): boolean {
    return this.rows.has(word);
  }

  /** The SIF weight of a word, 0 when it is not in the vocabulary. */
  weight(word: string): number {
    const r = this.rows.get(word);
    return r === undefined ? 0 : this.weights[r];
  }

  /** The (unweighted) vector of a word, or null. */
  vector(word: string): Float32Array | null {
    const r = this.rows.get(word);
    if (r === undefined) return null;
    const out = this.matrix.slice(r * this.dims, (r + 1) * this.dims);
    const w = this.weights[r];
    if (w > 0) for (let j = 0; j < this.dims; j++) out[j] /= w;
    return out;
  }

  /**
   * The SIF vector of a text: the weighted average of its known words' vectors, with the common direction removed,
   * L2-normalised. Zeros when no word is known. `out` is overwritten.
   */
  embed(tokens: readonly string[], out: Float32Array = new Float32Array(this.dims)): Float32Array {
    out.fill(0);
    const d = this.dims;
    let known = 0;
    for (const token of tokens) {
      const r = this.rows.get(token);
      if (r === undefined) continue;
      known++;
      const base = r * d;
      for (let j = 0; j < d; j++) out[j] += this.matrix[base + j];
    }
    if (known === 0) return out;
    if (this.common) {
      let p = 0;
      for (let j = 0; j < d; j++) p += out[j] * this.common[j];
      for (let j = 0; j < d; j++) out[j] -= p * this.common[j];
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += out[j] * out[j];
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let j = 0; j < d; j++) out[j] *= inv;
    }
    return out;
  }
}

/** Quantizes float rows to int8 with a scale per row (max |x| → 127). */
export function quantizeRows(rows: Float32Array[], dims: number): { vectors: string; scales: number[] } {
  const bytes = Buffer.alloc(rows.length * dims);
  const scales: number[] = [];
  rows.forEach((row, r) => {
    let max = 0;
    for (let j = 0; j < dims; j++) max = Math.max(max, Math.abs(row[j]));
    const scale = max > 0 ? max / 127 : 1;
    scales.push(Number(scale.toPrecision(6)));
    for (let j = 0; j < dims; j++) bytes.writeInt8(Math.round(row[j] / scale), r * dims + j);
  });
  return { vectors: bytes.toString('base64'), scales };
}
