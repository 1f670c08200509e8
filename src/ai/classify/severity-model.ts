import {
  AnswerCalibration,
  PlattScaling,
  calibrateAnswer,
  fitAnswerCalibration,
  isOwnCalibration,
} from './calibration.js';
import { LexicalNeighbours, NeighbourIndexParts, TermCache } from './lexical-neighbours.js';
import { CueEvidence, SEVERITY_CLASSES, SeverityPrior, cueIndices } from './severity-prior.js';
import { SEVERITY_CUES } from './severity-cues.js';
import { SERVICE_SHAPES, serviceShapeIndices } from './service-shape.js';
import { SoftmaxWeights, logSoftmax, softmaxLogits, trainSoftmax } from './softmax-regression.js';
import { FEATURE_DIM, IncidentText, SparseVector, classifierFeatures } from '../models/text-features.js';

/**
 * The regression's features: the hashed text features, then one indicator per curated cue found, then one per service
 * shape.
 */
const REGRESSION_DIM = FEATURE_DIM + SEVERITY_CUES.length + SERVICE_SHAPES.length;

function regressionFeatures(doc: IncidentText): SparseVector {
  const text = classifierFeatures(doc);
  const indicators = [
    ...cueIndices(doc).map((j) => FEATURE_DIM + j),
    ...serviceShapeIndices(doc).map((j) => FEATURE_DIM + SEVERITY_CUES.length + j),
  ];
  const indices = new Int32Array(text.indices.length + indicators.length);
  const values = new Float32Array(indices.length);
  indices.set(text.indices);
  values.set(text.values);
  indices.set(indicators, text.indices.length);
  values.fill(1, text.indices.length);
  return { indices, values };
}

/** One incident of an organization's labelled history: a severity a person set or confirmed. */
export interface HistoryIncident extends IncidentText {
  id: string;
  /** INC-12, for the reasoning; null outside the API (evaluation). */
  key: string | null;
  /** 0 = P1 … 3 = P4. */
  severity: number;
  serviceId: string | null;
  teamId: string | null;
  startedAt: Date;
}

export interface SimilarEvidence {
  incident: HistoryIncident;
  score: number;
}

export interface SeverityPrediction {
  /** 0 = P1 … 3 = P4. */
  severity: number;
  /** Calibrated probability that `severity` is right. */
  confidence: number;
  /** The combined distribution before calibration (P1..P4). */
  probabilities: number[];
  cues: CueEvidence[];
  /** The most similar labelled incidents, best first. */
  neighbours: SimilarEvidence[];
}

/** The fitted parts of a SeverityModel: everything but the neighbour index over its history. */
export interface SeverityFit {
  regression: SoftmaxWeights | null;
  mixture: Mixture;
  calibration: PlattScaling | AnswerCalibration;
  trainedOn: number;
}

/** How the three experts are combined: log p = Σ weight · log p_expert (renormalized), then calibrated. */
export interface Mixture {
  prior: number;
  learned: number;
  neighbours: number;
}

export interface SeverityModelOptions {
  /** L2 strength of the softmax regression (sum-of-losses scale). */
  l2: number;
  /** Class weights are (n / (classes present × n_c))^power. */
  classWeightPower: number;
  /** Neighbours that vote. */
  k: number;
  /** Share of the latest history held out to fit the calibration. */
  validationShare: number;
  /** The held-out share is predicted in this many blocks, each by components fitted on all the history before it. */
  validationBlocks: number;
  /** Fewer labelled incidents than this: no regression (prior and neighbours only). */
  minForRegression: number;
  /** Fewer validation incidents than this: the mixture led by the prior (DEFAULT_MIXTURE). */
  minForValidation: number;
  /** Fewer validation incidents than this: the prior's calibration. */
  minForCalibration: number;
  /** L-BFGS iterations of the regression (it is close to converged by then; more changes nothing measurable). */
  maxIterations: number;
  /**
   * Older incidents count less: a sample's weight halves every this many days before the latest incident of the
   * history (labelling habits drift). 0 turns it off.
   */
  recencyHalfLifeDays: number;
  /** The mixture once the history has a validation share (then its calibration is fitted on that share). */
  mixture: Mixture;
}

/**
 * Chosen on the validation folds of the evaluation data (`npm run eval:classify -- <dataDir> --validation`: histories
 * ending at 50–80% of each source's training period, never its test slice); see docs/AI.md. Differences of a few
 * hundredths in macro-F1 between settings were within the noise; the calibration blocks lowered the folds' ECE.
 */
export const DEFAULT_MODEL_OPTIONS: SeverityModelOptions = {
  l2: 1,
  classWeightPower: 1,
  k: 20,
  validationShare: 0.4,
  validationBlocks: 4,
  minForRegression: 10,
  minForValidation: 30,
  minForCalibration: 4,
  maxIterations: 50,
  recencyHalfLifeDays: 0,
  mixture: { prior: 0.25, learned: 1, neighbours: 0.25 },
};

