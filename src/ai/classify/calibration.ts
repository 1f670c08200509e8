/**
 * Confidence calibration: Platt scaling of the winning class's probability. The model's own probability of the class
 * it chose, p, is mapped to σ(a · logit(p) + b), with a and b fitted by logistic regression on whether held-out
 * predictions were right. Two parameters fit well on the few hundred validation incidents an organization has,
 * which isotonic regression would over-fit, and they directly target "when it says 0.8 it is right 80% of the time".
 */
export interface PlattScaling {
  a: number;
  b: number;
}

/**
 * A Platt scaling per answer (P1..P4), each pulled towards the one fitted on all answers: how often a "P2" is right
 * differs from how often a "P3" is (a class-weighted model answers a rare class more often than it occurs), and an
 * answer seldom given keeps close to the shared scaling.
 */
export interface AnswerCalibration extends PlattScaling {
  perAnswer: PlattScaling[];
}

/** No change: σ(logit(p)) = p. */
export const IDENTITY_SCALING: PlattScaling = { a: 1, b: 0 };

const EPS = 1e-6;

export function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function calibrate(scaling: PlattScaling, p: number): number {
  return sigmoid(scaling.a * logit(p) + scaling.b);
}

/**
 * No answer claims more than this. Severities are people's judgements, and an organization's habits drift: where the
 * history had a P3 answer right 99 times in 100, the next months may have it right 80 times. Chosen on the validation
 * folds (docs/DECISIONS.md).
 */
export const MAX_CONFIDENCE = 0.9;

/**
 * No answer whose confidence is still the prior's claims more than this. The prior's calibration was measured on
 * GitHub's own later incidents; on a new organization the same answers are right as often as its labels agree with
 * GitHub's habits (on the evaluation's other vendors 38% to 85% of the time). Chosen on the validation folds
 * (docs/DECISIONS.md).
 */
export const PRIOR_MAX_CONFIDENCE = 0.75;

/**
 * The confidence of `answer` given with probability p: with an organization's own calibration (one scaling per
 * answer), that answer's, at most MAX_CONFIDENCE; with a single scaling, which is the prior's, at most
 * PRIOR_MAX_CONFIDENCE.
 */
export function calibrateAnswer(calibration: PlattScaling | AnswerCalibration, answer: number, p: number): number {
  if (!isOwnCalibration(calibration)) return Math.min(PRIOR_MAX_CONFIDENCE, calibrate(calibration, p));
  return Math.min(MAX_CONFIDENCE, calibrate(calibration.perAnswer[answer], p));
}

/** Whether the calibration was fitted on the organization's own held-out answers (one scaling per answer). */
export function isOwnCalibration(calibration: PlattScaling | AnswerCalibration): calibration is AnswerCalibration {
  return 'perAnswer' in calibration;
}

/** The shared scaling fitted on every answer, then one per answer class pulled towards it. */
export function fitAnswerCalibration(
  confidence: number[],
  correct: boolean[],
  answers: number[],
  classes: number,
  pull = 10,
): AnswerCalibration {
  const shared = fitPlatt(confidence, correct);
  const perAnswer = Array.from({ length: classes }, (_, k) => {
    const mine = answers.flatMap((a, i) => (a === k ? [i] : []));
    return fitPlatt(
      mine.map((i) => confidence[i]),
      mine.map((i) => correct[i]),
      pull,
      shared,
    );
  });
  return { ...shared, perAnswer };
}

/**
 * Fits a and b by damped Newton steps on the log-loss, with a weak pull towards `center` (the identity by default, so
 * that a handful of examples cannot produce an extreme map) and Platt's target smoothing ((k+1)/(n+2) instead of 0/1).
 * The slope stays at or above zero: a higher probability never means a lower confidence.
 */
export function fitPlatt(
  confidence: number[],
  correct: boolean[],
  pull = 1,
  center: PlattScaling = IDENTITY_SCALING,
): PlattScaling {
  const n = confidence.length;
  if (n === 0) return center;
  const positives = correct.filter(Boolean).length;
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (n - positives + 2);
  const z = confidence.map(logit);
  const t = correct.map((c) => (c ? hi : lo));
  const objective = (a: number, b: number) => {
    let loss = 0.5 * pull * ((a - center.a) ** 2 + (b - center.b) ** 2);
    for (let i = 0; i < n; i++) {
      const zi = a * z[i] + b;
      // log(1 + e^zi) − t·zi, computed stably.
      loss += Math.max(zi, 0) + Math.log1p(Math.exp(-Math.abs(zi))) - t[i] * zi;
    }
    return loss;
  };
  let a = center.a;
  let b = center.b;
  let current = objective(a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    // Gradient and Hessian of Σ log-loss + pull/2 · ((a−a₀)² + (b−b₀)²).
    let ga = pull * (a - center.a);
    let gb = pull * (b - center.b);
    let haa = pull;
    let hab = 0;
    let hbb = pull;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * z[i] + b);
      const d = p - t[i];
      const w = p * (1 - p);
      ga += d * z[i];
      gb += d;
      haa += w * z[i] * z[i];
      hab += w * z[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (det <= 1e-12) break;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    // At the bound a = 0 with the slope pushing below it: a Newton step on b alone.
    if (a <= 0 && da > 0) {
      da = 0;
      db = gb / hbb;
    }
    const at = (s: number): [number, number] => [Math.max(0, a - s * da), b - s * db];
    // Damped Newton: halve the step until the objective decreases.
    let step = 1;
    let next = objective(...at(step));
    while (next > current && step > 1e-6) {
      step /= 2;
      next = objective(...at(step));
    }
    if (next > current) break;
    [a, b] = at(step);
    const improvement = current - next;
    current = next;
    if (improvement < 1e-10) break;
  }
  return { a, b };
}
