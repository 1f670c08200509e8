import { IncidentText, wordTermCounts } from './text-features.js';

export interface Neighbour {
  /** Position of the document in the list the index was built from. */
  index: number;
  /** Cosine similarity of the TF-IDF vectors, 0–1. */
  score: number;
}

/**
 * Nearest neighbours by TF-IDF cosine over word unigrams, bigrams and service words, through an inverted index (only
 * documents sharing a term with the query are touched). The query is scored through its QUERY_TERMS strongest terms
 * (by TF-IDF weight): a long first update is mostly boilerplate whose postings span the whole history, and the rare
 * terms decide the neighbours. This is the classifier's own neighbourhood over an organization's labelled history; the
 * similar-incident search of the API has its own index.
 */
export const QUERY_TERMS = 48;

interface Postings {
  docs: Int32Array;
  weights: Float32Array;
}

export class LexicalNeighbours {
  private readonly postings = new Map<string, Postings>();
  private readonly idf = new Map<string, number>();
  private readonly size: number;

  constructor(docs: IncidentText[]) {
    this.size = docs.length;
    const documentFrequency = new Map<string, number>();
    const counts = docs.map((doc) => wordTermCounts(doc));
    for (const c of counts) for (const term of c.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    const n = docs.length;
    for (const [term, df] of documentFrequency) this.idf.set(term, Math.log((1 + n) / (1 + df)) + 1);
    const lists = new Map<string, { docs: number[]; weights: number[] }>();
    counts.forEach((c, index) => {
      for (const [term, weight] of this.weigh(c)) {
        let list = lists.get(term);
        if (!list) lists.set(term, (list = { docs: [], weights: [] }));
        list.docs.push(index);
        list.weights.push(weight);
      }
    });
    for (const [term, list] of lists) this.postings.set(term, { docs: Int32Array.from(list.docs), weights: Float32Array.from(list.weights) });
  }

  /** Sublinear TF × IDF, L2-normalized; terms the history never saw carry no evidence and are dropped. */
  private weigh(counts: Map<string, number>): Array<[string, number]> {
    const weighted: Array<[string, number]> = [];
    let norm = 0;
    for (const [term, count] of counts) {
      const idf = this.idf.get(term);
      if (idf === undefined) continue;
      const w = (1 + Math.log(count)) * idf;
      weighted.push([term, w]);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    return weighted.map(([term, w]) => [term, w / norm]);
  }

  /** The `k` most similar documents, best first; ties by the later document (the more recent history). */
  query(doc: IncidentText, k: number, exclude?: number): Neighbour[] {
    // The query is normalized over all its terms, seen or not, so a text mostly unknown to the history scores low.
    const counts = wordTermCounts(doc);
    let norm = 0;
    const weighted: Array<[string, number]> = [];
    for (const [term, count] of counts) {
      const w = (1 + Math.log(count)) * (this.idf.get(term) ?? Math.log(1 + this.size) + 1);
      norm += w * w;
      if (this.idf.has(term)) weighted.push([term, w]);
    }
    norm = Math.sqrt(norm) || 1;
    const strongest = weighted.sort((a, b) => b[1] - a[1]).slice(0, QUERY_TERMS);
    const scores = new Float64Array(this.size);
    const touched: number[] = [];
    for (const [term, w] of strongest) {
      const list = this.postings.get(term)!;
      const q = w / norm;
      for (let j = 0; j < list.docs.length; j++) {
        const index = list.docs[j];
        if (scores[index] === 0) touched.push(index);
        scores[index] += q * list.weights[j];
      }
    }
    const found: Neighbour[] = [];
    for (const index of touched) if (index !== exclude) found.push({ index, score: Math.min(1, scores[index]) });
    return found.sort((a, b) => b.score - a.score || b.index - a.index).slice(0, k);
  }
}
