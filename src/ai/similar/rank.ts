import { weightedNorm } from '../models/sparse-vector.js';
import { DUPLICATE_WINDOW_MS, MatchScore, scoreMatch } from './match-score.js';
import type { IndexedIncident, VectorIndex } from './vector-index.js';

export interface RankOptions {
  /** Candidates taken from the HNSW graph (by text) before the sparse re-ranking. */
  candidates: number;
  /** Candidates taken by time (started within a day, nearest first), for possible duplicates. */
  nearInTime: number;
}

export const DEFAULT_RANK_OPTIONS: RankOptions = { candidates: 300, nearInTime: 200 };

/** What a match keeps of the incident it found (the index's columns; the sparse vector is only read to score it). */
export interface RankedEntry {
  id: string;
  startedAt: number;
  serviceId: string | null;
}

export interface RankedMatch {
  entry: RankedEntry;
  match: MatchScore;
  /** The IDF-weighted sparse cosine, before service and time. */
  text: number;
}

/**
 * The two-stage search behind similar incidents: candidates from the HNSW graph over the dense projections plus the
 * incidents that started within a day, then the final order by the sparse IDF-weighted cosine with service and time
 * (match-score.ts). Never returns the incident asked about. Best first; ties by the more recent start, then id, so
 * the order never depends on the index's internals. Candidates are read by slot in the index's columns and pooled
 * vectors: one object per match, none per candidate looked at.
 */
export function rankMatches(
  index: VectorIndex,
  query: IndexedIncident,
  options: RankOptions = DEFAULT_RANK_OPTIONS,
): RankedMatch[] {
  const seen = new Set<number>();
  const idf = index.idfWeights();
  const queryNorm = weightedNorm(query.sparse, idf);
  const ranked: RankedMatch[] = [];
  const consider = (slot: number) => {
    if (seen.has(slot)) return;
    seen.add(slot);
    const id = index.idAt(slot);
    if (id === query.id) return;
    const entry = { id, startedAt: index.startedAtOf(slot), serviceId: index.serviceIdAt(slot) };
    const text = queryNorm === 0 ? 0 : index.weightedCosineAt(slot, query.sparse, idf, queryNorm);
    const match = scoreMatch({
      text,
      sameService: query.serviceId !== null && query.serviceId === entry.serviceId,
      deltaMs: entry.startedAt - query.startedAt,
    });
    ranked.push({ entry, match, text });
  };
  for (const slot of index.nearestSlots(query.sparse, options.candidates + 1)) consider(slot);
  if (options.nearInTime > 0)
    for (const slot of index.slotsStartedNear(query.startedAt, DUPLICATE_WINDOW_MS, options.nearInTime)) consider(slot);
  return ranked.sort(byScore);
}

export function byScore(a: RankedMatch, b: RankedMatch): number {
  return (
    b.match.score - a.match.score ||
    b.entry.startedAt - a.entry.startedAt ||
    (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0)
  );
}
