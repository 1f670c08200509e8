import {
  SlaClockFields,
  applyTargets,
  breachEntry,
  isPending,
  mostSpecific,
  restartResolutionClock,
  specificity,
  stopClock,
} from '../../src/modules/sla/sla-clock';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const targets = { id: 'p', responseMinutes: 15, resolutionMinutes: 240 };
const fresh = (): SlaClockFields => ({ slaStartedAt: T0, slaBreached: false });

describe('choosing the SLA policy', () => {
  const policy = (id: string, serviceId: string | null, teamId: string | null, createdMinutes = 0) => ({
    id,
    serviceId,
    teamId,
    createdAt: at(createdMinutes),
  });
  const all = [
    policy('severity', null, null),
    policy('team', null, 't1'),
    policy('service', 's1', null),
    policy('both', 's1', 't1'),
  ];

  it('ranks service and team over service over team over severity alone', () => {
    expect(all.map(specificity)).toEqual([0, 1, 2, 3]);
    expect(mostSpecific(all, { serviceId: 's1', teamId: 't1' })?.id).toBe('both');
    expect(mostSpecific(all, { serviceId: 's1', teamId: 't2' })?.id).toBe('service');
    expect(mostSpecific(all, { serviceId: 's2', teamId: 't1' })?.id).toBe('team');
    expect(mostSpecific(all, { serviceId: null, teamId: null })?.id).toBe('severity');
  });

  it('never picks a policy scoped to something else', () => {
    expect(
      mostSpecific([policy('other', 's9', null), policy('other-team', null, 't9')], { serviceId: 's1', teamId: 't1' }),
    ).toBeNull();
  });

  it('breaks a tie by the oldest, then the smallest id, whatever the input order', () => {
    const a = policy('b', null, null, 5);
    const b = policy('a', null, null, 10);
    const c = policy('c', null, null, 5);
    expect(mostSpecific([b, c, a], { serviceId: null, teamId: null })?.id).toBe('b');
    expect(mostSpecific([c, b, a], { serviceId: null, teamId: null })?.id).toBe('b');
  });
});

describe('the SLA clocks', () => {
  it('sets due times from the start, or none without targets', () => {
    const c = fresh();
    applyTargets(c, targets, at(99));
    expect([c.slaResponseDueAt, c.slaResolutionDueAt]).toEqual([at(15), at(240)]);
    applyTargets(c, null, at(99));
    expect([c.slaResponseDueAt, c.slaResolutionDueAt]).toEqual([null, null]);
  });

  it('leaves stopped and breached clocks as they were', () => {
    const c = fresh();
    applyTargets(c, targets, T0);
    stopClock(c, 'response', at(5));
    c.slaResolutionBreachedAt = at(240);
    applyTargets(c, { id: 'q', responseMinutes: 1, resolutionMinutes: 2 }, T0);
    expect([c.slaResponseDueAt, c.slaResolutionDueAt]).toEqual([at(15), at(240)]);
    expect([isPending(c, 'response'), isPending(c, 'resolution')]).toEqual([false, false]);
  });

  it('reports a breach when a clock stops after its due time, and only then, once', () => {
    const onTime = fresh();
    applyTargets(onTime, targets, T0);
    expect(stopClock(onTime, 'response', at(15))).toBeNull();
    expect(onTime.slaBreached).toBe(false);

    const late = fresh();
    applyTargets(late, targets, T0);
    expect(stopClock(late, 'response', at(16))).toEqual({ clock: 'response', dueAt: at(15) });
    expect(late).toMatchObject({ slaResponseBreachedAt: at(15), slaResponseStoppedAt: at(16), slaBreached: true });
    expect(stopClock(late, 'response', at(17))).toBeNull();
  });

  it('does not report a breach the job already marked', () => {
    const c = fresh();
    applyTargets(c, targets, T0);
    c.slaResponseBreachedAt = at(15);
    expect(stopClock(c, 'response', at(30))).toBeNull();
  });

  it('restarts the resolution clock from the reopen, keeping slaBreached', () => {
    const c = fresh();
    applyTargets(c, targets, T0);
    c.slaResolutionBreachedAt = at(240);
    c.slaBreached = true;
    stopClock(c, 'resolution', at(300));
    restartResolutionClock(c, at(400));
    applyTargets(c, targets, at(400));
    expect(c).toMatchObject({
      slaStartedAt: at(400),
      slaResolutionDueAt: at(640),
      slaResolutionBreachedAt: null,
      slaResolutionStoppedAt: null,
      slaBreached: true,
    });
  });

  it('words a breach entry with the clock, the due time and the detection time', () => {
    const entry = breachEntry({ clock: 'resolution', dueAt: at(240) }, at(241), 'p');
    expect(entry.message).toBe(`Resolution SLA breached: not resolved by ${at(240).toISOString()}`);
    expect(entry.data).toEqual({
      clock: 'resolution',
      due_at: at(240).toISOString(),
      detected_at: at(241).toISOString(),
      policy_id: 'p',
    });
  });
});
