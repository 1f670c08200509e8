import type { SparseVector } from '../models/text-features.js';

/**
 * Multinomial logistic (softmax) regression over sparse features, fitted by L-BFGS on the full batch: deterministic
 * (no shuffling, no learning rate), and quick for the few thousand incidents an organization has.
 *
 * Objective: Σᵢ wᵢ · cross-entropy(xᵢ, yᵢ) + λ/2 · ‖W − W₀‖² (+ an optional penalty on the bias). `wᵢ` are sample
 * weights (class
 * weights for imbalanced severities); `W₀` is an optional centre, so that a curated starting point is kept where the
 * data says nothing and moved where it does (a Gaussian prior on the weights).
 */
export interface SoftmaxOptions {
  classes: number;
  dim: number;
  l2: number;
  sampleWeights?: ArrayLike<number>;
  /** Dense centre of the L2 penalty, `classes × dim`, row per class; default zero. */
  center?: Float64Array;
  /** Centre of the bias: the starting point of the fit, and the centre of its own penalty when `biasL2` is set. */
  centerBias?: ArrayLike<number>;
  /** L2 strength on the bias (default 0: the bias is free). A large value holds it at `centerBias`. */
  biasL2?: number;
  maxIterations?: number;
}

export interface SoftmaxWeights {
  classes: number;
  dim: number;
  /** `classes × dim`, row per class. */
  weights: Float32Array;
  bias: Float64Array;
}

export function trainSoftmax(x: SparseVector[], y: ArrayLike<number>, options: SoftmaxOptions): SoftmaxWeights {
  const K = options.classes;
  // Only features that occur in the data can move; the others stay at their centre. Working on this compact set keeps
  // memory and time proportional to the data, not to the hashed dimension.
  const compactOf = new Map<number, number>();
  for (const v of x) for (const index of v.indices) if (!compactOf.has(index)) compactOf.set(index, compactOf.size);
  const F = compactOf.size;
  const rows = x.map((v) => ({ indices: Int32Array.from(v.indices, (i) => compactOf.get(i)!), values: v.values }));
  // Parameters feature-major (feature c, class k at c·K + k), then the K biases: one pass over an example's features
  // reads and writes all its classes side by side.
  const center = new Float64Array(K * F);
  if (options.center) {
    for (const [index, c] of compactOf)
      for (let k = 0; k < K; k++) center[c * K + k] = options.center[k * options.dim + index];
  }
  const n = x.length;
  const sampleWeights = Float64Array.from({ length: n }, (_, i) => options.sampleWeights?.[i] ?? 1);
  const size = K * F + K;
  const params = new Float64Array(size);
  params.set(center);
  if (options.centerBias) for (let k = 0; k < K; k++) params[K * F + k] = options.centerBias[k];
  const logits = new Float64Array(K);
  const residual = new Float64Array(K);

  const evaluate = (p: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const { indices, values } = rows[i];
      for (let k = 0; k < K; k++) logits[k] = p[K * F + k];
      for (let j = 0; j < indices.length; j++) {
        const base = indices[j] * K;
        const v = values[j];
        for (let k = 0; k < K; k++) logits[k] += p[base + k] * v;
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (logits[k] > max) max = logits[k];
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(logits[k] - max);
      const logSum = max + Math.log(sum);
      const w = sampleWeights[i];
      loss += w * (logSum - logits[y[i]]);
      for (let k = 0; k < K; k++) {
        residual[k] = w * (Math.exp(logits[k] - logSum) - (k === y[i] ? 1 : 0));
        grad[K * F + k] += residual[k];
      }
      for (let j = 0; j < indices.length; j++) {
        const base = indices[j] * K;
        const v = values[j];
        for (let k = 0; k < K; k++) grad[base + k] += residual[k] * v;
      }
    }
    const l2 = options.l2;
    for (let j = 0; j < K * F; j++) {
      const d = p[j] - center[j];
      loss += 0.5 * l2 * d * d;
      grad[j] += l2 * d;
    }
    const biasL2 = options.biasL2 ?? 0;
    if (biasL2 > 0) {
      for (let k = 0; k < K; k++) {
        const d = p[K * F + k] - (options.centerBias ? options.centerBias[k] : 0);
        loss += 0.5 * biasL2 * d * d;
        grad[K * F + k] += biasL2 * d;
      }
    }
    return loss;
  };

  lbfgs(params, evaluate, options.maxIterations ?? 200);

  const weights = new Float32Array(K * options.dim);
  if (options.center) weights.set(options.center);
  for (const [index, c] of compactOf) for (let k = 0; k < K; k++) weights[k * options.dim + index] = params[c * K + k];
  return { classes: K, dim: options.dim, weights, bias: params.slice(K * F) };
}

