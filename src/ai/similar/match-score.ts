/**
 * How a candidate is scored against the incident asked about. Two needs, served honestly (docs/AI.md):
 *
 * - **similar** (a past incident like this one): text and service matter, time does not. `text` is the cosine of the
 *   two sparse vectors (IDF-weighted by the organization's own document frequencies); the same service multiplies it
 *   by 1 + SERVICE_BOOST (capped at 1).
 * - **possible_duplicate** (the same event reported twice, happening now): time proximity dominates. With
 *   `p = exp(−|Δstarted_at| / 6 h)`, `duplicate = p · (DUP_FLOOR + (1 − DUP_FLOOR) · max(text, service))`, where
 *   `service` is SERVICE_AS_TEXT for the same service: two incidents opened within the hour score at least ~0.5
 *   even with different words, and the score fades within a day.
 *
 * `score = max(similar, duplicate)`; the relation is `possible_duplicate` when the duplicate term wins and the two
 * started within DUPLICATE_WINDOW_MS of each other, `similar` otherwise.
 */
export const SERVICE_BOOST = 0.25;
export const TIME_SCALE_MS = 6 * 3600_000;
export const DUP_FLOOR = 0.5;
export const SERVICE_AS_TEXT = 0.5;
export const DUPLICATE_WINDOW_MS = 24 * 3600_000;

export type MatchRelation = 'possible_duplicate' | 'similar';

export interface MatchSignals {
  /** Text cosine, 0–1. */
  text: number;
  sameService: boolean;
  /** started_at of the candidate minus that of the incident asked about, in ms. */
  deltaMs: number;
}

export interface MatchScore {
  score: number;
  relation: MatchRelation;
  similar: number;
  duplicate: number;
}

export function scoreMatch(s: MatchSignals): MatchScore {
  const text = s.text > 0 ? Math.min(1, s.text) : 0;
  const similar = Math.min(1, text * (s.sameService ? 1 + SERVICE_BOOST : 1));
  const abs = Math.abs(s.deltaMs);
  let duplicate = 0;
  if (abs <= DUPLICATE_WINDOW_MS) {
    const p = Math.exp(-abs / TIME_SCALE_MS);
    duplicate = p * (DUP_FLOOR + (1 - DUP_FLOOR) * Math.max(text, s.sameService ? SERVICE_AS_TEXT : 0));
  }
  const isDuplicate = duplicate > similar;
  return {
    score: isDuplicate ? duplicate : similar,
    relation: isDuplicate ? 'possible_duplicate' : 'similar',
    similar,
    duplicate,
  };
}
