import { LearnedSeverityClassifier } from '../../src/ai/classify/severity-classifier.js';
import { ClassificationReport, PairedAnswers, bootstrapMacroF1Difference, evaluatePredictions } from '../metrics.js';
import { NaiveBayes } from '../naive-bayes.js';
import { TfidfLogisticRegression } from '../tfidf-logreg.js';
import { SeverityPrior, SeverityPriorArtefact } from '../../src/ai/classify/severity-prior.js';
import { SEVERITY_LABELS, severityIndex } from '../../src/ai/classify/severity-labels.js';
import type { HistoryIncident } from '../../src/ai/classify/severity-model.js';
import {
  DatasetIncident,
  GITHUB_SOURCE,
  readIncidents,
  serviceName,
  splitBySource,
  validationFolds,
} from './dataset.js';
import { buildPriorFromGitHub } from './build-prior.js';
import { InMemoryHistory } from './in-memory-history.js';
import { join } from 'node:path';
import { evaluateServed, type ServedResult } from './served-eval.js';

export interface SourceResult {
  source: string;
  train: number;
  test: number;
  testSeverities: Record<string, number>;
  /** Where the day-one prior came from for this source. */
  prior: string;
  majority: ClassificationReport;
  naiveBayes: ClassificationReport;
  /** The strong plain baseline: class-weighted logistic regression on TF-IDF word + char n-grams. */
  logReg: ClassificationReport;
  classifier: ClassificationReport;
  /** Classifier macro-F1 − logistic regression macro-F1. */
  lift: number;
  /**
   * Through the API on PostgreSQL (with a database): warm and settled, right after the import, cold; lift = served −
   * logReg.
   */
  served?: ServedResult & { lift: number; sameAsOffline: number };
  /** The classifier taught only the latest incidents of the history: how it does while an organization is new. */
  shortHistory: Array<{ size: number; report: ClassificationReport }>;
  /** Milliseconds to train the organization's model (first classify) and per classification after it. */
  trainMs: number;
  classifyMs: number;
}

export interface ClassificationEvaluation {
  protocol: string;
  sources: SourceResult[];
  mean: {
    majority: ClassificationReport;
    naiveBayes: ClassificationReport;
    logReg: ClassificationReport;
    classifier: ClassificationReport;
  };
  /** Mean over sources of classifier macro-F1 − naive Bayes macro-F1. */
  macroF1GainOverNaiveBayes: number;
  /**
   * Mean over sources of classifier macro-F1 − TF-IDF logistic regression macro-F1: the lift over the strong baseline.
   */
  liftOverLogReg: number;
  /** The 95% paired bootstrap interval of liftOverLogReg: how large a lift these test slices can tell from chance. */
  liftInterval: { low: number; high: number };
}

export interface EvaluationOptions {
  testShare?: number;
  /** The shipped prior, used when the data has no GitHub records to rebuild it from without the test period. */
  shippedPrior: SeverityPriorArtefact;
  /** A PostgreSQL database to evaluate the served path in (dropped and created again); left out: offline only. */
  servedDatabaseUrl?: string;
  /** Evaluate on the validation folds inside each source's history instead of its test slice (offline only). */
  validation?: boolean;
}

function toHistory(incident: DatasetIncident): HistoryIncident {
  return {
    id: incident.id,
    key: incident.id,
    title: incident.title,
    description: incident.description,
    service: serviceName(incident),
    severity: severityIndex(incident.severity),
    serviceId: serviceName(incident),
    teamId: null,
    startedAt: incident.startedAt,
  };
}

/** The short histories measured: an organization's first labelled incidents (none: the cold start). */
export const SHORT_HISTORIES = [0, 10, 25, 50];

