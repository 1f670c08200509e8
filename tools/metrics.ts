import { seededRandom } from './seeded-random.js';

/**
 * Classification metrics over ordinal classes 0..K−1 (P1..P4).
 *
 * - macro-F1 averages the F1 of every class that occurs in the truth or in the predictions (a class that is neither
 *   predicted nor present has no F1 and is left out, as scikit-learn does by default);
 * - within-one: the prediction is at most one level away (P2 for a P1 counts, P3 does not);
 * - expected calibration error: the confidence of each prediction (the probability it gave its class) in 10
 *   equal-width bins, |accuracy − mean confidence| per bin weighted by the bin's share.
 */
export interface ClassificationReport {
  n: number;
  accuracy: number;
  macroF1: number;
  withinOne: number;
  /** Null when the model gives no confidence (the baselines' confidences are reported too, for reference). */
  ece: number | null;
  perClassF1: Record<string, number | null>;
}

export function evaluatePredictions(
  truth: number[],
  predicted: number[],
  confidence: number[] | null,
  labels: string[],
): ClassificationReport {
  const n = truth.length;
  let correct = 0;
  let within = 0;
  for (let i = 0; i < n; i++) {
    if (truth[i] === predicted[i]) correct++;
    if (Math.abs(truth[i] - predicted[i]) <= 1) within++;
  }
  const perClassF1: Record<string, number | null> = {};
  const f1s: number[] = [];
  labels.forEach((label, k) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      if (predicted[i] === k && truth[i] === k) tp++;
      else if (predicted[i] === k) fp++;
      else if (truth[i] === k) fn++;
    }
    if (tp + fp + fn === 0) {
      perClassF1[label] = null;
      return;
    }
    const f1 = (2 * tp) / (2 * tp + fp + fn);
    perClassF1[label] = f1;
    f1s.push(f1);
  });
  return {
    n,
    accuracy: n ? correct / n : 0,
    macroF1: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0,
    withinOne: n ? within / n : 0,
    ece: confidence
      ? expectedCalibrationError(
          confidence,
          truth.map((t, i) => t === predicted[i]),
        )
      : null,
    perClassF1,
  };
}

export function expectedCalibrationError(confidence: number[], correct: boolean[], bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const sumConfidence = new Array<number>(bins).fill(0);
  const sumCorrect = new Array<number>(bins).fill(0);
  confidence.forEach((c, i) => {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(c * bins)));
    count[b]++;
    sumConfidence[b] += c;
    sumCorrect[b] += correct[i] ? 1 : 0;
  });
  const n = confidence.length;
  let ece = 0;
  for (let b = 0; b < bins; b++)
    if (count[b]) ece += (count[b] / n) * Math.abs(sumCorrect[b] / count[b] - sumConfidence[b] / count[b]);
  return ece;
}

/** One source's test slice: the truth and two models' answers to the same incidents. */
export interface PairedAnswers {
  truth: number[];
  model: number[];
  baseline: number[];
}

/**
 * The 95% interval of the mean over sources of macro-F1(model) − macro-F1(baseline), by a paired bootstrap: each round
 * draws every source's incidents again with replacement, the same draw for both models. Seeded, so a run prints the
 * same interval every time. It shows how much of a difference a test slice of this size can tell from chance.
 */
export function bootstrapMacroF1Difference(
  sources: PairedAnswers[],
  labels: string[],
  rounds = 2000,
  seed = 1,
): { low: number; high: number } {
  const next = seededRandom(seed);
  const differences: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let sum = 0;
    for (const { truth, model, baseline } of sources) {
      const draw = truth.map(() => Math.floor(next() * truth.length));
      const pick = (values: number[]) => draw.map((i) => values[i]);
      const t = pick(truth);
      sum +=
        evaluatePredictions(t, pick(model), null, labels).macroF1 -
        evaluatePredictions(t, pick(baseline), null, labels).macroF1;
    }
    differences.push(sum / Math.max(1, sources.length));
  }
  differences.sort((a, b) => a - b);
  const at = (q: number) => differences[Math.min(rounds - 1, Math.max(0, Math.floor(q * rounds)))];
  return { low: at(0.025), high: at(0.975) };
}