/**
 * Used while the history is too short for a validation slice: the prior leads, with the calibration fitted for it, and
 * the neighbours add what the history shows.
 */
export const DEFAULT_MIXTURE: Mixture = { prior: 1, learned: 0.5, neighbours: 1 };

/** An expert never rules a class out entirely: its probabilities are floored before they are combined. */
const LOG_FLOOR = Math.log(0.01);

interface Experts {
  prior: Float64Array;
  learned: Float64Array | null;
  neighbours: Float64Array;
  cues: CueEvidence[];
  similar: SimilarEvidence[];
}

/**
 * Components trained on one slice of history: the class-weighted softmax regression on hashed lexical features, and
 * the lexical neighbours with their votes.
 */
class Components {
  private readonly regression: SoftmaxWeights | null;
  private readonly index: LexicalNeighbours;
  private readonly classShare: number[];

  /**
   * `regression` given: reused as is (only the neighbours follow the new history); left out: fitted here. `index`
   * given: the neighbour index built elsewhere over this very history (a worker thread), else built here.
   */
  constructor(
    private readonly history: HistoryIncident[],
    features: SparseVector[] | null,
    private readonly prior: SeverityPrior,
    private readonly options: SeverityModelOptions,
    regression?: SoftmaxWeights | null,
    terms?: TermCache,
    index?: NeighbourIndexParts,
  ) {
    const counts = new Array<number>(SEVERITY_CLASSES).fill(0);
    for (const h of history) counts[h.severity]++;
    const present = counts.filter((c) => c > 0).length;
    this.classShare = counts.map((c) => (c + 1) / (history.length + SEVERITY_CLASSES));
    this.index = new LexicalNeighbours(index ?? history, terms);
    if (regression !== undefined) {
      this.regression = regression;
    } else if (history.length >= options.minForRegression && present >= 2) {
      features ??= history.map((h) => regressionFeatures(h));
      const y = history.map((h) => h.severity);
      const latest = Math.max(...history.map((h) => h.startedAt.getTime()));
      const recency = (h: HistoryIncident) =>
        options.recencyHalfLifeDays > 0
          ? Math.pow(0.5, (latest - h.startedAt.getTime()) / (options.recencyHalfLifeDays * 86_400_000))
          : 1;
      const sampleWeights = history.map(
        (h) => Math.pow(history.length / (present * counts[h.severity]), options.classWeightPower) * recency(h),
      );
      this.regression = trainSoftmax(features, y, {
        classes: SEVERITY_CLASSES,
        dim: REGRESSION_DIM,
        l2: options.l2,
        sampleWeights,
        maxIterations: options.maxIterations,
      });
    } else {
      this.regression = null;
    }
  }

  get learned(): SoftmaxWeights | null {
    return this.regression;
  }

  /** Labelled incidents per severity (P1 first) in the history the neighbours see. */
  get severityCounts(): number[] {
    const counts = new Array<number>(SEVERITY_CLASSES).fill(0);
    for (const h of this.history) counts[h.severity]++;
    return counts;
  }

  get neighbourIndex(): NeighbourIndexParts {
    return this.index.parts;
  }

  /** `features`: the document's, when already computed (only a regression reads them). */
  experts(doc: IncidentText, features?: SparseVector, exclude?: number): Experts {
    const prior = this.prior.score(doc);
    const learned = this.regression
      ? floor(logSoftmax(softmaxLogits(this.regression, features ?? regressionFeatures(doc))))
      : null;
    const similar = this.index.query(doc, this.options.k, exclude);
    // Votes weighted by similarity³, divided by the square root of the class's share so that the majority class does
    // not win every close call; smoothed towards uniform so that weak neighbourhoods say little.
    const votes = new Array<number>(SEVERITY_CLASSES).fill(0);
    for (const n of similar)
      votes[this.history[n.index].severity] +=
        n.score ** 3 / Math.sqrt(this.classShare[this.history[n.index].severity]);
    const total = votes.reduce((a, b) => a + b, 0);
    const smoothing = 0.1;
    const neighbours = floor(
      Float64Array.from(votes, (v) => Math.log((v + smoothing / SEVERITY_CLASSES) / (total + smoothing))),
    );
    return {
      prior: prior.logProbs,
      learned,
      neighbours,
      cues: prior.cues,
      similar: similar.map((n) => ({ incident: this.history[n.index], score: n.score })),
    };
  }
}

/** Oldest first; a stable sort, so incidents that started at the same time keep the order they were given in. */
export function byStart(history: HistoryIncident[]): HistoryIncident[] {
  return [...history].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
}

