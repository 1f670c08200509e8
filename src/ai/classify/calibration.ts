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
 * Fits a and b by damped Newton steps on the log-loss, with a weak pull towards the identity (so that a handful of
 * examples cannot produce an extreme map) and Platt's target smoothing ((k+1)/(n+2) instead of 0/1).
 */
export function fitPlatt(confidence: number[], correct: boolean[], pull = 1): PlattScaling {
  const n = confidence.length;
  if (n === 0) return IDENTITY_SCALING;
  const positives = correct.filter(Boolean).length;
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (n - positives + 2);
  const z = confidence.map(logit);
  const t = correct.map((c) => (c ? hi : lo));
  const objective = (a: number, b: number) => {
    let loss = 0.5 * pull * ((a - 1) ** 2 + b ** 2);
    for (let i = 0; i < n; i++) {
      const zi = a * z[i] + b;
      // log(1 + e^zi) − t·zi, computed stably.
      loss += Math.max(zi, 0) + Math.log1p(Math.exp(-Math.abs(zi))) - t[i] * zi;
    }
    return loss;
  };
  let a = 1;
  let b = 0;
  let current = objective(a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    // Gradient and Hessian of Σ log-loss + pull/2 · ((a−1)² + b²).
    let ga = pull * (a - 1);
    let gb = pull * b;
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
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    // Damped Newton: halve the step until the objective decreases.
    let step = 1;
    let next = objective(a - da, b - db);
    while (next > current && step > 1e-6) {
      step /= 2;
      next = objective(a - step * da, b - step * db);
    }
    if (next > current) break;
    a -= step * da;
    b -= step * db;
    const improvement = current - next;
    current = next;
    if (improvement < 1e-10) break;
  }
  return { a, b };
}
