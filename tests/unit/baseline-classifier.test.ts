import { BaselineKeywordClassifier } from '../../src/ai/baseline-classifier';

describe('the baseline keyword classifier', () => {
  const classifier = new BaselineKeywordClassifier();

  it('reads strong cues', async () => {
    expect((await classifier.classify({ title: 'Data loss in EU region' })).severity).toBe('P1');
    expect((await classifier.classify({ title: 'Degraded performance for search' })).severity).toBe('P2');
    expect((await classifier.classify({ title: 'Typo on the pricing page', description: 'cosmetic only' })).severity).toBe('P4');
  });

  it('says it is a baseline and stays modest about its confidence', async () => {
    const result = await classifier.classify({ title: 'Something odd' });
    expect(result).toMatchObject({ severity: 'P3', model: 'baseline-keywords-v0' });
    for (const title of ['Data loss for all users, complete outage', 'Something odd', 'slow']) {
      const { confidence } = await classifier.classify({ title });
      expect(confidence).toBeGreaterThan(0);
      expect(confidence).toBeLessThanOrEqual(0.6);
    }
  });
});