/** Class scores (logits) of one example. */
export function softmaxLogits(model: SoftmaxWeights, v: SparseVector): Float64Array {
  const out = new Float64Array(model.classes);
  for (let k = 0; k < model.classes; k++) {
    let z = model.bias[k];
    const base = k * model.dim;
    for (let j = 0; j < v.indices.length; j++) z += model.weights[base + v.indices[j]] * v.values[j];
    out[k] = z;
  }
  return out;
}

/** Log-probabilities from logits, numerically stable. */
export function logSoftmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const out = new Float64Array(logits.length);
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, logits[k] / temperature);
  let sum = 0;
  for (let k = 0; k < logits.length; k++) sum += Math.exp(logits[k] / temperature - max);
  const logSum = max + Math.log(sum);
  for (let k = 0; k < logits.length; k++) out[k] = logits[k] / temperature - logSum;
  return out;
}

/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, minimizing in place. Enough for smooth convex
 * objectives such as this one.
 */
export function lbfgs(
  x: Float64Array,
  f: (x: Float64Array, grad: Float64Array) => number,
  maxIterations: number,
  memory = 7,
): void {
  const size = x.length;
  const grad = new Float64Array(size);
  let value = f(x, grad);
  const s: Float64Array[] = [];
  const yv: Float64Array[] = [];
  const rho: number[] = [];
  const direction = new Float64Array(size);
  const trial = new Float64Array(size);
  const trialGrad = new Float64Array(size);
  const alpha = new Float64Array(memory);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    // Two-loop recursion: direction = −H·grad.
    for (let j = 0; j < size; j++) direction[j] = -grad[j];
    for (let m = s.length - 1; m >= 0; m--) {
      alpha[m] = rho[m] * dotDense(s[m], direction);
      axpy(-alpha[m], yv[m], direction);
    }
    if (s.length) {
      const last = s.length - 1;
      const gamma = dotDense(s[last], yv[last]) / dotDense(yv[last], yv[last]);
      for (let j = 0; j < size; j++) direction[j] *= gamma;
    } else {
      const norm = Math.sqrt(dotDense(grad, grad));
      if (norm === 0) return;
      for (let j = 0; j < size; j++) direction[j] /= Math.max(1, norm);
    }
    for (let m = 0; m < s.length; m++) {
      const beta = rho[m] * dotDense(yv[m], direction);
      axpy(alpha[m] - beta, s[m], direction);
    }
    let slope = dotDense(grad, direction);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      s.length = 0;
      yv.length = 0;
      rho.length = 0;
      for (let j = 0; j < size; j++) direction[j] = -grad[j];
      slope = dotDense(grad, direction);
      if (slope >= 0) return;
    }
    let step = 1;
    let trialValue = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let j = 0; j < size; j++) trial[j] = x[j] + step * direction[j];
      trialValue = f(trial, trialGrad);
      if (trialValue <= value + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(trialValue < value)) return;
    // The oldest pair's arrays are reused once the memory is full.
    const reuse = s.length === memory;
    const sNew = reuse ? s[0] : new Float64Array(size);
    const yNew = reuse ? yv[0] : new Float64Array(size);
    for (let j = 0; j < size; j++) {
      sNew[j] = trial[j] - x[j];
      yNew[j] = trialGrad[j] - grad[j];
    }
    const sy = dotDense(sNew, yNew);
    if (reuse) {
      s.shift();
      yv.shift();
      rho.shift();
    }
    if (sy > 1e-10) {
      s.push(sNew);
      yv.push(yNew);
      rho.push(1 / sy);
    }
    x.set(trial);
    grad.set(trialGrad);
    const improvement = value - trialValue;
    value = trialValue;
    if (improvement < 1e-7 * Math.max(1, Math.abs(value))) return;
  }
}

function dotDense(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += a[j] * b[j];
  return sum;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let j = 0; j < x.length; j++) y[j] += a * x[j];
}
