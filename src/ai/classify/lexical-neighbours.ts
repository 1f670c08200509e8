import { IncidentText, wordTermCounts } from '../models/text-features.js';

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

/** A document's terms as numbers of a TermCache's dictionary, with their sublinear term frequencies (1 + log count). */
interface DocumentTerms {
  ids: Int32Array;
  tf: Float64Array;
}

/**
 * Terms numbered once, and the terms of documents already read (by document object). An index built again over mostly
 * the same documents (the classifier following a changed history) then reads only the text of the new ones, and
 * building is arithmetic over typed arrays.
 */
export class TermCache {
  readonly dictionary = new Map<string, number>();
  private readonly docs = new WeakMap<IncidentText, DocumentTerms>();

  termsOf(doc: IncidentText): DocumentTerms {
    let terms = this.docs.get(doc);
    if (!terms) {
      const counts = wordTermCounts(doc);
      terms = { ids: new Int32Array(counts.size), tf: new Float64Array(counts.size) };
      let i = 0;
      for (const [term, count] of counts) {
        terms.ids[i] = this.id(term);
        terms.tf[i++] = 1 + Math.log(count);
      }
      this.docs.set(doc, terms);
    }
    return terms;
  }

  private id(term: string): number {
    let id = this.dictionary.get(term);
    if (id === undefined) this.dictionary.set(term, (id = this.dictionary.size));
    return id;
  }
}

/** A built index as plain data (typed arrays and a Map), e.g. built in a worker thread and sent to the main one. */
export interface NeighbourIndexParts {
  size: number;
  dictionary: Map<string, number>;
  idf: Float64Array;
  offsets: Int32Array;
  docs: Int32Array;
  weights: Float32Array;
}

export class LexicalNeighbours {
  private readonly size: number;
  private readonly dictionary: Map<string, number>;
  /** By term number: inverse document frequency, 0 for a term no document of this index has. */
  private readonly idf: Float64Array;
  /** Postings of term t: docs and weights from offsets[t] to offsets[t + 1], documents in index order. */
  private readonly offsets: Int32Array;
  private readonly docs: Int32Array;
  private readonly weights: Float32Array;
  /**
   * Per document: the query's score, and the documents the query touched, kept between queries (zeroed after each), so
   * that a query allocates nothing of the history's size (800 KB of scores per classification at 100 000 incidents).
   */
  private scores: Float64Array | null = null;
  private touched: Int32Array | null = null;

  /** Built over the documents, or taken as built (`parts` of an index over the same documents, in the same order). */
  constructor(source: IncidentText[] | NeighbourIndexParts, cache?: TermCache) {
    const parts = Array.isArray(source) ? build(source, cache) : source;
    this.size = parts.size;
    this.dictionary = parts.dictionary;
    this.idf = parts.idf;
    this.offsets = parts.offsets;
    this.docs = parts.docs;
    this.weights = parts.weights;
  }

  get parts(): NeighbourIndexParts {
    return {
      size: this.size,
      dictionary: this.dictionary,
      idf: this.idf,
      offsets: this.offsets,
      docs: this.docs,
      weights: this.weights,
    };
  }

  /** The `k` most similar documents, best first; ties by the later document (the more recent history). */
  query(doc: IncidentText, k: number, exclude?: number): Neighbour[] {
    // The query is normalized over all its terms, seen or not, so a text mostly unknown to the history scores low.
    const counts = wordTermCounts(doc);
    let norm = 0;
    const weighted: Array<[number, number]> = [];
    for (const [term, count] of counts) {
      const id = this.dictionary.get(term);
      const idf = id !== undefined && id < this.idf.length ? this.idf[id] : 0;
      const w = (1 + Math.log(count)) * (idf || Math.log(1 + this.size) + 1);
      norm += w * w;
      if (idf) weighted.push([id!, w]);
    }
    norm = Math.sqrt(norm) || 1;
    const strongest = weighted.sort((a, b) => b[1] - a[1]).slice(0, QUERY_TERMS);
    const scores = (this.scores ??= new Float64Array(this.size));
    const touched = (this.touched ??= new Int32Array(this.size));
    let touchedCount = 0;
    for (const [term, w] of strongest) {
      const q = w / norm;
      for (let j = this.offsets[term]; j < this.offsets[term + 1]; j++) {
        const index = this.docs[j];
        if (scores[index] === 0) touched[touchedCount++] = index;
        scores[index] += q * this.weights[j];
      }
    }
    // The best k kept in order as they come (k is small; most documents touched are not among them): no sort of all.
    const found: Neighbour[] = [];
    for (let t = 0; t < touchedCount; t++) {
      const index = touched[t];
      const score = Math.min(1, scores[index]);
      scores[index] = 0;
      if (k <= 0 || index === exclude) continue;
      if (found.length === k && !ranksBefore(score, index, found[k - 1])) continue;
      let at = found.length < k ? found.push({ index, score }) - 1 : k - 1;
      for (; at > 0 && ranksBefore(score, index, found[at - 1]); at--) found[at] = found[at - 1];
      found[at] = { index, score };
    }
    return found;
  }
}

/** Best first: the higher score, then the later document. */
function ranksBefore(score: number, index: number, other: Neighbour): boolean {
  return score > other.score || (score === other.score && index > other.index);
}

function build(docs: IncidentText[], cache?: TermCache): NeighbourIndexParts {
  // Without a cache given, the documents' terms are not kept beyond the build (only the dictionary is).
  const terms = cache ?? new TermCache();
  const dictionary = terms.dictionary;
  const documents = docs.map((doc) => terms.termsOf(doc));
  const termCount = dictionary.size;
  const documentFrequency = new Int32Array(termCount);
  for (const d of documents) for (let i = 0; i < d.ids.length; i++) documentFrequency[d.ids[i]]++;
  const n = docs.length;
  const idf = new Float64Array(termCount);
  const offsets = new Int32Array(termCount + 1);
  for (let t = 0; t < termCount; t++) {
    const df = documentFrequency[t];
    if (df > 0) idf[t] = Math.log((1 + n) / (1 + df)) + 1;
    offsets[t + 1] = offsets[t] + df;
  }
  const postings = new Int32Array(offsets[termCount]);
  const weights = new Float32Array(offsets[termCount]);
  const fill = offsets.slice(0, termCount);
  // Sublinear TF × IDF, L2-normalized.
  documents.forEach((d, index) => {
    let norm = 0;
    for (let i = 0; i < d.ids.length; i++) {
      const w = d.tf[i] * idf[d.ids[i]];
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < d.ids.length; i++) {
      const t = d.ids[i];
      const at = fill[t]++;
      postings[at] = index;
      weights[at] = (d.tf[i] * idf[t]) / norm;
    }
  });
  return { size: n, dictionary, idf, offsets, docs: postings, weights };
}
