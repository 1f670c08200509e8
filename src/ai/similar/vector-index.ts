import { HierarchicalNSW } from 'hnswlib-node';
import { DENSE_DIM, LexicalModel, SPARSE_DIM } from '../embeddings/lexical-model.js';
import type { SparseVector } from '../embeddings/sparse-vector.js';

/** One incident as the index keeps it: enough to score a match without touching the database. */
export interface IndexedIncident {
  id: string;
  sparse: SparseVector;
  /** started_at, ms since the epoch. */
  startedAt: number;
  serviceId: string | null;
}

export interface VectorIndexOptions {
  /** HNSW graph degree. */
  m: number;
  efConstruction: number;
  /** Search breadth; raised to k when a search asks for more. Not saved by hnswlib: set after every (re)build. */
  ef: number;
  initialCapacity: number;
}

export const DEFAULT_INDEX_OPTIONS: VectorIndexOptions = { m: 16, efConstruction: 100, ef: 128, initialCapacity: 64 };

/**
 * The similar-incident index of one organization: an hnswlib HNSW graph over the 512-d dense projections (inner
 * product of unit vectors = cosine) for candidates, the sparse vectors for the final order, started_at and service
 * for the duplicate signal, and document frequencies per bucket for the IDF. Pure memory; the database is the source
 * of truth and SimilarIncidentsService fills and follows it.
 *
 * Labels are never reused for another incident: an update re-adds the vector under the same label (hnswlib updates a
 * live label in place), a delete marks the label deleted, and a new incident takes a fresh label and may reuse a
 * deleted slot (allowReplaceDeleted), so deletes do not make the graph grow without bound; it is resized (doubled)
 * only when every slot holds a live point.
 */
export class VectorIndex {
  private readonly hnsw: HierarchicalNSW;
  private readonly labelOf = new Map<string, number>();
  private readonly byLabel = new Map<number, number>();
  private nextLabel = 0;
  private deletedSlots = 0;
  /** Live entries, packed: slot → entry, with started_at alongside for a tight time-window scan. */
  private readonly entries: IndexedIncident[] = [];
  private startedAt = new Float64Array(1024);
  private readonly slotOf = new Map<string, number>();
  private readonly df = new Uint32Array(SPARSE_DIM);
  private idf = new Float32Array(SPARSE_DIM);
  private idfDirty = true;
  private readonly scratch = new Float32Array(DENSE_DIM);

  constructor(
    readonly model: LexicalModel,
    readonly options: VectorIndexOptions = DEFAULT_INDEX_OPTIONS,
  ) {
    this.hnsw = new HierarchicalNSW('ip', DENSE_DIM);
    this.hnsw.initIndex({ maxElements: Math.max(16, options.initialCapacity), m: options.m, efConstruction: options.efConstruction, randomSeed: 100, allowReplaceDeleted: true });
    this.hnsw.setEf(options.ef);
  }

  get size(): number {
    return this.entries.length;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  get(id: string): IndexedIncident | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.entries[slot];
  }

  /** Adds an incident, or replaces its vector, time and service. */
  upsert(entry: IndexedIncident): void {
    const dense = Array.from(this.model.dense(entry.sparse, this.scratch));
    const slot = this.slotOf.get(entry.id);
    if (slot !== undefined) {
      this.count(this.entries[slot].sparse, -1);
      this.entries[slot] = entry;
      this.startedAt[slot] = entry.startedAt;
      this.count(entry.sparse, 1);
      // A live label: hnswlib updates the point in place (never with replaceDeleted, which would remap the label).
      this.hnsw.addPoint(dense, this.labelOf.get(entry.id)!, false);
      return;
    }
    if (this.deletedSlots === 0 && this.hnsw.getCurrentCount() >= this.hnsw.getMaxElements()) {
      this.hnsw.resizeIndex(this.hnsw.getMaxElements() * 2);
      this.hnsw.setEf(this.options.ef);
    }
    const label = this.nextLabel++;
    this.hnsw.addPoint(dense, label, this.deletedSlots > 0);
    if (this.deletedSlots > 0) this.deletedSlots--;
    this.labelOf.set(entry.id, label);
    this.byLabel.set(label, this.entries.length);
    this.slotOf.set(entry.id, this.entries.length);
    if (this.entries.length >= this.startedAt.length) {
      const grown = new Float64Array(this.startedAt.length * 2);
      grown.set(this.startedAt);
      this.startedAt = grown;
    }
    this.startedAt[this.entries.length] = entry.startedAt;
    this.entries.push(entry);
    this.count(entry.sparse, 1);
  }

  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const label = this.labelOf.get(id)!;
    this.hnsw.markDelete(label);
    this.deletedSlots++;
    this.count(this.entries[slot].sparse, -1);
    // Swap-remove keeps the entries packed.
    const last = this.entries.length - 1;
    const moved = this.entries[last];
    this.entries[slot] = moved;
    this.startedAt[slot] = this.startedAt[last];
    this.slotOf.set(moved.id, slot);
    this.byLabel.set(this.labelOf.get(moved.id)!, slot);
    this.entries.pop();
    this.slotOf.delete(id);
    this.labelOf.delete(id);
    this.byLabel.delete(label);
    return true;
  }

  /** The k nearest live incidents by the dense projection (approximate, HNSW). */
  nearest(sparse: SparseVector, k: number): IndexedIncident[] {
    const n = Math.min(k, this.entries.length);
    if (n <= 0) return [];
    const ef = Math.max(this.options.ef, n);
    if (this.hnsw.getEf() !== ef) this.hnsw.setEf(ef);
    const result = this.hnsw.searchKnn(Array.from(this.model.dense(sparse, this.scratch)), n);
    const found: IndexedIncident[] = [];
    for (const label of result.neighbors) {
      const slot = this.byLabel.get(label);
      if (slot !== undefined) found.push(this.entries[slot]);
    }
    return found;
  }

  /** Live incidents that started within `windowMs` of `at`, the nearest in time first, at most `max`. */
  startedNear(at: number, windowMs: number, max: number): IndexedIncident[] {
    const hits: Array<[number, number]> = [];
    const times = this.startedAt;
    for (let slot = 0; slot < this.entries.length; slot++) {
      const d = Math.abs(times[slot] - at);
      if (d <= windowMs) hits.push([d, slot]);
    }
    if (hits.length > max) hits.sort((a, b) => a[0] - b[0]).length = max;
    return hits.map(([, slot]) => this.entries[slot]);
  }

  /** Every live incident (for exact search in the evaluation). */
  all(): readonly IndexedIncident[] {
    return this.entries;
  }

  /** IDF per bucket from this organization's own document frequencies: ln((N + 1) / (df + 1)) + 1. */
  idfWeights(): Float32Array {
    if (this.idfDirty) {
      const logN = Math.log(this.entries.length + 1);
      for (let b = 0; b < SPARSE_DIM; b++) this.idf[b] = logN - Math.log(this.df[b] + 1) + 1;
      this.idfDirty = false;
    }
    return this.idf;
  }

  private count(v: SparseVector, delta: 1 | -1): void {
    for (let i = 0; i < v.idx.length; i++) this.df[v.idx[i]] += delta;
    this.idfDirty = true;
  }
}
