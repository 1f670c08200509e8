import { wordTermCounts, IncidentText } from '../src/ai/models/text-features.js';

/**
 * The evaluation's baseline: multinomial naive Bayes over word unigrams and bigrams (Laplace smoothing, class priors
 * from the training counts). Not used by the API.
 */
export class NaiveBayes {
  private readonly logPrior: number[];
  private readonly logLikelihood: Array<Map<string, number>>;
  private readonly unseen: number[];
  private readonly vocabulary: Set<string>;

  constructor(
    docs: IncidentText[],
    labels: number[],
    readonly classes: number,
    alpha = 1,
  ) {
    const vocabulary = new Set<string>();
    const counts = Array.from({ length: classes }, () => new Map<string, number>());
    const totals = new Array<number>(classes).fill(0);
    const docCounts = new Array<number>(classes).fill(0);
    docs.forEach((doc, i) => {
      docCounts[labels[i]]++;
      for (const [term, count] of wordTermCounts({ ...doc, service: null })) {
        vocabulary.add(term);
        counts[labels[i]].set(term, (counts[labels[i]].get(term) ?? 0) + count);
        totals[labels[i]] += count;
      }
    });
    const v = vocabulary.size;
    this.logPrior = docCounts.map((c) => Math.log((c + 1) / (docs.length + classes)));
    this.logLikelihood = counts.map(
      (map, k) => new Map([...map].map(([term, count]) => [term, Math.log((count + alpha) / (totals[k] + alpha * v))])),
    );
    this.unseen = totals.map((total) => Math.log(alpha / (total + alpha * v)));
    this.vocabulary = vocabulary;
  }

  /** Posterior probabilities of each class. */
  predict(doc: IncidentText): number[] {
    const scores = this.logPrior.slice();
    for (const [term, count] of wordTermCounts({ ...doc, service: null })) {
      if (!this.vocabulary.has(term)) continue;
      for (let k = 0; k < this.classes; k++) scores[k] += count * (this.logLikelihood[k].get(term) ?? this.unseen[k]);
    }
    const max = Math.max(...scores);
    const exp = scores.map((s) => Math.exp(s - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    return exp.map((e) => e / sum);
  }
}
