import { join } from 'node:path';
import { evaluateClassification, formatClassificationEvaluation } from '../../tools/eval-classify/classification-eval';
import { SHIPPED_PRIOR } from '../../src/ai/classify/shipped-prior';
import { TEST_DATABASE_ENV } from '../support/database';

const FIXTURES = join(__dirname, '..', 'fixtures', 'ai-classify');

describe('the classification evaluation as served', () => {
  it('imports each history through the API and gets the offline answers back, incident for incident', async () => {
    const url = new URL(process.env[TEST_DATABASE_ENV]!);
    url.pathname = `${url.pathname}_served_eval`;
    const evaluation = await evaluateClassification(FIXTURES, {
      shippedPrior: SHIPPED_PRIOR,
      servedDatabaseUrl: url.toString(),
    });
    expect(evaluation.sources).toHaveLength(2);
    for (const source of evaluation.sources) {
      const served = source.served!;
      expect(served.sameAsOffline).toBe(source.test);
      expect(served.served.macroF1).toBeCloseTo(source.classifier.macroF1, 9);
      expect(served.lift).toBeCloseTo(source.lift, 9);
      // A new organization answers from the prior alone, which knows nothing of the fixture's kinds.
      expect(served.cold.n).toBe(source.test);
      expect(served.cold.accuracy).toBeLessThan(served.served.accuracy);
    }
    expect(formatClassificationEvaluation(evaluation)).toContain(
      'The served answers are the offline ones on 32 of 32 incidents.',
    );
  });
});