/** The classifier as the API feeds it, taught `train` (with the source's whole service catalog), on `test`. */
async function classifyWith(
  source: string,
  train: DatasetIncident[],
  test: DatasetIncident[],
  serviceNames: string[],
  prior: SeverityPriorArtefact,
): Promise<{ report: ClassificationReport; predicted: number[]; trainMs: number; classifyMs: number }> {
  const history = new InMemoryHistory();
  history.set(
    source,
    train.map(toHistory),
    serviceNames.map((name) => ({ id: name, name, teamId: null })),
  );
  const classifier = new LearnedSeverityClassifier(history, new SeverityPrior(prior), {
    syncTrainLimit: Number.MAX_SAFE_INTEGER,
  });
  const classify = (incident: DatasetIncident) =>
    classifier.classify(source, {
      title: incident.title,
      description: incident.description,
      serviceId: serviceName(incident),
    });
  const started = Date.now();
  const answers = [await classify(test[0])];
  const trainMs = Date.now() - started;
  const classifyStart = Date.now();
  for (const incident of test.slice(1)) answers.push(await classify(incident));
  const classifyMs = (Date.now() - classifyStart) / Math.max(1, test.length - 1);
  const predicted = answers.map((a) => severityIndex(a.severity));
  const report = evaluatePredictions(
    test.map((i) => severityIndex(i.severity)),
    predicted,
    answers.map((a) => a.confidence),
    [...SEVERITY_LABELS],
  );
  return { report, predicted, trainMs, classifyMs };
}

function argmax(values: number[]): number {
  return values.indexOf(Math.max(...values));
}

/**
 * Per source of the data: the earlier incidents become an organization's labelled history, and the later ones are
 * classified through LearnedSeverityClassifier — the class the API uses, fed through a HistorySource as the database
 * would feed it — beside a majority-class and a multinomial naive Bayes baseline trained on the same history.
 *
 * The prior is rebuilt for each source from the GitHub records that started before that source's test period, with the
 * same code that builds the shipped artefact, so no test-period text reaches it (the shipped prior is fitted on every
 * GitHub record of the data). Without GitHub records in the data, the shipped prior is used.
 */
export async function evaluateClassification(
  dataDir: string,
  options: EvaluationOptions,
): Promise<ClassificationEvaluation> {
  const timeSplit = splitBySource(dataDir, options.testShare);
  const { splits, protocol } = options.validation ? validationFolds(timeSplit.splits, options.testShare) : timeSplit;
  const all = readIncidents(join(dataDir, 'incidents-dev.jsonl'));
  const hasGitHub = all.some((i) => i.source === GITHUB_SOURCE);
  const labels = [...SEVERITY_LABELS];
  const results: SourceResult[] = [];
  const paired: PairedAnswers[] = [];
  for (const split of splits) {
    if (!split.train.length || !split.test.length) continue;
    const testStart = split.test[0].startedAt;
    const priorArtefact = hasGitHub ? buildPriorFromGitHub(all, testStart) : options.shippedPrior;
    // The service catalog holds every service name of the source: an organization has its services before it has
    // incidents on them, and a name is not a label.
    const serviceNames = [...new Set([...split.train, ...split.test].map(serviceName).filter((s): s is string => !!s))];
    const truth = split.test.map((i) => severityIndex(i.severity));
    const {
      report: classifierReport,
      predicted,
      trainMs,
      classifyMs,
    } = await classifyWith(split.source, split.train, split.test, serviceNames, priorArtefact);
    const shortHistory: SourceResult['shortHistory'] = [];
    for (const size of SHORT_HISTORIES.filter((n) => n < split.train.length)) {
      const { report } = await classifyWith(
        split.source,
        size ? split.train.slice(-size) : [],
        split.test,
        serviceNames,
        priorArtefact,
      );
      shortHistory.push({ size, report });
    }

    const counts = new Array<number>(labels.length).fill(0);
    for (const i of split.train) counts[severityIndex(i.severity)]++;
    const majority = argmax(counts);
    const majorityReport = evaluatePredictions(
      truth,
      truth.map(() => majority),
      truth.map(() => counts[majority] / split.train.length),
      labels,
    );

    const nb = new NaiveBayes(
      split.train,
      split.train.map((i) => severityIndex(i.severity)),
      labels.length,
    );
    const nbProbabilities = split.test.map((i) => nb.predict(i));
    const nbReport = evaluatePredictions(
      truth,
      nbProbabilities.map(argmax),
      nbProbabilities.map((p) => Math.max(...p)),
      labels,
    );

    const toText = (i: DatasetIncident) => ({ title: i.title, description: i.description, service: serviceName(i) });
    const lr = new TfidfLogisticRegression(
      split.train.map(toText),
      split.train.map((i) => severityIndex(i.severity)),
      labels.length,
    );
    const lrProbabilities = split.test.map((i) => lr.predict(toText(i)));
    paired.push({ truth, model: predicted, baseline: lrProbabilities.map(argmax) });
    const lrReport = evaluatePredictions(
      truth,
      lrProbabilities.map(argmax),
      lrProbabilities.map((p) => Math.max(...p)),
      labels,
    );

    const testSeverities = Object.fromEntries(
      labels.map((l) => [l, split.test.filter((i) => i.severity === l).length]),
    );
    results.push({
      source: split.source,
      train: split.train.length,
      test: split.test.length,
      testSeverities,
      prior: hasGitHub
        ? `rebuilt from GitHub records before ${testStart.toISOString().slice(0, 10)}`
        : `shipped ${options.shippedPrior.model}`,
      majority: majorityReport,
      naiveBayes: nbReport,
      logReg: lrReport,
      classifier: classifierReport,
      lift: classifierReport.macroF1 - lrReport.macroF1,
      shortHistory,
      trainMs,
      classifyMs,
    });
  }
  if (options.servedDatabaseUrl && !options.validation) {
    const served = await evaluateServed(
      splits.filter((s) => s.train.length && s.test.length),
      (split) => (hasGitHub ? buildPriorFromGitHub(all, split.test[0].startedAt) : options.shippedPrior),
      options.servedDatabaseUrl,
    );
    // paired[i] holds the offline answers of results[i].
    results.forEach((r, index) => {
      const s = served.find((x) => x.source === r.source);
      if (!s) return;
      const offline = paired[index].model;
      r.served = {
        ...s,
        lift: s.served.macroF1 - r.logReg.macroF1,
        sameAsOffline: s.servedAnswers.filter((answer, i) => answer === offline[i]).length,
      };
    });
  }
  const mean = (pick: (r: SourceResult) => ClassificationReport): ClassificationReport => {
    const avg = (f: (r: ClassificationReport) => number) =>
      results.reduce((sum, r) => sum + f(pick(r)), 0) / Math.max(1, results.length);
    const eces = results.map((r) => pick(r).ece);
    return {
      n: results.reduce((sum, r) => sum + pick(r).n, 0),
      accuracy: avg((r) => r.accuracy),
      macroF1: avg((r) => r.macroF1),
      withinOne: avg((r) => r.withinOne),
      ece: eces.every((e) => e !== null) ? avg((r) => r.ece ?? 0) : null,
      perClassF1: {},
    };
  };
  const meanReports = {
    majority: mean((r) => r.majority),
    naiveBayes: mean((r) => r.naiveBayes),
    logReg: mean((r) => r.logReg),
    classifier: mean((r) => r.classifier),
  };
  return {
    protocol,
    sources: results,
    mean: meanReports,
    macroF1GainOverNaiveBayes: meanReports.classifier.macroF1 - meanReports.naiveBayes.macroF1,
    liftOverLogReg: meanReports.classifier.macroF1 - meanReports.logReg.macroF1,
    liftInterval: bootstrapMacroF1Difference(paired, labels),
  };
}

