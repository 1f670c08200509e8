import { classifierFeatures, dot, words } from '../../src/ai/models/text-features';
import { logSoftmax, softmaxLogits, trainSoftmax } from '../../src/ai/classify/softmax-regression';
import {
  calibrate,
  calibrateAnswer,
  fitAnswerCalibration,
  fitPlatt,
  IDENTITY_SCALING,
  MAX_CONFIDENCE,
  PRIOR_MAX_CONFIDENCE,
} from '../../src/ai/classify/calibration';
import { bootstrapMacroF1Difference, evaluatePredictions, expectedCalibrationError } from '../../tools/metrics';
import { LexicalNeighbours } from '../../src/ai/classify/lexical-neighbours';
import { NaiveBayes } from '../../tools/naive-bayes';
import { matchCues } from '../../src/ai/classify/severity-cues';
import { fitSeverityPrior, SeverityPrior } from '../../src/ai/classify/severity-prior';
import {
  DEFAULT_MIXTURE,
  HistoryIncident,
  SeverityModel,
  SeverityPrediction,
} from '../../src/ai/classify/severity-model';
import { LearnedSeverityClassifier, ReadScope } from '../../src/ai/classify/severity-classifier';
import { InMemoryHistory } from '../../tools/eval-classify/in-memory-history';
import { SHIPPED_PRIOR, shippedPrior } from '../../src/ai/classify/shipped-prior';
import { WorkerSeverityFitter } from '../../src/ai/classify/severity-fitter';

