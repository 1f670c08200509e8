import {
  OnCallCalculator,
  RotationSpec,
  ScheduleSpec,
  canonicalTimeZone,
} from '../../src/modules/on-call/on-call-calculator';

// Every expectation below is worked out by hand from the rules in on-call-calculator.ts, with the offsets of the
// zones written next to it: Europe/Berlin is UTC+1 (CET) and UTC+2 (CEST, from 2026-03-29 02:00 local to
// 2026-10-25 03:00 local); America/New_York is UTC−5 (EST) and UTC−4 (EDT, from 2026-03-08 to 2026-11-01).

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

function schedule(
  timeZone: string,
  rotations: Partial<RotationSpec>[],
  overrides: ScheduleSpec['overrides'] = [],
): OnCallCalculator {
  return new OnCallCalculator({
    timeZone,
    rotations: rotations.map((r) => ({
      participantIds: ['alice', 'bob'],
      startAt: at('2026-01-01T00:00:00Z'),
      lengthHours: 24,
      handoffTime: '09:00',
      ...r,
    })),
    overrides,
  });
}

function shiftAt(calc: OnCallCalculator, when: string) {
  const s = calc.shiftAt(at(when));
  return { userIds: s.userIds, start: iso(s.start), end: iso(s.end) };
}

describe('a daily rotation in Europe/Berlin', () => {
  // Starts Friday 2026-03-27 09:00 CET (08:00Z); alice, bob, carol take a day each.
  const berlin = schedule('Europe/Berlin', [
    { participantIds: ['alice', 'bob', 'carol'], startAt: at('2026-03-27T08:00:00Z') },
  ]);

  it('hands the first day to the first participant', () => {
    expect(shiftAt(berlin, '2026-03-27T12:00:00Z')).toEqual({
      userIds: ['alice'],
      start: '2026-03-27T08:00:00.000Z',
      end: '2026-03-28T08:00:00.000Z',
    });
  });

  it('keeps 09:00 local across the spring change, so the shift spanning it lasts 23 hours', () => {
    // Saturday 09:00 CET = 08:00Z to Sunday 09:00 CEST = 07:00Z.
    const bob = shiftAt(berlin, '2026-03-29T06:59:59Z');
    expect(bob).toEqual({ userIds: ['bob'], start: '2026-03-28T08:00:00.000Z', end: '2026-03-29T07:00:00.000Z' });
    expect(Date.parse(bob.end!) - Date.parse(bob.start!)).toBe(23 * 3_600_000);
    expect(shiftAt(berlin, '2026-03-29T07:00:00Z')).toEqual({
      userIds: ['carol'],
      start: '2026-03-29T07:00:00.000Z',
      end: '2026-03-30T07:00:00.000Z',
    });
    expect(shiftAt(berlin, '2026-03-30T07:30:00Z').userIds).toEqual(['alice']);
  });

  it('keeps 09:00 local across the autumn change, so the shift spanning it lasts 25 hours', () => {
    // Starts Friday 2026-10-23 09:00 CEST = 07:00Z; bob has Saturday 09:00 CEST (07:00Z) to Sunday 09:00 CET (08:00Z).
    const autumn = schedule('Europe/Berlin', [
      { participantIds: ['alice', 'bob'], startAt: at('2026-10-23T07:00:00Z') },
    ]);
    const bob = shiftAt(autumn, '2026-10-25T07:30:00Z');
    expect(bob).toEqual({ userIds: ['bob'], start: '2026-10-24T07:00:00.000Z', end: '2026-10-25T08:00:00.000Z' });
    expect(Date.parse(bob.end!) - Date.parse(bob.start!)).toBe(25 * 3_600_000);
    expect(shiftAt(autumn, '2026-10-25T08:00:00Z')).toEqual({
      userIds: ['alice'],
      start: '2026-10-25T08:00:00.000Z',
      end: '2026-10-26T08:00:00.000Z',
    });
  });

  it('has nobody on call before the rotation starts', () => {
    expect(shiftAt(berlin, '2026-03-27T07:00:00Z')).toEqual({
      userIds: [],
      start: null,
      end: '2026-03-27T08:00:00.000Z',
    });
  });
});

