/**
 * A sparse vector over the 2^16 hashed feature buckets: bucket indices (ascending, so two vectors meet in one merge
 * pass) and their weights. Stored in PostgreSQL as bytea: n little-endian uint16 indices, then n float32 weights.
 */
export interface SparseVector {
  idx: Uint16Array;
  val: Float32Array;
}

export const EMPTY_SPARSE: SparseVector = { idx: new Uint16Array(0), val: new Float32Array(0) };

export function sparseDot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  const ai = a.idx;
  const bi = b.idx;
  while (i < ai.length && j < bi.length) {
    const x = ai[i];
    const y = bi[j];
    if (x === y) sum += a.val[i++] * b.val[j++];
    else if (x < y) i++;
    else j++;
  }
  return sum;
}

export function sparseNorm(a: SparseVector): number {
  let sum = 0;
  for (let i = 0; i < a.val.length; i++) sum += a.val[i] * a.val[i];
  return Math.sqrt(sum);
}

/**
 * Cosine after re-weighting every bucket by `weights` (an IDF): Σ q·d·w² / (‖q∘w‖·‖d∘w‖). `weights` is looked up per
 * bucket, so a changing document frequency never makes stored vectors stale.
 */
export function weightedCosine(a: SparseVector, b: SparseVector, weights: Float32Array, aNorm?: number): number {
  return weightedCosineOf(a, b.idx, b.val, 0, b.idx.length, weights, aNorm ?? weightedNorm(a, weights));
}

/** weightedCosine with `b` given as the entries `from` to `to` of two arrays (a slice of a pool, without a view). */
export function weightedCosineOf(
  a: SparseVector,
  bIdx: Uint16Array,
  bVal: Float32Array,
  from: number,
  to: number,
  weights: Float32Array,
  aNorm: number,
): number {
  let nb = 0;
  for (let j = from; j < to; j++) {
    const v = bVal[j] * weights[bIdx[j]];
    nb += v * v;
  }
  if (aNorm === 0 || nb === 0) return 0;
  let i = 0;
  let j = from;
  let sum = 0;
  while (i < a.idx.length && j < to) {
    const x = a.idx[i];
    const y = bIdx[j];
    if (x === y) {
      const w = weights[x];
      sum += a.val[i++] * bVal[j++] * w * w;
    } else if (x < y) i++;
    else j++;
  }
  return sum / (aNorm * Math.sqrt(nb));
}

export function weightedNorm(a: SparseVector, weights: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.idx.length; i++) {
    const v = a.val[i] * weights[a.idx[i]];
    sum += v * v;
  }
  return Math.sqrt(sum);
}

export function encodeSparse(v: SparseVector): Buffer {
  const n = v.idx.length;
  const buf = Buffer.alloc(n * 6);
  for (let i = 0; i < n; i++) buf.writeUInt16LE(v.idx[i], i * 2);
  for (let i = 0; i < n; i++) buf.writeFloatLE(v.val[i], n * 2 + i * 4);
  return buf;
}

export function decodeSparse(buf: Buffer | Uint8Array): SparseVector {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf);
  if (b.length % 6 !== 0) throw new Error(`A stored sparse vector has ${b.length} bytes, not a multiple of 6`);
  const n = b.length / 6;
  const idx = new Uint16Array(n);
  const val = new Float32Array(n);
  for (let i = 0; i < n; i++) idx[i] = b.readUInt16LE(i * 2);
  for (let i = 0; i < n; i++) val[i] = b.readFloatLE(n * 2 + i * 4);
  return { idx, val };
}

/** Decodes a stored vector into the given arrays (at least its length long); returns its number of entries. */
export function decodeSparseInto(b: Buffer, idx: Uint16Array, val: Float32Array): number {
  if (b.length % 6 !== 0) throw new Error(`A stored sparse vector has ${b.length} bytes, not a multiple of 6`);
  const n = b.length / 6;
  for (let i = 0; i < n; i++) idx[i] = b.readUInt16LE(i * 2);
  for (let i = 0; i < n; i++) val[i] = b.readFloatLE(n * 2 + i * 4);
  return n;
}
