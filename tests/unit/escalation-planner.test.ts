import { planEscalation } from '../../src/modules/escalation/escalation-planner';

const at = (iso: string) => new Date(iso);

// A "schedule" target whose on-call person changes at 10:00Z; user targets page themselves.
const usersOf = (id: string, when: Date) =>
  id === 'schedule' ? [when < at('2026-05-01T10:00:00Z') ? 'early' : 'late'] : [id];

describe('planning an escalation', () => {
  const policy = {
    levels: [
      { delayMinutes: 30, targetIds: ['schedule'] },
      { delayMinutes: 60, targetIds: ['manager', 'schedule'] },
    ],
    repeat: 1,
  };

  it("pages level 1 at the start and each next level after the previous level's delay, then repeats", () => {
    const steps = planEscalation(policy, at('2026-05-01T09:00:00Z'), null, usersOf);
    expect(steps.map((s) => [s.level, s.repetition, s.at.toISOString(), s.userIds, s.suppressed])).toEqual([
      [1, 0, '2026-05-01T09:00:00.000Z', ['early'], false],
      [2, 0, '2026-05-01T09:30:00.000Z', ['manager', 'early'], false],
      // The repeat starts after the last level's 60 minutes; the schedule has handed off by then.
      [1, 1, '2026-05-01T10:30:00.000Z', ['late'], false],
      [2, 1, '2026-05-01T11:00:00.000Z', ['manager', 'late'], false],
    ]);
    expect(steps[1].targetIds).toEqual(['manager', 'schedule']);
  });

  it('marks the steps from the acknowledgement on as suppressed', () => {
    const steps = planEscalation(policy, at('2026-05-01T09:00:00Z'), at('2026-05-01T09:30:00Z'), usersOf);
    expect(steps.map((s) => s.suppressed)).toEqual([false, true, true, true]);
  });

  it('pages each user once per step even when targets overlap', () => {
    const steps = planEscalation(
      { levels: [{ delayMinutes: 5, targetIds: ['early', 'schedule'] }], repeat: 0 },
      at('2026-05-01T09:00:00Z'),
      null,
      usersOf,
    );
    expect(steps).toHaveLength(1);
    expect(steps[0].userIds).toEqual(['early']);
  });
});
