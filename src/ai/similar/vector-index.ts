import { HierarchicalNSW } from 'hnswlib-node';
import { LexicalModel, SPARSE_DIM } from '../models/lexical-model.js';
import { SparseVector, weightedCosineOf } from '../models/sparse-vector.js';

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

const NO_LABEL = -1;

/**
 * The similar-incident index of one organization: an hnswlib HNSW graph over the model's dense projections (inner
 * product of unit vectors = cosine; `model.denseDim`, 192 by default) for candidates, the sparse vectors for the final
 * order, started_at and service
 * for the duplicate signal, and document frequencies per bucket for the IDF. Pure memory; the database is the source
 * of truth and SimilarIncidentsService fills and follows it.
 *
 * Stored column-wise (docs/PERFORMANCE.md, "Memory"): per slot an id, a start time, a service number and a label,
 * and the sparse vectors of all slots in two pooled typed arrays, so an incident costs ≈ 6 bytes per non-zero plus
 * ≈ 100 bytes, not a JavaScript object with two typed arrays of its own (≈ 1 KB).
 *
 * An entry can be in the index before it is in the graph (`load`, label -1): the bulk build loads every incident
 * first and fills the graph afterwards a slice at a time (`fillGraph`), and `nearest` adds an exact scan of the
 * entries not yet in the graph, so the index answers correctly at every point of the fill.
 *
 * Labels are never reused for another incident: an update re-adds the vector under the same label (hnswlib updates a
 * live label in place), a delete marks the label deleted, and a new incident takes a fresh label and may reuse a
 * deleted slot (allowReplaceDeleted), so deletes do not make the graph grow without bound; it is resized (doubled)
 * only when every slot holds a live point.
 */
export class VectorIndex {
  private readonly hnsw: HierarchicalNSW;
  private nextLabel = 0;
  private deletedSlots = 0;
  /** Live entries not yet in the graph, and a stack of their ids (possibly stale: checked when popped). */
  private pendingCount = 0;
  private pendingIds: string[] = [];
  private readonly ids: string[] = [];
  private readonly slotOf = new Map<string, number>();
  private capacity = 0;
  private startedAt = new Float64Array(0);
  private service = new Int32Array(0);
  private label = new Int32Array(0);
  private vecStart = new Uint32Array(0);
  private vecLength = new Uint16Array(0);
  private slotOfLabel = new Int32Array(0);
  private readonly services: string[] = [];
  private readonly serviceCode = new Map<string, number>();
  /**
   * The sparse vectors of every slot, appended; a replaced or removed vector leaves garbage until the next compaction.
   */
  private poolIdx = new Uint16Array(0);
  private poolVal = new Float32Array(0);
  private poolUsed = 0;
  private poolLive = 0;
  private readonly df = new Uint32Array(SPARSE_DIM);
  private idf = new Float32Array(SPARSE_DIM);
  private idfDirty = true;
  private readonly scratch: Float32Array;
  /** hnswlib takes plain arrays: one, refilled for every insert and search, rather than a new one each time. */
  private readonly point: number[];
  private queryScratch: Float32Array | null = null;
  private nearHeap: { distance: Float64Array; slot: Int32Array } | null = null;

  constructor(
    readonly model: LexicalModel,
    readonly options: VectorIndexOptions = DEFAULT_INDEX_OPTIONS,
  ) {
    this.scratch = new Float32Array(model.denseDim);
    this.point = new Array<number>(model.denseDim).fill(0);
    this.hnsw = new HierarchicalNSW('ip', model.denseDim);
    this.hnsw.initIndex({
      maxElements: Math.max(16, options.initialCapacity),
      m: options.m,
      efConstruction: options.efConstruction,
      randomSeed: 100,
      allowReplaceDeleted: true,
    });
    this.hnsw.setEf(options.ef);
    this.grow(Math.max(16, options.initialCapacity));
  }

  get size(): number {
    return this.ids.length;
  }

  /** Live entries not in the HNSW graph yet (found by an exact scan meanwhile). */
  get pending(): number {
    return this.pendingCount;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  get(id: string): IndexedIncident | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.entryAt(slot);
  }

  /** Adds an incident, or replaces its vector, time and service; a new incident goes into the graph at once. */
  upsert(entry: IndexedIncident): void {
    const slot = this.put(
      entry.id,
      entry.sparse.idx,
      entry.sparse.val,
      0,
      entry.sparse.idx.length,
      entry.startedAt,
      entry.serviceId,
    );
    this.toGraph(slot);
  }

  /** Adds or replaces an incident without putting it into the graph yet (`fillGraph` does); it is found meanwhile. */
  load(entry: IndexedIncident): void {
    this.loadStored(
      entry.id,
      entry.sparse.idx,
      entry.sparse.val,
      0,
      entry.sparse.idx.length,
      entry.startedAt,
      entry.serviceId,
    );
  }