describe('a weekly rotation in America/New_York', () => {
  // Monday 2026-03-02 09:00 EST = 14:00Z; the next Monday 09:00 is EDT = 13:00Z, so the first week has 167 hours.
  const ny = schedule('America/New_York', [
    { participantIds: ['alice', 'bob'], startAt: at('2026-03-02T14:00:00Z'), lengthHours: 168 },
  ]);

  it('hands off on Mondays at 09:00 local on both sides of the change', () => {
    expect(shiftAt(ny, '2026-03-08T12:00:00Z')).toEqual({
      userIds: ['alice'],
      start: '2026-03-02T14:00:00.000Z',
      end: '2026-03-09T13:00:00.000Z',
    });
    expect(shiftAt(ny, '2026-03-09T13:00:00Z')).toEqual({
      userIds: ['bob'],
      start: '2026-03-09T13:00:00.000Z',
      end: '2026-03-16T13:00:00.000Z',
    });
  });

  it('moves back to 14:00Z when the clocks go back on 2026-11-01', () => {
    // Turns alternate weekly from 2026-03-02: the week of Monday 2026-10-26 is week 34 (even) → alice;
    // 2026-10-26 09:00 EDT = 13:00Z, 2026-11-02 09:00 EST = 14:00Z (169 hours).
    expect(shiftAt(ny, '2026-11-01T12:00:00Z')).toEqual({
      userIds: ['alice'],
      start: '2026-10-26T13:00:00.000Z',
      end: '2026-11-02T14:00:00.000Z',
    });
  });
});

describe('lengths that are not a multiple of 24 hours', () => {
  it('keeps 12-hour day and night shifts at 09:00 and 21:00 local; the night spanning the change absorbs it', () => {
    // From Saturday 2026-03-28 09:00 CET (08:00Z): day 08:00Z–20:00Z, night 20:00Z–07:00Z (11 h, 21:00 CET to
    // 09:00 CEST), day 07:00Z–19:00Z (09:00–21:00 CEST).
    const calc = schedule('Europe/Berlin', [
      { participantIds: ['day', 'night'], startAt: at('2026-03-28T08:00:00Z'), lengthHours: 12 },
    ]);
    expect(shiftAt(calc, '2026-03-28T12:00:00Z')).toEqual({
      userIds: ['day'],
      start: '2026-03-28T08:00:00.000Z',
      end: '2026-03-28T20:00:00.000Z',
    });
    expect(shiftAt(calc, '2026-03-29T03:00:00Z')).toEqual({
      userIds: ['night'],
      start: '2026-03-28T20:00:00.000Z',
      end: '2026-03-29T07:00:00.000Z',
    });
    expect(shiftAt(calc, '2026-03-29T12:00:00Z')).toEqual({
      userIds: ['day'],
      start: '2026-03-29T07:00:00.000Z',
      end: '2026-03-29T19:00:00.000Z',
    });
  });

  it('lasts exactly the length in real hours between realignments, and skips a turn that becomes empty', () => {
    // Hourly turns from Sunday 2026-03-29 00:00 CET (23:00Z the day before). That day has 23 hours: turn 23 (bob)
    // would start at 00:00Z + 23 h = 22:00Z, which is already Monday 00:00 CEST, where turn 24 (alice) starts.
    const calc = schedule('Europe/Berlin', [
      { participantIds: ['alice', 'bob'], startAt: at('2026-03-28T23:00:00Z'), lengthHours: 1, handoffTime: '00:00' },
    ]);
    // Turn 2 (alice) spans the change itself: 02:00 CET to 04:00 CEST, one real hour.
    expect(shiftAt(calc, '2026-03-29T01:30:00Z')).toEqual({
      userIds: ['alice'],
      start: '2026-03-29T01:00:00.000Z',
      end: '2026-03-29T02:00:00.000Z',
    });
    expect(shiftAt(calc, '2026-03-29T02:30:00Z')).toEqual({
      userIds: ['bob'],
      start: '2026-03-29T02:00:00.000Z',
      end: '2026-03-29T03:00:00.000Z',
    });
    // Turn 22 (alice) from 21:00Z, turn 23 (bob) empty, turn 24 (alice) from 22:00Z: alice has two hours in a row.
    expect(shiftAt(calc, '2026-03-29T21:30:00Z')).toEqual({
      userIds: ['alice'],
      start: '2026-03-29T21:00:00.000Z',
      end: '2026-03-29T23:00:00.000Z',
    });
  });
});