/** The table the command prints. */
export function formatClassificationEvaluation(evaluation: ClassificationEvaluation): string {
  const f = (v: number | null) => (v === null ? '  –  ' : v.toFixed(3));
  const lines: string[] = [];
  lines.push(`Severity classification — ${evaluation.protocol}`);
  lines.push('');
  lines.push('| source | train / test | model | accuracy | macro-F1 | within-one | ECE |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  const row = (source: string, sizes: string, model: string, r: ClassificationReport) =>
    lines.push(
      `| ${source} | ${sizes} | ${model} | ${f(r.accuracy)} | ${f(r.macroF1)} | ${f(r.withinOne)} | ${f(r.ece)} |`,
    );
  for (const s of evaluation.sources) {
    const sizes = `${s.train} / ${s.test}`;
    row(s.source, sizes, 'majority class', s.majority);
    row(s.source, sizes, 'naive Bayes (word uni+bigrams)', s.naiveBayes);
    row(s.source, sizes, 'TF-IDF word+char logistic regression', s.logReg);
    row(s.source, sizes, 'Argus classifier (offline)', s.classifier);
  }
  row('mean', '', 'majority class', evaluation.mean.majority);
  row('mean', '', 'naive Bayes (word uni+bigrams)', evaluation.mean.naiveBayes);
  row('mean', '', 'TF-IDF word+char logistic regression', evaluation.mean.logReg);
  row('mean', '', 'Argus classifier (offline)', evaluation.mean.classifier);
  lines.push('');
  lines.push(
    `Classifier macro-F1 − naive Bayes macro-F1, mean over sources: ${evaluation.macroF1GainOverNaiveBayes >= 0 ? '+' : ''}${evaluation.macroF1GainOverNaiveBayes.toFixed(3)}`,
  );
  const sign = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;
  const served = evaluation.sources.filter((s) => s.served);
  if (served.length) {
    lines.push('');
    lines.push(
      'As the API serves it (history imported with POST /incidents/import into PostgreSQL, classified with POST /ai/classify):',
    );
    lines.push('');
    lines.push(
      '| source | served macro-F1 | accuracy | ECE | logistic regression macro-F1 | lift | right after the import: macro-F1 / ECE | cold start: macro-F1 / ECE |',
    );
    lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const s of served) {
      const v = s.served!;
      lines.push(
        `| ${s.source} | ${f(v.served.macroF1)} | ${f(v.served.accuracy)} | ${f(v.served.ece)} | ${f(s.logReg.macroF1)} | ${sign(v.lift)} | ${f(v.unsettled.macroF1)} / ${f(v.unsettled.ece)} | ${f(v.cold.macroF1)} / ${f(v.cold.ece)} |`,
      );
    }
    const avg = (g: (s: SourceResult) => number) => served.reduce((sum, s) => sum + g(s), 0) / served.length;
    lines.push(
      `| mean | ${f(avg((s) => s.served!.served.macroF1))} | ${f(avg((s) => s.served!.served.accuracy))} | ${f(avg((s) => s.served!.served.ece ?? 0))} | ${f(avg((s) => s.logReg.macroF1))} | ${sign(avg((s) => s.served!.lift))} | ${f(avg((s) => s.served!.unsettled.macroF1))} / ${f(avg((s) => s.served!.unsettled.ece ?? 0))} | ${f(avg((s) => s.served!.cold.macroF1))} / ${f(avg((s) => s.served!.cold.ece ?? 0))} |`,
    );
    lines.push('');
    lines.push(
      `The served answers are the offline ones on ${served.reduce((sum, s) => sum + s.served!.sameAsOffline, 0)} of ${served.reduce((sum, s) => sum + s.test, 0)} incidents.`,
    );
    lines.push('');
  }
  lines.push(
    `Lift over the TF-IDF logistic regression (macro-F1), offline: ${evaluation.sources.map((s) => `${s.source} ${sign(s.lift)}`).join(', ')}; mean ${sign(evaluation.liftOverLogReg)} (95% paired bootstrap interval ${sign(evaluation.liftInterval.low)} to ${sign(evaluation.liftInterval.high)})`,
  );
  const short = SHORT_HISTORIES.filter((size) =>
    evaluation.sources.every((s) => s.shortHistory.some((h) => h.size === size)),
  );
  if (short.length) {
    lines.push('');
    lines.push(
      'A short history: the classifier taught only the latest labelled incidents of each source (offline; macro-F1 / ECE):',
    );
    lines.push('');
    lines.push(`| source | ${short.map((n) => (n ? `${n} incidents` : 'no history')).join(' | ')} |`);
    lines.push(`| --- | ${short.map(() => '---').join(' | ')} |`);
    const cell = (s: SourceResult, size: number) => s.shortHistory.find((h) => h.size === size)!.report;
    for (const s of evaluation.sources)
      lines.push(
        `| ${s.source} | ${short.map((n) => `${f(cell(s, n).macroF1)} / ${f(cell(s, n).ece)}`).join(' | ')} |`,
      );
    const avg = (size: number, g: (r: ClassificationReport) => number) =>
      evaluation.sources.reduce((sum, s) => sum + g(cell(s, size)), 0) / evaluation.sources.length;
    lines.push(
      `| mean | ${short.map((n) => `${f(avg(n, (r) => r.macroF1))} / ${f(avg(n, (r) => r.ece ?? 0))}`).join(' | ')} |`,
    );
    lines.push('');
  }
  for (const s of evaluation.sources) {
    const perClass = Object.entries(s.classifier.perClassF1)
      .map(([k, v]) => `${k} ${v === null ? '–' : v.toFixed(2)}`)
      .join(', ');
    lines.push(
      `${s.source}: test severities ${JSON.stringify(s.testSeverities)}; classifier F1 per class: ${perClass}; prior ${s.prior}; ` +
        `training ${s.trainMs} ms, ${s.classifyMs.toFixed(2)} ms per classification`,
    );
  }
  return lines.join('\n');
}
