import { outweighedCues } from '../../src/ai/classify/severity-classifier';
import type { SeverityModel, SeverityPrediction, HistoryIncident } from '../../src/ai/classify/severity-model';

const incident = (severity: number): HistoryIncident => ({
  id: String(severity),
  key: null,
  title: 't',
  severity,
  serviceId: null,
  teamId: null,
  startedAt: new Date(0),
});

function prediction(severity: number, cues: Array<[string, string]>, neighbours: number[] = []): SeverityPrediction {
  return {
    severity,
    confidence: 0.6,
    probabilities: [0.2, 0.6, 0.1, 0.1],
    cues: cues.map(([name, leansTo]) => ({ name, leansTo })),
    neighbours: neighbours.map((s) => ({ incident: incident(s), score: 0.8 })),
  };
}

const model = (hasRegression: boolean) => ({ hasRegression, trainedOn: 40 }) as unknown as SeverityModel;

describe('outweighedCues', () => {
  it('is silent when no cue points higher than the answer', () => {
    expect(
      outweighedCues(
        prediction(1, [
          ['degraded', 'P2'],
          ['cosmetic', 'P4'],
        ]),
        model(true),
      ),
    ).toBeNull();
  });

  it('names the similar past incidents when most of them had the answer', () => {
    expect(outweighedCues(prediction(1, [['all users', 'P1']], [1, 1, 0]), model(true))).toBe(
      'P2 rather than P1 despite "all users" (→ P1): outweighed by this organization\'s similar past incidents (2 of the 3 most similar were P2) (probability P2 0.60).',
    );
  });

  it('names the learned model when the neighbours do not agree, and the cues when there is no model', () => {
    expect(outweighedCues(prediction(1, [['all users', 'P1']], [0, 2]), model(true))).toContain(
      "the model learned from this organization's 40 labelled incidents, which puts incidents like this (their words and service) at P2",
    );
    expect(
      outweighedCues(
        prediction(1, [
          ['all users', 'P1'],
          ['degraded', 'P2'],
        ]),
        model(false),
      ),
    ).toContain('outweighed by the cue "degraded" (→ P2)');
  });
});