describe('the first turn', () => {
  it('runs from start_at to the handoff one length after handoff_time on the start date', () => {
    // Starts 11:00 CET (10:00Z) on 2026-02-02, handoff 09:00: alice until 2026-02-03 09:00 CET (08:00Z).
    const late = schedule('Europe/Berlin', [{ startAt: at('2026-02-02T10:00:00Z') }]);
    expect(shiftAt(late, '2026-02-02T10:00:00Z')).toEqual({
      userIds: ['alice'],
      start: '2026-02-02T10:00:00.000Z',
      end: '2026-02-03T08:00:00.000Z',
    });
    // Starts 07:00 CET, before the handoff time: alice until the next day's 09:00 (26 hours).
    const early = schedule('Europe/Berlin', [{ startAt: at('2026-02-02T06:00:00Z') }]);
    expect(shiftAt(early, '2026-02-02T07:00:00Z')).toEqual({
      userIds: ['alice'],
      start: '2026-02-02T06:00:00.000Z',
      end: '2026-02-03T08:00:00.000Z',
    });
  });

  it('skips grid points that come before start_at', () => {
    // 12-hour turns, handoff 09:00, start 23:00 CET (22:00Z): 21:00 is already past, so alice keeps it until 09:00.
    const calc = schedule('Europe/Berlin', [{ startAt: at('2026-02-02T22:00:00Z'), lengthHours: 12 }]);
    expect(shiftAt(calc, '2026-02-03T00:00:00Z')).toEqual({
      userIds: ['alice'],
      start: '2026-02-02T22:00:00.000Z',
      end: '2026-02-03T08:00:00.000Z',
    });
    expect(shiftAt(calc, '2026-02-03T08:00:00Z').userIds).toEqual(['bob']);
  });
});

describe('handoff times that a DST change skips or repeats', () => {
  const calc = schedule('Europe/Berlin', [
    { participantIds: ['alice', 'bob'], startAt: at('2026-03-01T01:30:00Z'), handoffTime: '02:30' },
  ]);

  it('moves a skipped handoff time forward by the gap', () => {
    // 2026-03-29 02:30 does not exist in Berlin; the handoff happens at 03:30 CEST = 01:30Z.
    expect(shiftAt(calc, '2026-03-29T01:29:00Z').end).toBe('2026-03-29T01:30:00.000Z');
  });

  it('hands off at the second occurrence of a repeated handoff time', () => {
    // 2026-10-25 02:30 happens at 00:30Z (CEST) and at 01:30Z (CET); the handoff is at 01:30Z.
    expect(shiftAt(calc, '2026-10-25T01:00:00Z').end).toBe('2026-10-25T01:30:00.000Z');
  });
});

describe('layers and overrides', () => {
  // Primary: alice/bob daily from 2026-03-27 09:00 CET; secondary: carol alone, weekly.
  const layered = schedule(
    'Europe/Berlin',
    [
      { participantIds: ['alice', 'bob'], startAt: at('2026-03-27T08:00:00Z') },
      { participantIds: ['carol'], startAt: at('2026-03-27T08:00:00Z'), lengthHours: 168 },
    ],
    [{ userId: 'dave', startAt: at('2026-03-28T12:00:00Z'), endAt: at('2026-03-28T18:00:00Z') }],
  );

  it("puts every rotation's current participant on call together, in rotation order", () => {
    expect(shiftAt(layered, '2026-03-27T09:00:00Z')).toEqual({
      userIds: ['alice', 'carol'],
      start: '2026-03-27T08:00:00.000Z',
      end: '2026-03-28T08:00:00.000Z',
    });
  });

  it('lets an override replace the rotations for its window', () => {
    expect(shiftAt(layered, '2026-03-28T13:00:00Z')).toEqual({
      userIds: ['dave'],
      start: '2026-03-28T12:00:00.000Z',
      end: '2026-03-28T18:00:00.000Z',
    });
  });

  it('cuts the rotation shift around the override', () => {
    expect(shiftAt(layered, '2026-03-28T09:00:00Z')).toEqual({
      userIds: ['bob', 'carol'],
      start: '2026-03-28T08:00:00.000Z',
      end: '2026-03-28T12:00:00.000Z',
    });
    // After the override, bob's day goes on until Sunday 09:00 CEST.
    expect(shiftAt(layered, '2026-03-28T19:00:00Z')).toEqual({
      userIds: ['bob', 'carol'],
      start: '2026-03-28T18:00:00.000Z',
      end: '2026-03-29T07:00:00.000Z',
    });
  });

  it('puts overlapping overrides on call together and merges an override by the person already on call', () => {
    const calc = schedule(
      'UTC',
      [{ participantIds: ['alice', 'bob'], startAt: at('2026-05-01T09:00:00Z') }],
      [
        { userId: 'erin', startAt: at('2026-05-01T14:00:00Z'), endAt: at('2026-05-01T16:00:00Z') },
        { userId: 'dave', startAt: at('2026-05-01T12:00:00Z'), endAt: at('2026-05-01T15:00:00Z') },
        { userId: 'bob', startAt: at('2026-05-02T06:00:00Z'), endAt: at('2026-05-02T10:00:00Z') },
      ],
    );
    expect(shiftAt(calc, '2026-05-01T14:30:00Z')).toEqual({
      userIds: ['dave', 'erin'],
      start: '2026-05-01T14:00:00.000Z',
      end: '2026-05-01T15:00:00.000Z',
    });
    // bob overrides from 06:00 and takes over the rotation at 09:00: one shift from 06:00 to the next day's 09:00.
    expect(shiftAt(calc, '2026-05-02T07:00:00Z')).toEqual({
      userIds: ['bob'],
      start: '2026-05-02T06:00:00.000Z',
      end: '2026-05-03T09:00:00.000Z',
    });
  });

  it('reports an unbounded shift as null', () => {
    const solo = schedule('UTC', [{ participantIds: ['carol'], startAt: at('2026-05-01T09:00:00Z') }]);
    expect(shiftAt(solo, '2027-01-01T00:00:00Z')).toEqual({
      userIds: ['carol'],
      start: '2026-05-01T09:00:00.000Z',
      end: null,
    });
    expect(shiftAt(schedule('UTC', []), '2027-01-01T00:00:00Z')).toEqual({ userIds: [], start: null, end: null });
  });
});

