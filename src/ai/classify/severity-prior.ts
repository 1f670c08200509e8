import { CURATED_BIAS, SEVERITY_CUES, matchCues } from './severity-cues.js';
import { DESCRIPTION_CHARS, IncidentText, SparseVector } from '../models/text-features.js';
import { logSoftmax, softmaxLogits, trainSoftmax } from './softmax-regression.js';
import { PlattScaling, IDENTITY_SCALING, fitPlatt } from './calibration.js';

export const SEVERITY_CLASSES = 4;

/**
 * The day-one prior: the curated cues of severity-cues.ts with weights re-fitted on public incident records (a softmax
 * regression on cue indicators whose L2 penalty pulls towards the curated weights, so the data moves a cue only as far
 * as it has evidence; the class bias stays curated), plus the Platt calibration of its confidence on the latest
 * records. Shipped as a small JSON
 * artefact with its provenance; `npm run build:severity-prior -- <dataDir>` rebuilds it.
 */
export interface SeverityPriorArtefact {
  model: string;
  /** Learned weights per cue name (P1..P4); a cue missing here keeps its curated weights. */
  cues: Record<string, number[]>;
  bias: number[];
  calibration: PlattScaling;
  provenance: Record<string, unknown>;
}

export interface LabelledText extends IncidentText {
  /** 0 = P1 … 3 = P4. */
  severity: number;
  startedAt: Date;
}

export interface CueEvidence {
  name: string;
  /** The severity the cue leans to most (its largest weight), e.g. "P1". */
  leansTo: string;
}

export interface PriorScore {
  logProbs: Float64Array;
  cues: CueEvidence[];
}

const LABELS = ['P1', 'P2', 'P3', 'P4'];

function cueText(doc: IncidentText): string {
  return `${doc.title}\n${(doc.description ?? '').slice(0, DESCRIPTION_CHARS)}`;
}

/** Positions in SEVERITY_CUES of the cues the incident's title and description show, in that order. */
export function cueIndices(doc: IncidentText): number[] {
  return matchCues(cueText(doc)).map((m) => m.index);
}

function cueVector(doc: IncidentText): SparseVector {
  const indices = Int32Array.from(cueIndices(doc));
  return { indices, values: new Float32Array(indices.length).fill(1) };
}

function curatedCenter(): Float64Array {
  const dim = SEVERITY_CUES.length;
  const center = new Float64Array(SEVERITY_CLASSES * dim);
  SEVERITY_CUES.forEach((cue, j) => cue.weights.forEach((w, k) => (center[k * dim + j] = w)));
  return center;
}

export class SeverityPrior {
  private readonly weights: Float32Array;
  private readonly bias: Float64Array;

  constructor(readonly artefact: SeverityPriorArtefact) {
    const dim = SEVERITY_CUES.length;
    this.weights = Float32Array.from(curatedCenter());
    SEVERITY_CUES.forEach((cue, j) => {
      const learned = artefact.cues[cue.name];
      if (learned) learned.forEach((w, k) => (this.weights[k * dim + j] = w));
    });
    this.bias = Float64Array.from(artefact.bias);
  }

  get model(): string {
    return this.artefact.model;
  }

  get calibration(): PlattScaling {
    return this.artefact.calibration;
  }

  score(doc: IncidentText): PriorScore {
    const v = cueVector(doc);
    const logits = softmaxLogits(
      { classes: SEVERITY_CLASSES, dim: SEVERITY_CUES.length, weights: this.weights, bias: this.bias },
      v,
    );
    const dim = SEVERITY_CUES.length;
    const cues = Array.from(v.indices, (j) => {
      let best = 0;
      for (let k = 1; k < SEVERITY_CLASSES; k++) if (this.weights[k * dim + j] > this.weights[best * dim + j]) best = k;
      return { name: SEVERITY_CUES[j].name, leansTo: LABELS[best] };
    });
    return { logProbs: logSoftmax(logits), cues };
  }
}

export interface PriorFitOptions {
  /** Strength of the pull towards the curated weights. */
  l2?: number;
  /** Class weights are (balanced weight)^power, capped, so that a class with two examples cannot dominate. */
  classWeightPower?: number;
  classWeightCap?: number;
  /** Share of the latest records held out to fit the calibration. */
  validationShare?: number;
}

function classWeights(labels: number[], power: number, cap: number): number[] {
  const counts = new Array<number>(SEVERITY_CLASSES).fill(0);
  for (const y of labels) counts[y]++;
  const present = counts.filter((c) => c > 0).length;
  return labels.map((y) => Math.min(cap, Math.pow(labels.length / (present * counts[y]), power)));
}

function fitWeights(
  records: LabelledText[],
  options: Required<PriorFitOptions>,
): { weights: Float32Array; bias: Float64Array } {
  const x = records.map(cueVector);
  const y = records.map((r) => r.severity);
  const fitted = trainSoftmax(x, y, {
    classes: SEVERITY_CLASSES,
    dim: SEVERITY_CUES.length,
    l2: options.l2,
    center: curatedCenter(),
    centerBias: CURATED_BIAS,
    // The class balance of one vendor's history (GitHub: two P1 in fourteen years) is not a day-one prior for another
    // organization: the bias stays curated, and the organization's own history moves it (its regression's bias).
    biasL2: 1e6,
    sampleWeights: classWeights(y, options.classWeightPower, options.classWeightCap),
  });
  return { weights: fitted.weights, bias: fitted.bias };
}

function toArtefact(
  weights: Float32Array,
  bias: Float64Array,
  calibration: PlattScaling,
  model: string,
  provenance: Record<string, unknown>,
): SeverityPriorArtefact {
  const dim = SEVERITY_CUES.length;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const cues = Object.fromEntries(
    SEVERITY_CUES.map((cue, j) => [
      cue.name,
      Array.from({ length: SEVERITY_CLASSES }, (_, k) => round(weights[k * dim + j])),
    ]),
  );
  return {
    model,
    cues,
    bias: Array.from(bias, round),
    calibration: { a: round(calibration.a), b: round(calibration.b) },
    provenance,
  };
}

/**
 * Fits the prior on labelled records: calibration from a fit on the earlier records scored on the latest ones, then
 * the weights again on all records.
 */
export function fitSeverityPrior(
  records: LabelledText[],
  model: string,
  provenance: Record<string, unknown>,
  opts: PriorFitOptions = {},
): SeverityPriorArtefact {
  const options: Required<PriorFitOptions> = {
    l2: 20,
    classWeightPower: 0.5,
    classWeightCap: 4,
    validationShare: 0.2,
    ...opts,
  };
  const sorted = [...records].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  let calibration = IDENTITY_SCALING;
  const cut = Math.floor(sorted.length * (1 - options.validationShare));
  if (cut > 20 && sorted.length - cut >= 20) {
    const early = fitWeights(sorted.slice(0, cut), options);
    const prior = new SeverityPrior(toArtefact(early.weights, early.bias, IDENTITY_SCALING, model, {}));
    const confidence: number[] = [];
    const correct: boolean[] = [];
    for (const r of sorted.slice(cut)) {
      const probs = Array.from(prior.score(r).logProbs, Math.exp);
      const best = probs.indexOf(Math.max(...probs));
      confidence.push(probs[best]);
      correct.push(best === r.severity);
    }
    calibration = fitPlatt(confidence, correct);
  }
  const all = fitWeights(sorted, options);
  return toArtefact(all.weights, all.bias, calibration, model, provenance);
}
