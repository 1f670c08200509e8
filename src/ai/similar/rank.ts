import { weightedCosine, weightedNorm } from '../embeddings/sparse-vector.js';
import { DUPLICATE_WINDOW_MS, MatchScore, scoreMatch } from './match-score.js';
import type { IndexedIncident, VectorIndex } from './vector-index.js';

export interface RankOptions {
  /** Candidates taken from the HNSW graph (by text) before the sparse re-ranking. */
  candidates: number;
  /** Candidates taken by time (started within a day, nearest first), for possible duplicates. */
  nearInTime: number;
}

export const DEFAULT_RANK_OPTIONS: RankOptions = { candidates: 200, nearInTime: 200 };

export interface RankedMatch {
  entry: IndexedIncident;
  match: MatchScore;
  /** The IDF-weighted sparse cosine, before service and time. */
  text: number;
}

/**
 * The two-stage search behind similar incidents: candidates from the HNSW graph over the dense projections plus the
 * incidents that started within a day, then the final order by the sparse IDF-weighted cosine with service and time
 * (match-score.ts). Never returns the incident asked about. Best first; ties by the more recent start, then id, so
 * the order never depends on the index's internals.
 */
export function rankMatches(index: VectorIndex, query: IndexedIncident, options: RankOptions = DEFAULT_RANK_OPTIONS): RankedMatch[] {
  const seen = new Set<string>([query.id]);
  const idf = index.idfWeights();
  const queryNorm = weightedNorm(query.sparse, idf);
  const ranked: RankedMatch[] = [];
  const consider = (entry: IndexedIncident) => {
    if (seen.has(entry.id)) return;
    seen.add(entry.id);
    const text = queryNorm === 0 ? 0 : weightedCosine(query.sparse, entry.sparse, idf, queryNorm);
    const match = scoreMatch({
      text,
      sameService: query.serviceId !== null && query.serviceId === entry.serviceId,
      deltaMs: entry.startedAt - query.startedAt,
    });
    ranked.push({ entry, match, text });
  };
  for (const entry of index.nearest(query.sparse, options.candidates + 1)) consider(entry);
  if (options.nearInTime > 0) for (const entry of index.startedNear(query.startedAt, DUPLICATE_WINDOW_MS, options.nearInTime)) consider(entry);
  return ranked.sort(byScore);
}

export function byScore(a: RankedMatch, b: RankedMatch): number {
  return b.match.score - a.match.score || b.entry.startedAt - a.entry.startedAt || (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0);
}
