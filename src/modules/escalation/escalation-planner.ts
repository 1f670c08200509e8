/**
 * When each level of an escalation policy is paged for an incident that nobody acknowledges. Pure: the caller
 * resolves targets (a schedule → whoever is on call at the step's time).
 *
 * Level 1 is paged at the start T. Each level's delay_minutes is the time it has to acknowledge before the next level
 * is paged (PagerDuty's escalation delay), so level n is paged at T + the delays of levels 1..n−1; after the last
 * level's delay the sequence starts over, `repeat` more times. Steps at or after the time the incident stopped
 * escalating (acknowledged or moved on) are kept in the plan, marked `suppressed`.
 */

export interface EscalationLevelSpec {
  delayMinutes: number;
  targetIds: string[];
}

export interface PlannedStep {
  /** 1-based level number. */
  level: number;
  /** 0 for the first pass, 1..repeat for the repeats. */
  repetition: number;
  at: Date;
  targetIds: string[];
  userIds: string[];
  /** True when the incident had stopped escalating by then: the step is not sent. */
  suppressed: boolean;
}

export function planEscalation(
  policy: { levels: EscalationLevelSpec[]; repeat: number },
  start: Date,
  stoppedAt: Date | null,
  usersOf: (targetId: string, at: Date) => string[],
): PlannedStep[] {
  const steps: PlannedStep[] = [];
  let t = start.getTime();
  for (let repetition = 0; repetition <= policy.repeat; repetition++) {
    policy.levels.forEach((level, i) => {
      const at = new Date(t);
      const userIds = [...new Set(level.targetIds.flatMap((id) => usersOf(id, at)))];
      steps.push({
        level: i + 1,
        repetition,
        at,
        targetIds: level.targetIds,
        userIds,
        suppressed: stoppedAt !== null && at.getTime() >= stoppedAt.getTime(),
      });
      t += level.delayMinutes * 60_000;
    });
  }
  return steps;
}
