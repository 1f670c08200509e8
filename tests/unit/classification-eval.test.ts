import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { evaluateClassification, formatClassificationEvaluation } from '../../tools/eval-classify/classification-eval';
import { SHIPPED_PRIOR } from '../../src/ai/classify/shipped-prior';

const FIXTURES = join(__dirname, '..', 'fixtures', 'ai-classify');

describe('the classification evaluation', () => {
  it('learns from the earlier incidents of each source and classifies the later ones, beside the baselines', async () => {
    const evaluation = await evaluateClassification(FIXTURES, { shippedPrior: SHIPPED_PRIOR });
    expect(evaluation.sources.map((s) => [s.source, s.train, s.test])).toEqual([
      ['acme.example', 64, 16],
      ['globex.example', 64, 16],
    ]);
    for (const source of evaluation.sources) {
      expect(source.prior).toBe('shipped severity-prior-v1');
      for (const report of [source.majority, source.naiveBayes, source.logReg, source.classifier]) {
        for (const value of [report.accuracy, report.macroF1, report.withinOne, report.ece ?? 0]) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
      }
      // The fixture's kinds are easy to tell apart: the classifier is far above the majority class.
      expect(source.classifier.accuracy).toBeGreaterThan(source.majority.accuracy);
    }
    expect(evaluation.macroF1GainOverNaiveBayes).toBeCloseTo(
      evaluation.mean.classifier.macroF1 - evaluation.mean.naiveBayes.macroF1,
      9,
    );
    expect(evaluation.liftOverLogReg).toBeCloseTo(
      evaluation.mean.classifier.macroF1 - evaluation.mean.logReg.macroF1,
      9,
    );
    for (const source of evaluation.sources) {
      expect(source.lift).toBeCloseTo(source.classifier.macroF1 - source.logReg.macroF1, 9);
      // Each short history is measured on the same test slice; the fixture's kinds are learned from a few dozen.
      expect(source.shortHistory.map((h) => [h.size, h.report.n])).toEqual([
        [0, 16],
        [10, 16],
        [25, 16],
        [50, 16],
      ]);
      expect(source.shortHistory[3].report.accuracy).toBeGreaterThan(source.majority.accuracy);
    }
    const table = formatClassificationEvaluation(evaluation);
    expect(table).toContain('| source | no history | 10 incidents | 25 incidents | 50 incidents |');
    expect(table).toContain('| acme.example | 64 / 16 | Argus classifier (offline) |');
    expect(table).toContain('| acme.example | 64 / 16 | TF-IDF word+char logistic regression |');
    expect(table).toContain('Lift over the TF-IDF logistic regression');
    const { low, high } = evaluation.liftInterval;
    expect(low).toBeLessThanOrEqual(high);
    expect(table).toContain(`(95% paired bootstrap interval ${low >= 0 ? '+' : ''}${low.toFixed(3)} to`);
    expect(table).toContain('naive Bayes (word uni+bigrams)');
  });

  it('chooses on validation folds inside each source history, never reading its test slice', async () => {
    const evaluation = await evaluateClassification(FIXTURES, { shippedPrior: SHIPPED_PRIOR, validation: true });
    expect(evaluation.protocol).toContain('validation folds');
    expect(evaluation.sources.map((s) => [s.source, s.train, s.test])).toEqual([
      ['acme.example (history to 50%)', 32, 13],
      ['acme.example (history to 60%)', 38, 13],
      ['acme.example (history to 70%)', 44, 13],
      ['acme.example (history to 80%)', 51, 13],
      ['globex.example (history to 50%)', 32, 13],
      ['globex.example (history to 60%)', 38, 13],
      ['globex.example (history to 70%)', 44, 13],
      ['globex.example (history to 80%)', 51, 13],
    ]);
    expect(evaluation.sources.every((s) => s.served === undefined)).toBe(true);
  });

  it('runs as `npm run eval:classify -- <dataDir>` from the build', () => {
    const output = execFileSync(
      'node',
      [join(__dirname, '..', '..', 'dist-tools', 'tools', 'eval-classify.js'), FIXTURES, '--json'],
      { encoding: 'utf8' },
    );
    const parsed = JSON.parse(output) as { sources: Array<{ source: string }>; macroF1GainOverNaiveBayes: number };
    expect(parsed.sources.map((s) => s.source)).toEqual(['acme.example', 'globex.example']);
    expect(typeof parsed.macroF1GainOverNaiveBayes).toBe('number');
  });
});