describe('shifts in a range', () => {
  it('lists the shifts clipped to the range, across an override and the spring change', () => {
    const calc = schedule(
      'Europe/Berlin',
      [{ participantIds: ['alice', 'bob', 'carol'], startAt: at('2026-03-27T08:00:00Z') }],
      [{ userId: 'dave', startAt: at('2026-03-28T12:00:00Z'), endAt: at('2026-03-28T18:00:00Z') }],
    );
    const shifts = calc.shiftsBetween(at('2026-03-27T00:00:00Z'), at('2026-03-30T00:00:00Z'));
    expect(shifts.map((s) => [s.userIds.join(','), iso(s.start), iso(s.end)])).toEqual([
      ['alice', '2026-03-27T08:00:00.000Z', '2026-03-28T08:00:00.000Z'],
      ['bob', '2026-03-28T08:00:00.000Z', '2026-03-28T12:00:00.000Z'],
      ['dave', '2026-03-28T12:00:00.000Z', '2026-03-28T18:00:00.000Z'],
      ['bob', '2026-03-28T18:00:00.000Z', '2026-03-29T07:00:00.000Z'],
      ['carol', '2026-03-29T07:00:00.000Z', '2026-03-30T00:00:00.000Z'],
    ]);
  });

  it('lists every turn of a long range without gaps', () => {
    const calc = schedule('America/New_York', [
      { participantIds: ['a', 'b', 'c'], startAt: at('2026-01-05T14:00:00Z'), lengthHours: 8 },
    ]);
    const shifts = calc.shiftsBetween(at('2026-02-01T00:00:00Z'), at('2026-05-01T00:00:00Z'));
    for (let i = 1; i < shifts.length; i++) {
      expect(shifts[i].start.getTime()).toBe(shifts[i - 1].end.getTime());
      expect(shifts[i].userIds).not.toEqual(shifts[i - 1].userIds);
    }
    // 89 days of three 8-hour turns, minus the hour lost on 2026-03-08 (no turn is skipped, one is shorter).
    expect(shifts.length).toBe(89 * 3 + 1);
  });
});

describe('time zone names', () => {
  it('accepts IANA names in any case and gives the canonical spelling', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
  });

  it('refuses names that are not IANA zones', () => {
    for (const name of ['Mars/Olympus_Mons', '+01:00', '', 'Berlin']) expect(canonicalTimeZone(name)).toBeNull();
  });

  it('refuses fixed UTC offsets in every spelling, whatever the runtime Intl accepts', () => {
    for (const name of [
      '+01:00',
      '-05:00',
      '+0100',
      '-0530',
      '+01',
      '+14:00',
      'UTC+1',
      'GMT+01:00',
      'Etc/GMT+01:00',
      ' Europe/Berlin',
      'Europe/Berlin ',
    ]) {
      expect([name, canonicalTimeZone(name)]).toEqual([name, null]);
    }
  });

  it('accepts the tz database names of UTC and of the Etc fixed zones', () => {
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('Etc/UTC')).toBe('UTC');
    expect(canonicalTimeZone('Etc/GMT+1')).toBe('Etc/GMT+1');
    expect(canonicalTimeZone('America/North_Dakota/New_Salem')).toBe('America/North_Dakota/New_Salem');
    expect(canonicalTimeZone('America/Port-au-Prince')).toBe('America/Port-au-Prince');
  });
});
