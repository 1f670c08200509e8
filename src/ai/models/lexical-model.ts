import { fmix32, hashPair, hashString } from './hash.js';
import type { SparseVector } from './sparse-vector.js';

/** The name every answer reports; change it whenever features or weights change (stored vectors are then rebuilt). */
export const LEXICAL_MODEL_NAME = 'argus-lexical-v1';

export const SPARSE_BITS = 16;
export const SPARSE_DIM = 1 << SPARSE_BITS;
/** Dimensions of the dense projection the HNSW graph is built on (docs/AI.md, "Dense projection"). */
export const DENSE_DIM = 192;

/** What one incident contributes to its embedding. */
export interface IncidentText {
  title: string;
  description?: string | null;
  /** The service (or the components) it is filed under; its words count as text and as service features. */
  service?: string | null;
}

export interface LexicalOptions {
  /** Weight of word unigrams; 0 leaves them out. */
  unigrams: number;
  /** Weight of word bigrams (over the words left after stop words). */
  bigrams: number;
  /** Weight of character n-grams inside words (lengths in `charN`). */
  chars: number;
  charN: number[];
  /** Weight of the service features (the service's words, hashed apart from the text's). */
  service: number;
  /** Drop a small list of English function words before unigrams and bigrams. */
  stopWords: boolean;
  /** Only the first tokens count: long descriptions otherwise swamp the title. */
  maxTokens: number;
}

/** The settings of argus-lexical-v1, chosen by `npm run eval:ai` (docs/AI.md). */
export const LEXICAL_V1: LexicalOptions = {
  unigrams: 1,
  bigrams: 1,
  chars: 0,
  charN: [3, 4],
  service: 1,
  stopWords: true,
  maxTokens: 200,
};

const STOP_WORDS = new Set(
  (
    'a an and are as at be been being but by can could did do does for from had has have having he her his i if in into is it its ' +
    'may might more most no not of on or our ours out over please shall she should so some such than that the their them then there ' +
    'these they this those through to too under until up very was we were what when where which while who will with would you your'
  ).split(' '),
);

const TOKEN = /[a-z0-9]+/g;
const SEED_WORD = 0x811c9dc5;
const SEED_CHAR = 0x3c6ef372;
const SEED_SERVICE = 0xa54ff53a;

/** Lower-cased alphanumeric runs: product names, regions, error codes and numbers all survive. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/** The text an incident is embedded from: title, description and service name, as AI-NOTES measured best. */
export function incidentDocument(incident: IncidentText): string {
  return [incident.title, incident.description ?? '', incident.service ?? ''].join('\n');
}

/**
 * argus-lexical-v1: hashed word unigrams and bigrams (+ optional character n-grams) and service features, with
 * sublinear term frequency (1 + ln tf), signed into 2^16 buckets and L2-normalised; and a DENSE_DIM-dimensional dense
 * projection of that vector (signed hashing of the buckets: a count sketch, which keeps inner products in
 * expectation) for the HNSW index. No vocabulary, no download, no state: the same text gives the same vector in
 * every process.
 */
export class LexicalModel {
  readonly name: string;
  private readonly counts = new Float32Array(SPARSE_DIM);
  private readonly signs = new Int8Array(SPARSE_DIM);
  private readonly weights = new Float32Array(SPARSE_DIM);
  private readonly touched = new Uint16Array(SPARSE_DIM);
  private touchedCount = 0;
  private readonly denseIndex = new Uint16Array(SPARSE_DIM);
  private readonly denseSign = new Float32Array(SPARSE_DIM);
  /**
   * Buckets [0, reserved) are kept for dense features of a subclass (hashed features landing there move up by
   * `reserved`); 0 for argus-lexical-v1, whose vectors are therefore unchanged.
   */
  protected readonly reserved: number;

  /**
   * `denseDim` sizes only the projection, which is computed from the sparse vector whenever an index is built and
   * never stored: the evaluation measures other sizes with it (src/ai/eval/dims.ts).
   */
  constructor(
    readonly options: LexicalOptions = LEXICAL_V1,
    name = LEXICAL_MODEL_NAME,
    reserved = 0,
    readonly denseDim = DENSE_DIM,
  ) {
    this.name = name;
    this.reserved = reserved;
    for (let b = 0; b < SPARSE_DIM; b++) {
      const h = fmix32(b + 0x2545f491);
      this.denseIndex[b] = h % denseDim;
      this.denseSign[b] = h & 0x80000000 ? -1 : 1;
    }
  }

  /** The sparse vector of an incident (title + description + service). */
  embedIncident(incident: IncidentText): SparseVector {
    return this.sparse(`${incident.title}\n${incident.description ?? ''}`, incident.service ?? null);
  }

  /** The sparse vector of free text, optionally with a service name. */
  sparse(text: string, service: string | null = null): SparseVector {
    const o = this.options;
    this.touchedCount = 0;
    let tokens = tokenize(service ? `${text}\n${service}` : text);
    if (tokens.length > o.maxTokens) tokens = tokens.slice(0, o.maxTokens);
    let previous = 0;
    let hasPrevious = false;
    for (const token of tokens) {
      if (o.chars > 0) this.addChars(token);
      if (o.stopWords && STOP_WORDS.has(token)) continue;
      const h = hashString(token, SEED_WORD);
      if (o.unigrams > 0) this.add(h, o.unigrams);
      if (o.bigrams > 0 && hasPrevious) this.add(hashPair(previous, h), o.bigrams);
      previous = h;
      hasPrevious = true;
    }
    if (service && o.service > 0) {
      for (const token of tokenize(service))
        if (!STOP_WORDS.has(token)) this.add(hashString(token, SEED_SERVICE), o.service);
    }
    return this.collect();
  }

  /** The dense projection of a sparse vector, L2-normalised (all zeros for an empty text). */
  dense(v: SparseVector, out: Float32Array = new Float32Array(this.denseDim)): Float32Array {
    out.fill(0);
    for (let i = 0; i < v.idx.length; i++) {
      const b = v.idx[i];
      out[this.denseIndex[b]] += this.denseSign[b] * v.val[i];
    }
    let norm = 0;
    for (let i = 0; i < this.denseDim; i++) norm += out[i] * out[i];
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let i = 0; i < this.denseDim; i++) out[i] *= inv;
    }
    return out;
  }

  private addChars(token: string): void {
    const padded = `<${token}>`;
    for (const n of this.options.charN) {
      for (let i = 0; i + n <= padded.length; i++)
        this.add(hashString(padded.slice(i, i + n), SEED_CHAR + n), this.options.chars);
    }
  }

  private add(h: number, weight: number): void {
    let b = h & (SPARSE_DIM - 1);
    if (b < this.reserved) b += this.reserved;
    if (this.counts[b] === 0) {
      this.touched[this.touchedCount++] = b;
      this.signs[b] = h & 0x80000000 ? -1 : 1;
      this.weights[b] = weight;
    }
    this.counts[b] += 1;
  }

  private collect(): SparseVector {
    const n = this.touchedCount;
    const order = this.touched.subarray(0, n).slice().sort();
    const idx = new Uint16Array(n);
    const val = new Float32Array(n);
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const b = order[i];
      const v = this.signs[b] * this.weights[b] * (1 + Math.log(this.counts[b]));
      idx[i] = b;
      val[i] = v;
      norm += v * v;
      this.counts[b] = 0;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let i = 0; i < n; i++) val[i] *= inv;
    }
    return { idx, val };
  }
}