/**
 * An incident as the model's answers use it once its neighbour index is built: what the evidence and the reasoning
 * name (key, title, severity, service and team), without the text only the index reads.
 */
export function slimIncident(h: HistoryIncident): HistoryIncident {
  return {
    id: h.id,
    key: h.key,
    title: h.title,
    severity: h.severity,
    serviceId: h.serviceId,
    teamId: h.teamId,
    startedAt: h.startedAt,
  };
}

function floor(logProbs: Float64Array): Float64Array {
  return logProbs.map((v) => Math.max(LOG_FLOOR, v));
}

function combine(experts: Experts, mixture: Mixture): number[] {
  const scores = new Array<number>(SEVERITY_CLASSES).fill(0);
  for (let c = 0; c < SEVERITY_CLASSES; c++) {
    scores[c] =
      mixture.prior * experts.prior[c] +
      mixture.neighbours * experts.neighbours[c] +
      (experts.learned ? mixture.learned * experts.learned[c] : 0);
  }
  return Array.from(logSoftmax(scores), Math.exp);
}

function argmax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Most recent labelled incidents a model without a regression calibrates on. */
const LEAVE_ONE_OUT_SAMPLE = 200;

/** Share of its history by which a model without a regression must have changed to be calibrated again. */
const RECALIBRATE_CHANGE = 0.1;

function fitCalibration(probabilities: number[][], truth: number[]): AnswerCalibration {
  return fitAnswerCalibration(
    probabilities.map((p) => Math.max(...p)),
    probabilities.map((p, i) => argmax(p) === truth[i]),
    probabilities.map(argmax),
    SEVERITY_CLASSES,
  );
}

/**
 * For a model of the prior and the neighbours alone (a history just imported, or too large to fit in a request): its
 * latest labelled incidents predicted with each left out of the neighbours, which needs no fitting. Its confidence then
 * follows this organization's history instead of the prior's calibration. Null when the history is too short.
 */
function leaveOneOutCalibration(
  components: Components,
  sorted: HistoryIncident[],
  mixture: Mixture,
  settings: SeverityModelOptions,
): AnswerCalibration | null {
  const count = Math.min(LEAVE_ONE_OUT_SAMPLE, Math.floor(sorted.length * settings.validationShare));
  if (count < settings.minForValidation) return null;
  const probabilities: number[][] = [];
  const truth: number[] = [];
  for (let i = sorted.length - count; i < sorted.length; i++) {
    probabilities.push(combine(components.experts(sorted[i], undefined, i), mixture));
    truth.push(sorted[i].severity);
  }
  return fitCalibration(probabilities, truth);
}

/** Where the held-out blocks of a history of n incidents start, and (last) n. */
function heldOutBlocks(n: number, settings: SeverityModelOptions): number[] {
  const { validationBlocks: blocks, validationShare: share } = settings;
  return Array.from({ length: blocks + 1 }, (_, b) => Math.floor(n * (1 - (share * (blocks - b)) / blocks)));
}

/**
 * Each block of the latest history predicted by components fitted on everything before it, and the calibration fitted
 * on whether those answers were right. A short history still shows how often the model is right on this
 * organization's incidents: from a few held-out answers on, the confidence follows them instead of the prior's
 * calibration. Null with fewer.
 */
function blockCalibration(
  sorted: HistoryIncident[],
  features: SparseVector[] | null,
  prior: SeverityPrior,
  settings: SeverityModelOptions,
  mixture: Mixture,
  starts: number[],
): AnswerCalibration | null {
  if (sorted.length - starts[0] < settings.minForCalibration) return null;
  const probabilities: number[][] = [];
  const truth: number[] = [];
  for (let b = 0; b < settings.validationBlocks; b++) {
    const [start, end] = [starts[b], starts[b + 1]];
    const early = new Components(sorted.slice(0, start), features?.slice(0, start) ?? null, prior, settings);
    for (let i = start; i < end; i++) {
      probabilities.push(combine(early.experts(sorted[i], features?.[i]), mixture));
      truth.push(sorted[i].severity);
    }
  }
  return fitCalibration(probabilities, truth);
}

/**
 * An organization's severity model: the day-one prior, a softmax regression learned from its labelled history and the
 * votes of its most similar past incidents, combined log-linearly. The confidence calibration is fitted on the latest
 * slice of the history (components fitted on the earlier incidents predict the later ones, as the model will predict
 * the future), then the components are refitted on all of it. With little history the prior carries the answer.
 */
