import { words, DESCRIPTION_CHARS, type IncidentText, type SparseVector } from '../src/ai/models/text-features.js';
import { trainSoftmax, softmaxLogits, logSoftmax, type SoftmaxWeights } from '../src/ai/classify/softmax-regression.js';

/**
 * The evaluation's strong plain baseline: class-weighted (balanced) multinomial logistic regression on TF-IDF word
 * unigrams + bigrams and character 2–5-grams inside word boundaries (as scikit-learn's `char_wb`), each block
 * sublinear-TF, smoothed IDF, L2-normalized, stacked side by side — what a data scientist builds in an afternoon with
 * `TfidfVectorizer` + `LogisticRegression(class_weight='balanced')`. The service name is part of the text. Vocabulary
 * from the training documents (terms in at least `minDf` of them). Not used by the API.
 */
export interface TfidfLogRegOptions {
  /** L2 strength (λ = 1/C over the summed loss; scikit-learn's default C = 1). */
  l2: number;
  minDf: number;
  charGrams: [number, number];
}

const DEFAULTS: TfidfLogRegOptions = { l2: 1, minDf: 2, charGrams: [2, 5] };

function text(doc: IncidentText): string {
  return `${doc.title}\n${(doc.description ?? '').slice(0, DESCRIPTION_CHARS)}\n${doc.service ?? ''}`;
}

function wordTerms(doc: IncidentText): string[] {
  const w = words(text(doc));
  const out = w.map((t) => `w:${t}`);
  for (let i = 1; i < w.length; i++) out.push(`b:${w[i - 1]} ${w[i]}`);
  return out;
}

function charTerms(doc: IncidentText, [lo, hi]: [number, number]): string[] {
  const out: string[] = [];
  for (const word of words(text(doc))) {
    const padded = ` ${word} `;
    for (let n = lo; n <= hi; n++) for (let i = 0; i + n <= padded.length; i++) out.push(`c:${padded.slice(i, i + n)}`);
  }
  return out;
}

class TfidfBlock {
  private readonly vocabulary = new Map<string, number>();
  private idf: Float64Array = new Float64Array(0);

  constructor(
    private readonly terms: (doc: IncidentText) => string[],
    private readonly offset: () => number,
  ) {}

  get size(): number {
    return this.vocabulary.size;
  }

  fit(docs: IncidentText[], minDf: number, start: number): void {
    const df = new Map<string, number>();
    for (const doc of docs) for (const t of new Set(this.terms(doc))) df.set(t, (df.get(t) ?? 0) + 1);
    const kept = [...df].filter(([, n]) => n >= minDf).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    this.idf = new Float64Array(kept.length);
    kept.forEach(([t, n], i) => {
      this.vocabulary.set(t, start + i);
      this.idf[i] = Math.log((1 + docs.length) / (1 + n)) + 1;
    });
  }

  transform(doc: IncidentText, into: Map<number, number>, start: number): void {
    const counts = new Map<number, number>();
    for (const t of this.terms(doc)) {
      const index = this.vocabulary.get(t);
      if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    let norm = 0;
    const weighted = [...counts].map(([index, count]) => {
      const v = (1 + Math.log(count)) * this.idf[index - start];
      norm += v * v;
      return [index, v] as const;
    });
    norm = Math.sqrt(norm) || 1;
    for (const [index, v] of weighted) into.set(index, v / norm);
  }
}

export class TfidfLogisticRegression {
  private readonly options: TfidfLogRegOptions;
  private readonly words: TfidfBlock;
  private readonly chars: TfidfBlock;
  private model!: SoftmaxWeights;

  constructor(
    docs: IncidentText[],
    labels: number[],
    readonly classes: number,
    options: Partial<TfidfLogRegOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.words = new TfidfBlock(wordTerms, () => 0);
    this.chars = new TfidfBlock(
      (d) => charTerms(d, this.options.charGrams),
      () => this.words.size,
    );
    this.words.fit(docs, this.options.minDf, 0);
    this.chars.fit(docs, this.options.minDf, this.words.size);
    const x = docs.map((d) => this.vector(d));
    const counts = new Array<number>(classes).fill(0);
    for (const y of labels) counts[y]++;
    // scikit-learn's 'balanced': n / (classes present × count).
    const present = counts.filter((c) => c > 0).length;
    const sampleWeights = labels.map((y) => docs.length / (present * counts[y]));
    this.model = trainSoftmax(x, labels, {
      classes,
      dim: this.words.size + this.chars.size,
      l2: this.options.l2,
      sampleWeights,
      maxIterations: 300,
    });
  }

  private vector(doc: IncidentText): SparseVector {
    const map = new Map<number, number>();
    this.words.transform(doc, map, 0);
    this.chars.transform(doc, map, this.words.size);
    const entries = [...map].sort((a, b) => a[0] - b[0]);
    return { indices: Int32Array.from(entries, (e) => e[0]), values: Float32Array.from(entries, (e) => e[1]) };
  }

  predict(doc: IncidentText): number[] {
    return [...logSoftmax(softmaxLogits(this.model, this.vector(doc)))].map(Math.exp);
  }
}