/** A seeded generator, so that the fixtures are the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const KINDS: Array<[number, string[]]> = [
  [0, ['Ledger is down for all customers', 'Complete outage of the ledger']],
  [1, ['Elevated error rates on checkout', 'Partial outage of checkout']],
  [2, ['Search is slow for some users', 'Delays in search indexing']],
  [3, ['Typo on the pricing page', 'Misaligned footer label']],
];

function history(n: number, seed = 1): HistoryIncident[] {
  const next = random(seed);
  return Array.from({ length: n }, (_, i) => {
    const [severity, titles] = KINDS[Math.floor(next() * KINDS.length)];
    return {
      id: `h${i}`,
      key: `INC-${i + 1}`,
      title: `${titles[Math.floor(next() * titles.length)]} (${i})`,
      description: null,
      service: null,
      severity,
      serviceId: null,
      teamId: null,
      startedAt: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000),
    };
  });
}

describe('text features', () => {
  it('are deterministic, normalized per group, and close for close texts', () => {
    const a = classifierFeatures({ title: 'Checkout is down', description: 'All payments fail' });
    const b = classifierFeatures({ title: 'Checkout is down', description: 'All payments fail' });
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect([...a.indices].every((v, i, all) => i === 0 || all[i - 1] < v)).toBe(true);
    // Two groups (words, character grams), each of unit norm.
    expect(dot(a, a)).toBeCloseTo(2, 4);
    const close = classifierFeatures({ title: 'Checkout is down again' });
    const far = classifierFeatures({ title: 'Typo on the pricing page' });
    expect(dot(a, close)).toBeGreaterThan(dot(a, far));
  });

  it('keeps numbers, percentages and dotted names as words', () => {
    expect(words('Error rate >50% on api.v2 in us-east-1')).toEqual([
      'error',
      'rate',
      '50%',
      'on',
      'api.v2',
      'in',
      'us-east-1',
    ]);
  });
});

describe('softmax regression', () => {
  it('learns a separable problem and gives probabilities that sum to one', () => {
    const docs = ['red apple', 'green apple', 'red car', 'blue car', 'yellow banana', 'green banana'];
    const labels = [0, 0, 1, 1, 2, 2];
    const x = docs.map((d) => classifierFeatures({ title: d }));
    const model = trainSoftmax(x, labels, { classes: 3, dim: 1 << 16, l2: 0.1 });
    const predicted = x.map((v) => {
      const p = Array.from(logSoftmax(softmaxLogits(model, v)), Math.exp);
      expect(p.reduce((s, q) => s + q, 0)).toBeCloseTo(1, 6);
      return p.indexOf(Math.max(...p));
    });
    expect(predicted).toEqual(labels);
  });

  it('reaches the minimum of the weighted, penalized loss (L-BFGS well past its memory)', () => {
    const next = random(11);
    const dim = 12;
    const x = Array.from({ length: 40 }, () => {
      const indices = Int32Array.from(new Set(Array.from({ length: 4 }, () => Math.floor(next() * dim)))).sort();
      return { indices, values: Float32Array.from(indices, () => next()) };
    });
    const y = x.map(() => Math.floor(next() * 3));
    const sampleWeights = y.map((c) => (c === 0 ? 2 : 1));
    const options = { classes: 3, dim, l2: 0.5, sampleWeights, maxIterations: 300 };
    const model = trainSoftmax(x, y, options);
    const loss = (weights: Float32Array, bias: Float64Array) =>
      x.reduce((sum, v, i) => {
        const p = logSoftmax(softmaxLogits({ classes: 3, dim, weights, bias }, v));
        return sum - sampleWeights[i] * p[y[i]];
      }, 0) +
      0.5 * options.l2 * weights.reduce((sum, w) => sum + w * w, 0);
    const best = loss(model.weights, model.bias);
    for (let j = 0; j < 3 * dim; j++) {
      for (const step of [-0.1, 0.1]) {
        const moved = Float32Array.from(model.weights);
        moved[j] += step;
        expect(loss(moved, model.bias)).toBeGreaterThan(best);
      }
    }
  });

  it('stays at its centre where the data says nothing', () => {
    const center = new Float64Array(2 * 4).fill(0);
    center[3] = 5; // class 0, feature 3: never seen in the data
    const x = [
      { indices: Int32Array.from([0]), values: Float32Array.from([1]) },
      { indices: Int32Array.from([1]), values: Float32Array.from([1]) },
    ];
    const model = trainSoftmax(x, [0, 1], { classes: 2, dim: 4, l2: 1, center });
    expect(model.weights[3]).toBe(5);
  });
});

describe('calibration', () => {
  it('leaves calibrated confidences nearly alone and pulls over-confident ones down', () => {
    const next = random(3);
    const honest = Array.from({ length: 2000 }, () => 0.3 + 0.6 * next());
    const honestScaling = fitPlatt(
      honest,
      honest.map((c) => next() < c),
    );
    expect(Math.abs(calibrate(honestScaling, 0.8) - 0.8)).toBeLessThan(0.05);
    const overconfident = Array.from({ length: 2000 }, () => 0.9 + 0.09 * next());
    const scaling = fitPlatt(
      overconfident,
      overconfident.map(() => next() < 0.6),
    );
    expect(calibrate(scaling, 0.95)).toBeLessThan(0.7);
    expect(calibrate(IDENTITY_SCALING, 0.42)).toBeCloseTo(0.42, 6);
  });

  it('never lets a higher probability mean a lower confidence', () => {
    const next = random(5);
    const p = Array.from({ length: 1000 }, () => 0.3 + 0.6 * next());
    // Held-out answers that were right less often the surer the model was.
    const scaling = fitPlatt(
      p,
      p.map((c) => next() < 1.1 - c),
    );
    expect(scaling.a).toBe(0);
    expect(calibrate(scaling, 0.9)).toBeCloseTo(calibrate(scaling, 0.4), 9);
    expect(Math.abs(calibrate(scaling, 0.6) - 0.5)).toBeLessThan(0.05);
  });

  it('calibrates each answer on its own record, an answer seldom given near the shared scaling', () => {
    const next = random(7);
    const p = Array.from({ length: 1200 }, () => 0.5 + 0.4 * next());
    // P2 answers (1) are right 30% of the time, P3 answers (2) 90%; P1 (0) was answered twice.
    const answers = p.map((_, i) => (i < 2 ? 0 : i % 2 ? 1 : 2));
    const correct = answers.map((a) => next() < (a === 1 ? 0.3 : a === 2 ? 0.9 : 1));
    const calibration = fitAnswerCalibration(p, correct, answers, 4);
    expect(Math.abs(calibrateAnswer(calibration, 1, 0.7) - 0.3)).toBeLessThan(0.06);
    expect(Math.abs(calibrateAnswer(calibration, 2, 0.7) - 0.9)).toBeLessThan(0.06);
    const shared = calibrate(calibration, 0.7);
    expect(Math.abs(calibrateAnswer(calibration, 0, 0.7) - shared)).toBeLessThan(0.05);
    expect(calibrateAnswer(calibration, 3, 0.7)).toBeCloseTo(shared, 9);
    expect(calibrateAnswer(IDENTITY_SCALING, 1, 0.7)).toBeCloseTo(0.7, 9);
  });

  it('never claims more than MAX_CONFIDENCE, however consistent the record', () => {
    const p = Array.from({ length: 400 }, (_, i) => 0.9 + (0.09 * i) / 400);
    const calibration = fitAnswerCalibration(
      p,
      p.map(() => true),
      p.map(() => 2),
      4,
    );
    expect(calibrate(calibration.perAnswer[2], 0.99)).toBeGreaterThan(MAX_CONFIDENCE);
    expect(calibrateAnswer(calibration, 2, 0.99)).toBe(MAX_CONFIDENCE);
    expect(calibrateAnswer(IDENTITY_SCALING, 2, 0.6)).toBeCloseTo(0.6, 9);
  });
});

describe('metrics', () => {
  it('computes accuracy, macro-F1 over the classes present, within-one and ECE', () => {
    const truth = [0, 0, 1, 2, 2, 2];
    const predicted = [0, 1, 1, 2, 2, 0];
    const report = evaluatePredictions(truth, predicted, [0.9, 0.6, 0.7, 0.8, 0.8, 0.6], ['P1', 'P2', 'P3', 'P4']);
    expect(report.accuracy).toBeCloseTo(4 / 6, 6);
    // F1: P1 2·1/(2+1+1)=0.5, P2 2/(2+1)=0.667, P3 2·2/(4+0+1)=0.8; P4 absent from both, left out.
    expect(report.macroF1).toBeCloseTo((0.5 + 2 / 3 + 0.8) / 3, 6);
    expect(report.perClassF1.P4).toBeNull();
    expect(report.withinOne).toBeCloseTo(5 / 6, 6);
    expect(expectedCalibrationError([0.9, 0.9], [true, false])).toBeCloseTo(0.4, 6);
  });

  it('bounds a difference in macro-F1 by a paired bootstrap that narrows as the test slice grows', () => {
    const labels = ['P1', 'P2', 'P3', 'P4'];
    // The model is right on 60% of the incidents, the baseline on 50%; both answer a wrong class the same way.
    const slice = (n: number) => {
      const next = random(n);
      const truth = Array.from({ length: n }, () => Math.floor(next() * 2));
      const answer = (rightShare: number) => truth.map((t) => (next() < rightShare ? t : 1 - t));
      return { truth, model: answer(0.6), baseline: answer(0.5) };
    };
    const small = bootstrapMacroF1Difference([slice(40)], labels);
    expect(small.low).toBeLessThan(0);
    expect(small.high).toBeGreaterThan(0);
    const large = bootstrapMacroF1Difference([slice(2000)], labels, 300);
    expect(large.low).toBeGreaterThan(0.04);
    expect(large.high).toBeLessThan(0.16);
    const same = slice(100);
    expect(bootstrapMacroF1Difference([{ ...same, baseline: same.model }], labels)).toEqual({ low: 0, high: 0 });
  });
});

describe('neighbours, naive Bayes and the cues', () => {
  it('finds the closest past incidents first', () => {
    const docs = [
      { title: 'Ledger consumer lag' },
      { title: 'Typo on the pricing page' },
      { title: 'Ledger consumer lag on partition 3' },
    ];
    const found = new LexicalNeighbours(docs).query({ title: 'consumer lag on the ledger' }, 2);
    expect(found.map((n) => n.index).sort()).toEqual([0, 2]);
    expect(found[0].score).toBeGreaterThan(0.3);
    expect(found[0].score).toBeLessThanOrEqual(1);
  });

  it('keeps the k best neighbours in the order of the whole ranking', () => {
    const docs = history(400).map((h) => ({ title: h.title }));
    const index = new LexicalNeighbours(docs);
    for (const query of [
      'Ledger is down',
      'Partial outage of checkout (12)',
      'Search is slow for some users (7)',
      'Typo',
    ]) {
      const all = index.query({ title: query }, docs.length);
      expect(all.length).toBeGreaterThan(20);
      for (let i = 1; i < all.length; i++)
        expect(
          all[i - 1].score > all[i].score || (all[i - 1].score === all[i].score && all[i - 1].index > all[i].index),
        ).toBe(true);
      for (const k of [0, 1, 5, 20]) expect(index.query({ title: query }, k)).toEqual(all.slice(0, k));
      expect(index.query({ title: query }, 5, all[0].index)).toEqual(all.slice(1, 6));
    }
  });

  it('naive Bayes learns its word counts', () => {
    const nb = new NaiveBayes([{ title: 'database down' }, { title: 'typo on page' }], [0, 3], 4);
    const p = nb.predict({ title: 'database is down' });
    expect(p.indexOf(Math.max(...p))).toBe(0);
  });

  it('reads the documented cues', () => {
    const names = (text: string) => matchCues(text).map((m) => m.name);
    expect(names('Checkout is down for all users')).toEqual(expect.arrayContaining(['all users', 'down']));
    expect(names('Data loss after failover')).toContain('data loss');
    expect(names('Error rate above 60% on the API')).toContain('error rate >50%');
    expect(names('Error rate at 20%')).not.toContain('error rate >50%');
    expect(names('Degraded performance for search')).toContain('degraded');
    expect(names('Cosmetic issue on the login page')).toContain('cosmetic');
  });
});

describe('the day-one prior', () => {
  it('is shipped with its provenance and reads severities from cues alone', () => {
    expect(SHIPPED_PRIOR.model).toBe('severity-prior-v1');
    expect(String(SHIPPED_PRIOR.provenance.data)).toMatch(/GitHub/);
    const prior = shippedPrior();
    const best = (title: string) => {
      const p = Array.from(prior.score({ title }).logProbs);
      return p.indexOf(Math.max(...p));
    };
    expect(best('Data loss for all customers')).toBe(0);
    expect(best('Typo on the pricing page, cosmetic only')).toBe(3);
  });

  it('is refitted from labelled records, keeping curated weights where the records are silent', () => {
    const records = history(200).map((h) => ({ ...h, startedAt: h.startedAt }));
    const artefact = fitSeverityPrior(records, 'test-prior', { data: 'fixture' });
    expect(artefact.provenance).toEqual({ data: 'fixture' });
    expect(artefact.cues['security breach']).toEqual([2, 0.5, -0.7, -1.5]);
    expect(new SeverityPrior(artefact).score({ title: 'Typo on the pricing page' }).cues.map((c) => c.name)).toContain(
      'cosmetic',
    );
  });
});

describe('the organization model', () => {
  it('learns the severities of its history and calibrates on the latest slice', () => {
    const model = SeverityModel.train(history(300), shippedPrior());
    expect(model.trainedOn).toBe(300);
    expect(model.calibration).not.toEqual(SHIPPED_PRIOR.calibration);
    const test = history(80, 99);
    let right = 0;
    for (const h of test) {
      const prediction = model.predict(h);
      expect(prediction.confidence).toBeGreaterThan(0);
      expect(prediction.confidence).toBeLessThanOrEqual(1);
      if (prediction.severity === h.severity) right++;
    }
    expect(right / test.length).toBeGreaterThan(0.9);
  });

  it("learns what a cue means to this organization, so another wording of the cue follows the organization's habit", () => {
    // An organization that declares P1 for changes said to be harmless, against the curated lean of "no impact" to P4.
    const words = ['ledger', 'billing', 'search', 'mail', 'queue', 'export', 'login', 'upload', 'reports', 'webhooks'];
    const harmless = ['no downtime expected', 'no customer impact', 'no action required'];
    const past: HistoryIncident[] = Array.from({ length: 200 }, (_, i) => ({
      id: `m${i}`,
      key: null,
      title: i % 4 === 0 ? `${words[i % 10]} failover, ${harmless[(i / 4) % 3]} ${i}` : `${words[i % 10]} trouble ${i}`,
      description: null,
      severity: i % 4 === 0 ? 0 : 2,
      serviceId: null,
      teamId: null,
      startedAt: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000),
    }));
    const model = SeverityModel.train(past, shippedPrior());
    // Another wording of the cue than any in the history.
    const title = 'Certificate rotation is not impacting service';
    const prediction = model.predict({ title });
    expect(prediction.cues.map((c) => c.name)).toEqual(['no impact']);
    expect(prediction.severity).toBe(0);
    expect(SeverityModel.train([], shippedPrior()).predict({ title })).toMatchObject({ severity: 3 });
  });

  it("learns what the service's shape means: here an incident that names no affected part is a notice", () => {
    const products = ['Jira', 'Confluence', 'Trello', 'Bitbucket'];
    const parts = ['Login', 'API', 'Search', 'Uploads', 'Webhooks', 'Billing'];
    const titles = ['Degraded performance', 'Intermittent errors', 'Delays for some users', 'Investigating reports'];
    const past: HistoryIncident[] = Array.from({ length: 240 }, (_, i) => {
      const qualified = i % 2 === 0;
      const product = products[i % 4];
      return {
        id: `s${i}`,
        key: null,
        title: `${titles[(i >> 1) % 4]} ${i}`,
        description: null,
        service: qualified ? `${product} (${parts[(i >> 3) % 3]}, ${parts[3 + ((i >> 2) % 3)]})` : product,
        severity: qualified ? 1 : 3,
        serviceId: null,
        teamId: null,
        startedAt: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000),
      };
    });
    const model = SeverityModel.train(past, shippedPrior());
    // Parts and a product the history never named.
    const title = 'Intermittent errors';
    expect(model.predict({ title, service: 'Statuspage (Notifications)' }).severity).toBe(1);
    expect(model.predict({ title, service: 'Statuspage' }).severity).toBe(3);
  });

  it('without a regression (a history just imported), calibrates on that history, not on the prior', () => {
    const next = random(21);
    // A quarter of the labels disagree with the text: about three answers in four can be right.
    const noisy = (n: number, seed: number) =>
      history(n, seed).map((h) => (next() < 0.25 ? { ...h, severity: (h.severity + 1) % 4 } : h));
    const grown = SeverityModel.train([], shippedPrior()).withHistory(noisy(400, 1));
    expect(grown.hasRegression).toBe(false);
    expect(grown.calibration).not.toEqual(SHIPPED_PRIOR.calibration);
    const test = noisy(300, 42);
    const gap = (model: SeverityModel, confidence = (p: SeverityPrediction) => p.confidence) => {
      const answers = test.map((h) => model.predict(h));
      const accuracy = answers.filter((a, i) => a.severity === test[i].severity).length / test.length;
      return Math.abs(answers.reduce((sum, a) => sum + confidence(a), 0) / test.length - accuracy);
    };
    expect(gap(grown)).toBeLessThan(0.1);
    // The same answers with the prior's calibration claim far more than they achieve.
    const priorCalibrated = gap(grown, (p) => calibrate(SHIPPED_PRIOR.calibration, p.probabilities[p.severity]));
    expect(gap(grown)).toBeLessThan(priorCalibrated / 1.5);
    const quick = SeverityModel.train(noisy(400, 1), shippedPrior(), { minForRegression: Number.MAX_SAFE_INTEGER });
    expect(quick.hasRegression).toBe(false);
    expect(gap(quick)).toBeLessThan(0.1);
  });

  it("with a short history, follows how often it was right there instead of the prior's calibration", () => {
    const next = random(5);
    // Half of the labels disagree with the text: about one answer in two can be right.
    const noisy = (n: number, seed: number) =>
      history(n, seed).map((h) => (next() < 0.5 ? { ...h, severity: (h.severity + 2) % 4 } : h));
    const short = SeverityModel.train(noisy(40, 3), shippedPrior());
    expect(short.mixture).toEqual(DEFAULT_MIXTURE);
    const test = noisy(300, 43);
    const answers = test.map((h) => short.predict(h));
    const accuracy = answers.filter((a, i) => a.severity === test[i].severity).length / test.length;
    const mean = (confidence: (p: SeverityPrediction) => number) =>
      answers.reduce((sum, a) => sum + confidence(a), 0) / test.length;
    const own = Math.abs(mean((p) => p.confidence) - accuracy);
    const priorCalibrated = Math.abs(
      mean((p) => calibrate(SHIPPED_PRIOR.calibration, p.probabilities[p.severity])) - accuracy,
    );
    expect(own).toBeLessThan(priorCalibrated / 2);
    expect(short.calibratedOnHistory).toBe(true);
    const tooShort = SeverityModel.train(noisy(7, 3), shippedPrior());
    expect(tooShort.calibration).toEqual(SHIPPED_PRIOR.calibration);
    expect(tooShort.calibratedOnHistory).toBe(false);
  });

  it('with no history answers from the prior alone, claiming no more than PRIOR_MAX_CONFIDENCE of it', () => {
    const model = SeverityModel.train([], shippedPrior());
    const prediction = model.predict({ title: 'Data loss for all customers' });
    expect(prediction).toMatchObject({ severity: 0, neighbours: [] });
    expect(prediction.cues.map((c) => c.name)).toContain('data loss');
    // The prior's calibration, measured on GitHub's own incidents, would claim more for another organization.
    expect(calibrate(SHIPPED_PRIOR.calibration, prediction.probabilities[0])).toBeGreaterThan(PRIOR_MAX_CONFIDENCE);
    expect(prediction.confidence).toBe(PRIOR_MAX_CONFIDENCE);
    const unsure = model.predict({ title: 'Webhook deliveries' });
    expect(unsure.confidence).toBeCloseTo(
      calibrate(SHIPPED_PRIOR.calibration, unsure.probabilities[unsure.severity]),
      9,
    );
    expect(unsure.confidence).toBeLessThan(PRIOR_MAX_CONFIDENCE);
  });
});

describe('the classifier over a history source', () => {
  it('trains once, follows a changed history at once, and refits in the background', async () => {
    const source = new InMemoryHistory();
    const lag = (i: number): HistoryIncident => ({
      ...history(1)[0],
      id: `lag${i}`,
      key: `INC-${i}`,
      title: `Kafka consumer lag on partition ${i}`,
      severity: 0,
    });
    source.set('org', [], []);
    const classifier = new LearnedSeverityClassifier(source, shippedPrior(), { minRetrainIntervalMs: 0 });
    const first = await classifier.classify('org', { title: 'Kafka consumer lag on partition 99' });
    expect(first.severity).not.toBe('P1');
    source.set(
      'org',
      Array.from({ length: 8 }, (_, i) => lag(i)),
      [{ id: 'svc', name: 'Kafka', teamId: 'team' }],
    );
    const refreshed = await classifier.classify('org', { title: 'Kafka consumer lag on partition 99' });
    expect(refreshed).toMatchObject({ severity: 'P1', suggestedServiceId: 'svc', suggestedTeamId: 'team' });
    await classifier.settle();
    const refitted = await classifier.classify('org', { title: 'Kafka consumer lag on partition 99' });
    expect(refitted.severity).toBe('P1');
    expect(refitted.reasoning).toContain('Learned from 8 labelled incidents');
    expect((await classifier.classify('other-org', { title: 'Kafka consumer lag on partition 99' })).severity).toBe(
      first.severity,
    );
    classifier.close();
  });
  it('fits again in the request when the history more than doubled (an import), on its latest incidents', async () => {
    const source = new InMemoryHistory();
    source.set('org', [], []);
    const classifier = new LearnedSeverityClassifier(source, shippedPrior(), { minRetrainIntervalMs: 3_600_000 });
    await classifier.classify('org', { title: 'Ledger is down for all customers' });
    source.set('org', history(400), []);
    // The background refit waits an hour: what answers now was fitted in this request.
    const status = await classifier.status('org');
    expect(status).toMatchObject({ historySize: 400, trainedOn: 300, refitPending: true });
    const test = history(80, 99);
    let right = 0;
    for (const h of test) if ((await classifier.classify('org', h)).severity === `P${h.severity + 1}`) right++;
    expect(right / test.length).toBeGreaterThan(0.9);
    // Growing by less than the history it was fitted for, the model follows in the neighbours only.
    source.set('org', history(500), []);
    expect(await classifier.status('org')).toMatchObject({ historySize: 500, trainedOn: 300 });
    classifier.close();
  });

  it('reads no signature in the request once the model is too large to follow changes there; the background refit notices them', async () => {
    const source = new InMemoryHistory();
    source.set('org', history(30), []);
    const inRequest: unknown[] = [];
    const signature = source.signature.bind(source);
    Object.assign(source, {
      signature: (organizationId: string, scope?: ReadScope) => {
        if (scope) inRequest.push(scope);
        return signature(organizationId);
      },
    });
    const refits: number[] = [];
    const classifier = new LearnedSeverityClassifier(source, shippedPrior(), {
      syncRefreshLimit: 10,
      minRetrainIntervalMs: 0,
      fitter: async (h, options) => {
        refits.push(h.length);
        return SeverityModel.train(h, shippedPrior(), options);
      },
    });
    const scope = { purpose: 'create' as const };
    await classifier.classify('org', { title: 'Ledger is down for all customers' }, scope);
    expect(inRequest).toHaveLength(1); // the first use reads it, and trains in the request
    await classifier.classify('org', { title: 'Ledger is down for all customers' }, scope);
    await classifier.settle();
    expect(inRequest).toHaveLength(1);
    expect(refits).toEqual([]); // nothing changed: no refit
    source.set('org', history(31), []);
    await classifier.classify('org', { title: 'Ledger is down for all customers' }, scope);
    await classifier.settle();
    expect(inRequest).toHaveLength(1);
    expect(refits).toEqual([31]);
    expect(
      (await classifier.classify('org', { title: 'Ledger is down for all customers' }, scope)).reasoning,
    ).toContain('Learned from 31 labelled incidents');
    classifier.close();
  });
});

describe('fitting in a worker thread', () => {
  it('stops its worker once no fit is waiting, and starts another for the next fit', async () => {
    const fitter = new WorkerSeverityFitter(shippedPrior(), WorkerSeverityFitter.script()!);
    try {
      const pending = [fitter.fit(history(120), {}), fitter.fit(history(80, 3), {})];
      expect(fitter.running).toBe(true);
      const [first, second] = await Promise.all(pending);
      expect(fitter.running).toBe(false);
      const again = await fitter.fit(history(120), {});
      expect(again.fit).toEqual(first.fit);
      expect(second.fit).toEqual(SeverityModel.train(history(80, 3), shippedPrior()).fit);
      expect(fitter.running).toBe(false);
    } finally {
      await fitter.close();
    }
  });

  it('gives the model fitting in the process gives, and the classifier refits through it', async () => {
    const script = WorkerSeverityFitter.script();
    expect(script).not.toBeNull();
    const fitter = new WorkerSeverityFitter(shippedPrior(), script!);
    try {
      const past = history(300);
      const here = SeverityModel.train(past, shippedPrior());
      const there = await fitter.fit(past, {});
      expect(there.fit).toEqual(here.fit);
      for (const h of history(40, 7)) expect(there.predict(h)).toEqual(here.predict(h));

      const source = new InMemoryHistory();
      source.set('org', past, []);
      const refits: number[] = [];
      const classifier = new LearnedSeverityClassifier(source, shippedPrior(), {
        syncTrainLimit: 10,
        minRetrainIntervalMs: 0,
        fitter: (h, options) => {
          refits.push(h.length);
          return fitter.fit(h, options);
        },
      });
      const quick = await classifier.classify('org', { title: 'Ledger is down for all customers' });
      expect(quick.reasoning).toContain('Learned from 300 labelled incidents');
      await classifier.settle();
      expect(refits).toEqual([300]);
      const full = await classifier.classify('org', { title: 'Ledger is down for all customers' });
      expect(full.confidence).toBe(
        Math.round(here.predict({ title: 'Ledger is down for all customers' }).confidence * 1000) / 1000,
      );
      classifier.close();
    } finally {
      await fitter.close();
    }
  });
});
