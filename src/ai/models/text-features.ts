/**
 * Lexical features of an incident's text, shared by the severity classifier, its neighbours and the evaluation.
 *
 * Hashed features (no vocabulary to ship or grow): word unigrams and bigrams, character 3- and 4-grams inside words,
 * and the words of the service name. Each group is sublinear-TF weighted and L2-normalized on its own, so a long
 * description does not drown the title and the service, and the groups weigh the same.
 */

/** The text the classifier sees: what is known when an incident is opened. */
export interface IncidentText {
  title: string;
  description?: string | null;
  /** The name of the incident's service, when it has one. */
  service?: string | null;
}

export interface SparseVector {
  /** Sorted, distinct feature indices. */
  indices: Int32Array;
  values: Float32Array;
}

export const FEATURE_BITS = 16;
export const FEATURE_DIM = 1 << FEATURE_BITS;

/** The first status update carries what is known at triage; beyond this the text is resolution story and noise. */
export const DESCRIPTION_CHARS = 1000;

/**
 * Character grams are taken from the title and the start of the description only: they add robustness to spelling and
 * word forms, and the rest of a long description would multiply the cost without adding to the accuracy measured.
 */
export const CHAR_GRAM_CHARS = 300;

/** Lower-cased words (letters, digits, %, and inner dots/hyphens such as "5xx", "api.v2", "us-east-1"). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}%]+(?:[.\-_][\p{L}\p{N}%]+)*/gu) ?? [];
}

/** FNV-1a over a string, with a seed per feature group so that a word and a character gram never share a bucket. */
export function hash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const SEED_WORD = 1;
const SEED_CHAR = 2;
const SEED_SERVICE = 3;

function incidentBody(doc: IncidentText): string {
  return `${doc.title}\n${(doc.description ?? '').slice(0, DESCRIPTION_CHARS)}`;
}

function addCounts(into: Map<number, number>, keys: Iterable<number>): void {
  for (const key of keys) into.set(key, (into.get(key) ?? 0) + 1);
}

function* wordGrams(tokens: string[], seed: number): Iterable<number> {
  for (let i = 0; i < tokens.length; i++) {
    yield hash(tokens[i], seed) & (FEATURE_DIM - 1);
    if (i + 1 < tokens.length) yield hash(`${tokens[i]} ${tokens[i + 1]}`, seed) & (FEATURE_DIM - 1);
  }
}

function* charGrams(tokens: string[]): Iterable<number> {
  for (const token of tokens) {
    const padded = ` ${token} `;
    for (const n of [3, 4]) {
      for (let i = 0; i + n <= padded.length; i++)
        yield hash(padded.slice(i, i + n), SEED_CHAR + n) & (FEATURE_DIM - 1);
    }
  }
}

/** Sublinear TF (1 + ln tf), L2-normalized, scaled by `weight`, merged into `into`. */
function addGroup(into: Map<number, number>, counts: Map<number, number>, weight: number): void {
  let norm = 0;
  const scaled: Array<[number, number]> = [];
  for (const [key, count] of counts) {
    const value = 1 + Math.log(count);
    scaled.push([key, value]);
    norm += value * value;
  }
  if (norm === 0) return;
  const factor = weight / Math.sqrt(norm);
  for (const [key, value] of scaled) into.set(key, (into.get(key) ?? 0) + value * factor);
}

export function toSparse(map: Map<number, number>): SparseVector {
  const indices = Int32Array.from(map.keys()).sort();
  const values = new Float32Array(indices.length);
  for (let i = 0; i < indices.length; i++) values[i] = map.get(indices[i])!;
  return { indices, values };
}

/** The classifier's feature vector of an incident. */
export function classifierFeatures(doc: IncidentText): SparseVector {
  const tokens = words(incidentBody(doc));
  const features = new Map<number, number>();
  const wordCounts = new Map<number, number>();
  addCounts(wordCounts, wordGrams(tokens, SEED_WORD));
  addGroup(features, wordCounts, 1);
  const charCounts = new Map<number, number>();
  addCounts(charCounts, charGrams(words(`${doc.title}\n${(doc.description ?? '').slice(0, CHAR_GRAM_CHARS)}`)));
  addGroup(features, charCounts, 1);
  if (doc.service) {
    const serviceCounts = new Map<number, number>();
    addCounts(serviceCounts, wordGrams(words(doc.service), SEED_SERVICE));
    addGroup(features, serviceCounts, 1);
  }
  return toSparse(features);
}

/** Word uni+bigram counts (title, description and service words), for the neighbour index. */
export function wordTermCounts(doc: IncidentText): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (term: string) => counts.set(term, (counts.get(term) ?? 0) + 1);
  const tokens = words(incidentBody(doc));
  for (let i = 0; i < tokens.length; i++) {
    add(tokens[i]);
    if (i + 1 < tokens.length) add(`${tokens[i]} ${tokens[i + 1]}`);
  }
  if (doc.service) for (const token of words(doc.service)) add(`service:${token}`);
  return counts;
}

export function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const x = a.indices[i];
    const y = b.indices[j];
    if (x === y) sum += a.values[i++] * b.values[j++];
    else if (x < y) i++;
    else j++;
  }
  return sum;
}