  /**
   * `load` from a stored vector's parts (the n values of `idx` and `val` from `from`), without an intermediate copy.
   */
  loadStored(
    id: string,
    idx: ArrayLike<number>,
    val: ArrayLike<number>,
    from: number,
    n: number,
    startedAt: number,
    serviceId: string | null,
  ): void {
    const existing = this.slotOf.get(id);
    const slot = this.put(id, idx, val, from, n, startedAt, serviceId);
    if (existing === undefined) this.pendingIds.push(id);
    else if (this.label[slot] !== NO_LABEL) this.toGraph(slot);
  }

  /**
   * Puts entries loaded with `load` into the graph until `deadline` (performance.now() ms; at least one); returns how
   * many remain.
   */
  fillGraph(deadline: number, now: () => number = () => performance.now()): number {
    while (this.pendingIds.length > 0) {
      const id = this.pendingIds.pop()!;
      const slot = this.slotOf.get(id);
      if (slot === undefined || this.label[slot] !== NO_LABEL) continue;
      this.toGraph(slot);
      if (now() >= deadline) break;
    }
    if (this.pendingIds.length === 0) this.pendingIds = [];
    return this.pendingCount;
  }

  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const label = this.label[slot];
    if (label === NO_LABEL) this.pendingCount--;
    else {
      this.hnsw.markDelete(label);
      this.deletedSlots++;
      this.slotOfLabel[label] = -1;
    }
    this.count(slot, -1);
    this.poolLive -= this.vecLength[slot];
    // Swap-remove keeps the slots packed.
    const last = this.ids.length - 1;
    if (slot !== last) {
      const moved = this.ids[last];
      this.ids[slot] = moved;
      this.startedAt[slot] = this.startedAt[last];
      this.service[slot] = this.service[last];
      this.label[slot] = this.label[last];
      this.vecStart[slot] = this.vecStart[last];
      this.vecLength[slot] = this.vecLength[last];
      this.slotOf.set(moved, slot);
      if (this.label[slot] !== NO_LABEL) this.slotOfLabel[this.label[slot]] = slot;
    }
    this.ids.pop();
    this.slotOf.delete(id);
    return true;
  }

  /**
   * The nearest live incidents by the dense projection (approximate, HNSW): k from the graph, plus, while entries wait
   * for the graph, the k nearest of those by the exact sparse cosine.
   */
  nearest(sparse: SparseVector, k: number): IndexedIncident[] {
    return this.nearestSlots(sparse, k).map((slot) => this.entryAt(slot));
  }

  /** `nearest` as slots (read with idAt, startedAtOf, serviceIdAt, weightedCosineAt). */
  nearestSlots(sparse: SparseVector, k: number): number[] {
    const found: number[] = [];
    const inGraph = this.ids.length - this.pendingCount;
    const n = Math.min(k, inGraph);
    if (n > 0) {
      const ef = Math.max(this.options.ef, n);
      if (this.hnsw.getEf() !== ef) this.hnsw.setEf(ef);
      const result = this.hnsw.searchKnn(this.pointOf(sparse), n);
      for (const label of result.neighbors) {
        const slot = label < this.slotOfLabel.length ? this.slotOfLabel[label] : -1;
        if (slot >= 0) found.push(slot);
      }
    }
    if (this.pendingCount > 0 && k > 0) for (const slot of this.nearestPending(sparse, k)) found.push(slot);
    return found;
  }

  /** Live incidents that started within `windowMs` of `at`, the nearest in time first, at most `max`. */
  startedNear(at: number, windowMs: number, max: number): IndexedIncident[] {
    return this.slotsStartedNear(at, windowMs, max).map((slot) => this.entryAt(slot));
  }

  /**
   * `startedNear` as slots. The `max` nearest are kept in a bounded max-heap as the scan finds them (no object per
   * incident in the window, which an alert storm fills); of equally near ones, the lower slots.
   */
  slotsStartedNear(at: number, windowMs: number, max: number): number[] {
    if (max <= 0) return [];
    if (!this.nearHeap || this.nearHeap.slot.length < max)
      this.nearHeap = { distance: new Float64Array(max), slot: new Int32Array(max) };
    const { distance, slot: heapSlot } = this.nearHeap;
    const times = this.startedAt;
    let size = 0;
    for (let slot = 0; slot < this.ids.length; slot++) {
      const d = Math.abs(times[slot] - at);
      if (d > windowMs) continue;
      if (size < max) {
        // Sift up: slots come in increasing order, so among equal distances the later one is the worse.
        let i = size++;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (distance[parent] > d) break;
          distance[i] = distance[parent];
          heapSlot[i] = heapSlot[parent];
          i = parent;
        }
        distance[i] = d;
        heapSlot[i] = slot;
      } else if (d < distance[0]) {
        siftDown(distance, heapSlot, size, d, slot);
      }
    }
    const nearest = new Array<number>(size);
    for (let end = size; end > 0; end--) {
      nearest[end - 1] = heapSlot[0];
      const lastDistance = distance[end - 1];
      const lastSlot = heapSlot[end - 1];
      siftDown(distance, heapSlot, end - 1, lastDistance, lastSlot);
    }
    return nearest;
  }

  idAt(slot: number): string {
    return this.ids[slot];
  }

  startedAtOf(slot: number): number {
    return this.startedAt[slot];
  }

  serviceIdAt(slot: number): string | null {
    const code = this.service[slot];
    return code < 0 ? null : this.services[code];
  }

  /** weightedCosine of `query` (whose weighted norm is `queryNorm`) and the slot's vector, read in the pool. */
  weightedCosineAt(slot: number, query: SparseVector, weights: Float32Array, queryNorm: number): number {
    const start = this.vecStart[slot];
    return weightedCosineOf(query, this.poolIdx, this.poolVal, start, start + this.vecLength[slot], weights, queryNorm);
  }

  /** Every live incident (for exact search in the evaluation). */
  all(): IndexedIncident[] {
    return this.ids.map((_, slot) => this.entryAt(slot));
  }

  /** IDF per bucket from this organization's own document frequencies: ln((N + 1) / (df + 1)) + 1. */
  idfWeights(): Float32Array {
    if (this.idfDirty) {
      const logN = Math.log(this.ids.length + 1);
      for (let b = 0; b < SPARSE_DIM; b++) this.idf[b] = logN - Math.log(this.df[b] + 1) + 1;
      this.idfDirty = false;
    }
    return this.idf;
  }

  /**
   * The entry of a slot; its sparse vector is a view of the pool (a compaction copies into new arrays, so views stay
   * valid).
   */
  private entryAt(slot: number): IndexedIncident {
    const start = this.vecStart[slot];
    const end = start + this.vecLength[slot];
    return {
      id: this.ids[slot],
      sparse: { idx: this.poolIdx.subarray(start, end), val: this.poolVal.subarray(start, end) },
      startedAt: this.startedAt[slot],
      serviceId: this.serviceIdAt(slot),
    };
  }

  /** Writes an entry's columns and vector (a new slot, outside the graph, or over the old one); returns its slot. */
  private put(
    id: string,
    idx: ArrayLike<number>,
    val: ArrayLike<number>,
    from: number,
    n: number,
    startedAt: number,
    serviceId: string | null,
  ): number {
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      if (slot >= this.capacity) this.grow(this.capacity * 2);
      this.ids.push(id);
      this.slotOf.set(id, slot);
      this.label[slot] = NO_LABEL;
      this.pendingCount++;
    } else {
      this.count(slot, -1);
      this.poolLive -= this.vecLength[slot];
      this.vecLength[slot] = 0;
    }
    this.startedAt[slot] = startedAt;
    this.service[slot] = this.serviceNumber(serviceId);
    if (this.poolUsed + n > this.poolIdx.length) this.compact(n);
    const start = this.poolUsed;
    for (let i = 0; i < n; i++) {
      this.poolIdx[start + i] = idx[from + i];
      this.poolVal[start + i] = val[from + i];
    }
    this.poolUsed += n;
    this.poolLive += n;
    this.vecStart[slot] = start;
    this.vecLength[slot] = n;
    this.count(slot, 1);
    return slot;
  }

  private pointOf(sparse: SparseVector): number[] {
    const dense = this.model.dense(sparse, this.scratch);
    for (let i = 0; i < this.point.length; i++) this.point[i] = dense[i];
    return this.point;
  }

  /** Adds the slot's vector to the graph under a fresh label, or updates it in place under its own. */
  private toGraph(slot: number): void {
    const dense = this.pointOf(this.entryAt(slot).sparse);
    const label = this.label[slot];
    if (label !== NO_LABEL) {
      // A live label: hnswlib updates the point in place (never with replaceDeleted, which would remap the label).
      this.hnsw.addPoint(dense, label, false);
      return;
    }
    if (this.deletedSlots === 0 && this.hnsw.getCurrentCount() >= this.hnsw.getMaxElements()) {
      this.hnsw.resizeIndex(this.hnsw.getMaxElements() * 2);
      this.hnsw.setEf(this.options.ef);
    }
    const fresh = this.nextLabel++;
    this.hnsw.addPoint(dense, fresh, this.deletedSlots > 0);
    if (this.deletedSlots > 0) this.deletedSlots--;
    if (fresh >= this.slotOfLabel.length) {
      const grown = new Int32Array(Math.max(1024, this.slotOfLabel.length * 2)).fill(-1);
      grown.set(this.slotOfLabel);
      this.slotOfLabel = grown;
    }
    this.slotOfLabel[fresh] = slot;
    this.label[slot] = fresh;
    this.pendingCount--;
  }

  /** The slots of the k entries outside the graph nearest to `sparse` by sparse cosine (both are unit vectors). */
  private nearestPending(sparse: SparseVector, k: number): number[] {
    const q = (this.queryScratch ??= new Float32Array(SPARSE_DIM));
    for (let i = 0; i < sparse.idx.length; i++) q[sparse.idx[i]] = sparse.val[i];
    const topScore: number[] = [];
    const topSlot: number[] = [];
    for (let slot = 0; slot < this.ids.length; slot++) {
      if (this.label[slot] !== NO_LABEL) continue;
      const start = this.vecStart[slot];
      const end = start + this.vecLength[slot];
      let score = 0;
      for (let i = start; i < end; i++) score += q[this.poolIdx[i]] * this.poolVal[i];
      if (topScore.length === k && score <= topScore[k - 1]) continue;
      let at = topScore.length;
      while (at > 0 && topScore[at - 1] < score) at--;
      topScore.splice(at, 0, score);
      topSlot.splice(at, 0, slot);
      if (topScore.length > k) {
        topScore.pop();
        topSlot.pop();
      }
    }
    for (let i = 0; i < sparse.idx.length; i++) q[sparse.idx[i]] = 0;
    return topSlot;
  }

  private serviceNumber(serviceId: string | null): number {
    if (serviceId === null) return -1;
    let code = this.serviceCode.get(serviceId);
    if (code === undefined) {
      code = this.services.length;
      this.services.push(serviceId);
      this.serviceCode.set(serviceId, code);
    }
    return code;
  }

  /**
   * After a bulk load: the pooled vectors without the growth room left by loading them (the next write grows it again).
   */
  trim(): void {
    if (this.poolIdx.length > this.poolLive * 1.1) this.compact(0, 1.02);
  }

  /** Copies the live vectors into new pool arrays with room for `extra` more (and half as much again as is live). */
  private compact(extra: number, room = 1.5): void {
    const size = Math.max(1024, Math.ceil((this.poolLive + extra) * room));
    const idx = new Uint16Array(size);
    const val = new Float32Array(size);
    let used = 0;
    for (let slot = 0; slot < this.ids.length; slot++) {
      const start = this.vecStart[slot];
      const n = this.vecLength[slot];
      idx.set(this.poolIdx.subarray(start, start + n), used);
      val.set(this.poolVal.subarray(start, start + n), used);
      this.vecStart[slot] = used;
      used += n;
    }
    this.poolIdx = idx;
    this.poolVal = val;
    this.poolUsed = used;
    this.poolLive = used;
  }

  private grow(capacity: number): void {
    const copy = <T extends Float64Array | Int32Array | Uint32Array | Uint16Array>(
      from: T,
      make: (n: number) => T,
    ): T => {
      const to = make(capacity);
      to.set(from);
      return to;
    };
    this.startedAt = copy(this.startedAt, (n) => new Float64Array(n));
    this.service = copy(this.service, (n) => new Int32Array(n));
    this.label = copy(this.label, (n) => new Int32Array(n));
    this.vecStart = copy(this.vecStart, (n) => new Uint32Array(n));
    this.vecLength = copy(this.vecLength, (n) => new Uint16Array(n));
    this.capacity = capacity;
  }

  private count(slot: number, delta: 1 | -1): void {
    const start = this.vecStart[slot];
    const end = start + this.vecLength[slot];
    for (let i = start; i < end; i++) this.df[this.poolIdx[i]] += delta;
    this.idfDirty = true;
  }
}

/**
 * Puts (d, slot) at the root of the max-heap of `size` entries (by distance; of equal distances the higher slot is the
 * greater) and sifts it down to its place.
 */
function siftDown(distance: Float64Array, slots: Int32Array, size: number, d: number, slot: number): void {
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    const right = child + 1;
    if (right < size && greater(distance[right], slots[right], distance[child], slots[child])) child = right;
    if (!greater(distance[child], slots[child], d, slot)) break;
    distance[i] = distance[child];
    slots[i] = slots[child];
    i = child;
  }
  distance[i] = d;
  slots[i] = slot;
}

function greater(d1: number, s1: number, d2: number, s2: number): boolean {
  return d1 > d2 || (d1 === d2 && s1 > s2);
}