export class SeverityModel {
  private constructor(
    private readonly components: Components,
    private readonly prior: SeverityPrior,
    private readonly settings: SeverityModelOptions,
    readonly mixture: Mixture,
    readonly calibration: PlattScaling | AnswerCalibration,
    /** Labelled incidents the neighbours see. */
    readonly historySize: number,
    /** Labelled incidents the regression and the calibration were fitted on. */
    readonly trainedOn: number,
    /** Labelled incidents the calibration was fitted on, when it was refitted since (a model without a regression). */
    private readonly calibratedOn = trainedOn,
  ) {}

  static train(
    history: HistoryIncident[],
    prior: SeverityPrior,
    options: Partial<SeverityModelOptions> = {},
  ): SeverityModel {
    const settings = { ...DEFAULT_MODEL_OPTIONS, ...options };
    const sorted = byStart(history);
    // Only a regression reads the features: none are computed for a model of the prior and the neighbours alone.
    const features = sorted.length >= settings.minForRegression ? sorted.map((h) => regressionFeatures(h)) : null;
    const starts = heldOutBlocks(sorted.length, settings);
    const mixture =
      sorted.length - starts[0] >= settings.minForValidation && starts[0] >= settings.minForRegression
        ? settings.mixture
        : DEFAULT_MIXTURE;
    const components = new Components(sorted, features, prior, settings);
    // Without a regression, each incident left out of the neighbours (no fitting); else the held-out blocks.
    const calibration =
      (!components.learned && leaveOneOutCalibration(components, sorted, mixture, settings)) ||
      blockCalibration(sorted, features, prior, settings, mixture, starts) ||
      prior.calibration;
    return new SeverityModel(components, prior, settings, mixture, calibration, sorted.length, sorted.length);
  }

  /** Labelled incidents per severity (P1 first) the model's neighbours see. */
  get severityCounts(): number[] {
    return this.components.severityCounts;
  }

  /** Whether the confidence is calibrated on this organization's own record rather than the prior's. */
  get calibratedOnHistory(): boolean {
    return isOwnCalibration(this.calibration);
  }

  /** Whether a regression was fitted (a model of the prior and the neighbours alone has none). */
  get hasRegression(): boolean {
    return this.components.learned !== null;
  }

  /**
   * What fitting learned (plain data a worker thread can send back): with the same history, `fromFit` rebuilds the
   * model.
   */
  get fit(): SeverityFit {
    return {
      regression: this.components.learned,
      mixture: this.mixture,
      calibration: this.calibration,
      trainedOn: this.trainedOn,
    };
  }

  /** The model `train(history, prior, options)` returned, from its `fit`: only the neighbour index is built here. */
  static fromFit(
    history: HistoryIncident[],
    prior: SeverityPrior,
    options: Partial<SeverityModelOptions>,
    fit: SeverityFit,
    index?: NeighbourIndexParts,
  ): SeverityModel {
    const settings = { ...DEFAULT_MODEL_OPTIONS, ...options };
    const sorted = byStart(history);
    const components = new Components(sorted, null, prior, settings, fit.regression, undefined, index);
    return new SeverityModel(components, prior, settings, fit.mixture, fit.calibration, sorted.length, fit.trainedOn);
  }

  /**
   * The neighbour index over the history (by position in `byStart(history)`): with `fit`, `fromFit` rebuilds the
   * model without reading the incidents' texts, so they can be left out of the history it is given (`slim`).
   */
  get neighbourIndex(): NeighbourIndexParts {
    return this.components.neighbourIndex;
  }

  /**
   * The same regression, mixture and calibration with the neighbours over a newer history: cheap (no fitting), so a
   * new labelled incident counts as evidence at once while the full refit waits for the background.
   */
  withHistory(history: HistoryIncident[], terms?: TermCache): SeverityModel {
    const sorted = byStart(history);
    const components = new Components(sorted, null, this.prior, this.settings, this.components.learned, terms);
    // Calibrated again only once the history has grown or shrunk enough to matter: a model that follows every new
    // labelled incident in the request would otherwise redo it each time.
    const moved = Math.abs(sorted.length - this.calibratedOn) >= Math.max(1, this.calibratedOn * RECALIBRATE_CHANGE);
    const calibration =
      !components.learned && moved ? leaveOneOutCalibration(components, sorted, this.mixture, this.settings) : null;
    return new SeverityModel(
      components,
      this.prior,
      this.settings,
      this.mixture,
      calibration ?? this.calibration,
      sorted.length,
      this.trainedOn,
      calibration ? sorted.length : this.calibratedOn,
    );
  }

  predict(doc: IncidentText): SeverityPrediction {
    const experts = this.components.experts(doc);
    const probabilities = combine(experts, this.mixture);
    const severity = argmax(probabilities);
    return {
      severity,
      confidence: calibrateAnswer(this.calibration, severity, probabilities[severity]),
      probabilities,
      cues: experts.cues,
      neighbours: experts.similar,
    };
  }
}
