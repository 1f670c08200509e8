import { tokenize } from '../../src/ai/models/lexical-model.js';

/**
 * The plain baseline: TF-IDF over word unigrams (raw counts × smoothed IDF, L2-normalised, scikit-learn's defaults),
 * fitted on the documents it ranks, cosine by exact search.
 */
export class TfIdfBaseline {
  private readonly vectors: Array<Map<string, number>>;

  constructor(documents: string[]) {
    const tokenized = documents.map(tokenize);
    const df = new Map<string, number>();
    for (const tokens of tokenized) for (const t of new Set(tokens)) df.set(t, (df.get(t) ?? 0) + 1);
    const n = documents.length;
    const idf = new Map<string, number>();
    for (const [t, d] of df) idf.set(t, Math.log((1 + n) / (1 + d)) + 1);
    this.vectors = tokenized.map((tokens) => {
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      let norm = 0;
      for (const [t, c] of tf) {
        const v = c * idf.get(t)!;
        tf.set(t, v);
        norm += v * v;
      }
      norm = Math.sqrt(norm) || 1;
      for (const [t, v] of tf) tf.set(t, v / norm);
      return tf;
    });
  }

  similarity(a: number, b: number): number {
    const [x, y] =
      this.vectors[a].size < this.vectors[b].size
        ? [this.vectors[a], this.vectors[b]]
        : [this.vectors[b], this.vectors[a]];
    let sum = 0;
    for (const [t, v] of x) {
      const w = y.get(t);
      if (w !== undefined) sum += v * w;
    }
    return sum;
  }
}
