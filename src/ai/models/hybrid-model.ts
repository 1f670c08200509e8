import { LEXICAL_V1, LexicalModel, LexicalOptions, tokenize } from './lexical-model.js';
import type { SparseVector } from './sparse-vector.js';
import { WordVectors } from './word-vectors.js';

export interface HybridOptions {
  /** Weight of the semantic part against the lexical part (each unit length before they are joined). */
  semantic: number;
}

/**
 * The lexical vector of argus-lexical-v1 joined with a dense semantic vector (the SIF-weighted average of the text's
 * word vectors, common direction removed) in the first `dims` buckets of the same 2^16 space:
 * `[s · semantic ; lexical] / √(1 + s²)`. Everything downstream (stored bytea rows, IDF-weighted cosine, the 256-d
 * dense projection for HNSW) is unchanged; the reserved buckets have IDF ≈ 1, since nearly every text has them.
 */
export class HybridModel extends LexicalModel {
  private readonly scratch: Float32Array;

  constructor(
    readonly vectors: WordVectors,
    readonly hybrid: HybridOptions,
    name: string,
    options: LexicalOptions = LEXICAL_V1,
  ) {
    super(options, name, reservedFor(vectors.dims));
    this.scratch = new Float32Array(vectors.dims);
  }

  override sparse(text: string, service: string | null = null): SparseVector {
    const lexical = super.sparse(text, service);
    let tokens = tokenize(text);
    if (tokens.length > this.options.maxTokens) tokens = tokens.slice(0, this.options.maxTokens);
    const semantic = this.vectors.embed(tokens, this.scratch);
    let known = 0;
    for (let j = 0; j < semantic.length; j++) if (semantic[j] !== 0) known++;
    if (known === 0 || this.hybrid.semantic <= 0) return lexical;
    const n = lexical.idx.length;
    const idx = new Uint16Array(known + n);
    const val = new Float32Array(known + n);
    const inv = 1 / Math.sqrt(1 + this.hybrid.semantic * this.hybrid.semantic);
    let k = 0;
    for (let j = 0; j < semantic.length; j++) {
      if (semantic[j] === 0) continue;
      idx[k] = j;
      val[k++] = semantic[j] * this.hybrid.semantic * inv;
    }
    for (let i = 0; i < n; i++) {
      idx[k] = lexical.idx[i];
      val[k++] = lexical.val[i] * inv;
    }
    return { idx, val };
  }
}

/** The reserved bucket range: the semantic dimensions, rounded up to a power of two. */
export function reservedFor(dims: number): number {
  let r = 1;
  while (r < dims) r <<= 1;
  return r;
}
