import { words } from '../models/text-features.js';
import type { WordVectors } from '../models/word-vectors.js';
import { tokenize } from '../models/lexical-model.js';
import { SYNONYM_GROUPS } from './search-lexicon.js';

const BM25_K1 = 1.2;
const BM25_B = 0.75;
/** A word of the title counts this many times a word of the description. */
const TITLE_WEIGHT = 2;

/** Only the first words of a candidate count for its semantic vector (as for the embeddings). */
const SEMANTIC_TOKENS = 200;

export interface TextCandidate {
  id: string;
  title: string;
  description: string | null;
}

/** How the free text of a search ranks, beyond plain BM25. */
export interface TextRankOptions {
  /** Weight of a lexicon synonym of a query word against the word itself (0: no expansion). */
  expansion: number;
  /** Word vectors for the semantic term; null: BM25 only. */
  vectors: WordVectors | null;
  /** Weight of the semantic cosine against BM25 scaled to [0, 1] by the best BM25 score. */
  semantic: number;
  /** A candidate with no query word (or synonym) is a result only when its semantic cosine reaches this. */
  semanticOnlyMin: number;
}

export const BM25_ONLY: TextRankOptions = { expansion: 0, vectors: null, semantic: 0, semanticOnlyMin: 1 };

/**
 * What search serves: BM25 with the curated lexicon's synonyms at a quarter of a word's weight. Chosen by
 * `npm run eval:ai` (docs/AI.md, "Meaning"): on the known-item searches it is level with BM25 alone (within the noise),
 * while a query whose words the incidents do not use ("db slow") still finds them; the word-vector term measured
 * level or worse and is not served.
 */
export const SEARCH_RANKING: TextRankOptions = { expansion: 0.25, vectors: null, semantic: 0, semanticOnlyMin: 1 };

/** A light stemmer, so that "failures" finds "failure" and "delayed" finds "delays". */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  return word.replace(/(ing|ed|es|s)$/, '') || word;
}

export function terms(text: string): string[] {
  return words(text).map(stem);
}

let synonyms: Map<string, string[]> | null = null;

/** The lexicon synonyms of a stemmed word (never the word itself). */
export function synonymsOf(term: string): string[] {
  if (!synonyms) {
    synonyms = new Map();
    for (const group of SYNONYM_GROUPS) {
      const stems = [...new Set(group.map(stem))];
      for (const s of stems)
        synonyms.set(s, [...new Set([...(synonyms.get(s) ?? []), ...stems.filter((x) => x !== s)])]);
    }
  }
  return synonyms.get(term) ?? [];
}

/** The weighted query terms: the words themselves (weight 1) and their lexicon synonyms (weight `expansion`). */
export function queryTerms(text: string, expansion: number): Map<string, number> {
  const query = new Map<string, number>();
  for (const term of terms(text)) query.set(term, 1);
  if (expansion > 0) {
    for (const term of [...query.keys()]) for (const s of synonymsOf(term)) if (!query.has(s)) query.set(s, expansion);
  }
  return query;
}

export interface PreparedCandidates {
  docs: Array<{ candidate: TextCandidate; tf: Map<string, number>; length: number }>;
  averageLength: number;
  /** SIF vectors per word-vector set, computed on first use. */
  semantic: WeakMap<WordVectors, Float32Array[]>;
}

/** The candidates' term frequencies (title words weighted), reusable across queries. */
export function prepareCandidates(candidates: TextCandidate[]): PreparedCandidates {
  const docs = candidates.map((c) => {
    const tf = new Map<string, number>();
    let length = 0;
    for (const [part, weight] of [
      [c.title, TITLE_WEIGHT],
      [c.description ?? '', 1],
    ] as const) {
      for (const term of terms(part)) {
        tf.set(term, (tf.get(term) ?? 0) + weight);
        length += weight;
      }
    }
    return { candidate: c, tf, length };
  });
  const averageLength = docs.reduce((sum, d) => sum + d.length, 0) / Math.max(1, docs.length);
  return { docs, averageLength, semantic: new WeakMap() };
}

/**
 * Ranks candidates by BM25 over their title (weighted) and description against the query's remaining words (and,
 * with `expansion`, their lexicon synonyms at a lower weight). With word vectors, the score becomes
 * `BM25 / best BM25 + semantic × cosine(query, candidate)` (SIF sentence vectors), and a candidate without any query
 * word is kept when its cosine alone reaches `semanticOnlyMin`. Candidates that match neither way are left out.
 */
export function rankByText(
  candidates: TextCandidate[] | PreparedCandidates,
  text: string,
  options: TextRankOptions = BM25_ONLY,
): Array<{ id: string; score: number }> {
  const prepared = Array.isArray(candidates) ? prepareCandidates(candidates) : candidates;
  const { docs, averageLength } = prepared;
  const query = queryTerms(text, options.expansion);
  if (!query.size) return docs.map((d) => ({ id: d.candidate.id, score: 1 }));
  const df = new Map<string, number>();
  for (const term of query.keys()) df.set(term, docs.filter((d) => d.tf.has(term)).length);
  const n = docs.length;
  const bm25 = docs.map((doc) => {
    let score = 0;
    for (const [term, weight] of query) {
      const f = doc.tf.get(term);
      if (!f) continue;
      const idf = Math.log(1 + (n - df.get(term)! + 0.5) / (df.get(term)! + 0.5));
      score +=
        (weight * idf * f * (BM25_K1 + 1)) / (f + BM25_K1 * (1 - BM25_B + (BM25_B * doc.length) / averageLength));
    }
    return score;
  });
  const ranked: Array<{ id: string; score: number }> = [];
  if (options.vectors && options.semantic > 0) {
    const vectors = options.vectors;
    let semantic = prepared.semantic.get(vectors);
    if (!semantic) {
      semantic = docs.map((doc) =>
        vectors.embed(tokenize(`${doc.candidate.title}\n${doc.candidate.description ?? ''}`).slice(0, SEMANTIC_TOKENS)),
      );
      prepared.semantic.set(vectors, semantic);
    }
    const q = vectors.embed(tokenize(text));
    const best = Math.max(0, ...bm25) || 1;
    docs.forEach((doc, i) => {
      const v = semantic[i];
      let cos = 0;
      for (let j = 0; j < v.length; j++) cos += q[j] * v[j];
      if (bm25[i] <= 0 && cos < options.semanticOnlyMin) return;
      const score = bm25[i] / best + options.semantic * Math.max(0, cos);
      if (score > 0) ranked.push({ id: doc.candidate.id, score: Math.round(score * 1000) / 1000 });
    });
  } else {
    docs.forEach((doc, i) => {
      if (bm25[i] > 0) ranked.push({ id: doc.candidate.id, score: Math.round(bm25[i] * 1000) / 1000 });
    });
  }
  // Stable: equal scores keep the candidates' order (newest first).
  return ranked.sort((a, b) => b.score - a.score);
}
