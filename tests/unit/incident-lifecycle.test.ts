import { canTransition, isReopen } from '../../src/modules/incidents/incident-lifecycle';
import { IncidentStatus as S } from '../../src/modules/incidents/incident.enums';

describe('incident lifecycle rules', () => {
  it.each([
    [S.open, S.acknowledged],
    [S.open, S.resolved],
    [S.acknowledged, S.investigating],
    [S.investigating, S.mitigated],
    [S.mitigated, S.closed],
    [S.resolved, S.closed],
    [S.resolved, S.open],
  ])('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each([
    [S.acknowledged, S.open],
    [S.mitigated, S.investigating],
    [S.closed, S.open],
    [S.closed, S.resolved],
    [S.open, S.open],
  ])('refuses %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('calls only resolved → open a reopen', () => {
    expect(isReopen(S.resolved, S.open)).toBe(true);
    expect(isReopen(S.mitigated, S.open)).toBe(false);
  });
});
