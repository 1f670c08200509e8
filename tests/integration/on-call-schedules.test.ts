import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { SeedOrg, SeedUser, seedOrg } from '../support/seed';
import { ManualClock } from '../../src/core/clock';
import {
  CreateOnCallScheduleDocument,
  DeleteOnCallScheduleDocument,
  OnCallDocument,
  OnCallScheduleDocument,
  OnCallSchedulesDocument,
  OnCallShiftsDocument,
  UpdateOnCallScheduleDocument,
} from '../support/generated/graphql';

// Hand-worked expectations: Europe/Berlin is UTC+1 until 2026-03-29 02:00 local and UTC+2 from then until
// 2026-10-25 03:00 local; America/New_York is UTC−5 until 2026-03-08 and UTC−4 from then.

let t: TestApp;
const clock = new ManualClock(new Date('2026-03-29T12:00:00Z'));
beforeAll(async () => {
  t = await startTestApp({}, { clock });
});
afterAll(() => t.close());

/** An organization with three more users to rotate, alice, bob and carol. */
async function orgWithPeople(): Promise<{ org: SeedOrg; alice: SeedUser; bob: SeedUser; carol: SeedUser }> {
  const org = await seedOrg(t.url);
  const [alice, bob, carol] = [await org.user('responder'), await org.user('responder'), await org.user('viewer')];
  return { org, alice, bob, carol };
}

/** Daily from Friday 2026-03-27 09:00 CET (08:00Z), alice → bob → carol, 09:00 Berlin handoffs. */
const berlinDaily = (ids: string[]) => ({
  name: 'Primary',
  participant_ids: ids,
  start_at: '2026-03-27T08:00:00Z',
  length_hours: 24,
  handoff_time: '09:00',
});

describe('creating and managing schedules over REST', () => {
  it('creates with snake_case rotations and overrides, canonical time zone, and answers 201', async () => {
    const { org, alice, bob } = await orgWithPeople();
    const team = await org.team();
    const res = await rest(t.url, 'POST', '/on-call-schedules/', {
      token: org.owner.token,
      body: {
        name: 'Payments primary',
        team_id: team.id,
        time_zone: 'europe/berlin',
        rotations: [berlinDaily([alice.id, bob.id])],
        overrides: [
          { user_id: org.owner.id, start_at: '2026-03-28T12:00:00+01:00', end_at: '2026-03-28T18:00:00+01:00' },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Payments primary',
      team_id: team.id,
      time_zone: 'Europe/Berlin',
      rotations: [
        {
          name: 'Primary',
          participant_ids: [alice.id, bob.id],
          start_at: '2026-03-27T08:00:00.000Z',
          length_hours: 24,
          handoff_time: '09:00',
        },
      ],
      overrides: [{ user_id: org.owner.id, start_at: '2026-03-28T11:00:00.000Z', end_at: '2026-03-28T17:00:00.000Z' }],
    });
    expect(res.body).not.toHaveProperty('team');
    const read = await rest(t.url, 'GET', `/on-call-schedules/${res.body.id}`, { token: org.owner.token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it('changes only the fields sent', async () => {
    const { org, alice } = await orgWithPeople();
    const schedule = await org.onCallSchedule({ rotations: [berlinDaily([alice.id])] });
    const res = await rest(t.url, 'PATCH', `/on-call-schedules/${schedule.id}`, {
      token: org.owner.token,
      body: { overrides: [{ user_id: alice.id, start_at: '2026-04-01T00:00:00Z', end_at: '2026-04-02T00:00:00Z' }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.rotations).toEqual(schedule.rotations);
    expect(res.body.time_zone).toBe('Europe/Berlin');
    expect(res.body.overrides).toEqual([
      { user_id: alice.id, start_at: '2026-04-01T00:00:00.000Z', end_at: '2026-04-02T00:00:00.000Z' },
    ]);
    const renamed = await rest(t.url, 'PATCH', `/on-call-schedules/${schedule.id}`, {
      token: org.owner.token,
      body: { time_zone: 'America/New_York', name: 'Renamed' },
    });
    expect(renamed.body).toMatchObject({
      name: 'Renamed',
      time_zone: 'America/New_York',
      overrides: res.body.overrides,
    });
  });

  it('lists with a team filter, text search and keyset pages', async () => {
    const { org } = await orgWithPeople();
    const team = await org.team();
    await org.onCallSchedule({ name: 'Alpha web', team_id: team.id });
    await org.onCallSchedule({ name: 'Beta web', team_id: team.id });
    await org.onCallSchedule({ name: 'Gamma db' });
    const first = await rest(t.url, 'GET', `/on-call-schedules?team_id=${team.id}&limit=1`, { token: org.owner.token });
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(2);
    expect(first.body.items.map((s: { name: string }) => s.name)).toEqual(['Alpha web']);
    const second = await rest(
      t.url,
      'GET',
      `/on-call-schedules?team_id=${team.id}&limit=1&cursor=${encodeURIComponent(first.body.next_cursor)}`,
      { token: org.owner.token },
    );
    expect(second.body.items.map((s: { name: string }) => s.name)).toEqual(['Beta web']);
    expect(second.body.next_cursor).toBeNull();
    const search = await rest(t.url, 'GET', '/on-call-schedules?q=db', { token: org.owner.token });
    expect(search.body.items.map((s: { name: string }) => s.name)).toEqual(['Gamma db']);
  });

  it('deletes with 204, after which the schedule is not found', async () => {
    const { org } = await orgWithPeople();
    const schedule = await org.onCallSchedule();
    expect((await rest(t.url, 'DELETE', `/on-call-schedules/${schedule.id}`, { token: org.owner.token })).status).toBe(
      204,
    );
    expect((await rest(t.url, 'GET', `/on-call-schedules/${schedule.id}`, { token: org.owner.token })).status).toBe(
      404,
    );
  });

  it('refuses a duplicate name with 409', async () => {
    const { org } = await orgWithPeople();
    await org.onCallSchedule({ name: 'Only one' });
    const res = await rest(t.url, 'POST', '/on-call-schedules', {
      token: org.owner.token,
      body: { name: 'Only one', time_zone: 'UTC' },
    });
    expect(res.status).toBe(409);
  });

  it('lets admins manage schedules, and viewers and responders only read', async () => {
    const { org, alice } = await orgWithPeople();
    const admin = await org.user('admin');
    const viewer = await org.user('viewer');
    const body = { name: 'By role', time_zone: 'UTC', rotations: [berlinDaily([alice.id])] };
    expect((await rest(t.url, 'POST', '/on-call-schedules', { token: viewer.token, body })).status).toBe(403);
    expect((await rest(t.url, 'POST', '/on-call-schedules', { token: alice.token, body })).status).toBe(403);
    const created = await rest(t.url, 'POST', '/on-call-schedules', { token: admin.token, body });
    expect(created.status).toBe(201);
    const read = await rest(t.url, 'GET', `/on-call-schedules/${created.body.id}/on-call?at=2026-03-27T10:00:00Z`, {
      token: viewer.token,
    });
    expect(read.status).toBe(200);
    expect(read.body.user_ids).toEqual([alice.id]);
    expect((await rest(t.url, 'DELETE', `/on-call-schedules/${created.body.id}`, { token: alice.token })).status).toBe(
      403,
    );
  });
});

describe('schedule validation', () => {
  let org: SeedOrg;
  let alice: SeedUser;
  beforeAll(async () => {
    ({ org, alice } = await orgWithPeople());
  });

  const create = (body: Record<string, unknown>) =>
    rest(t.url, 'POST', '/on-call-schedules', {
      token: org.owner.token,
      body: { name: `Invalid ${Math.random()}`, time_zone: 'Europe/Berlin', ...body },
    });

  it('refuses a time zone that is not an IANA name, naming time_zone', async () => {
    for (const zone of ['Mars/Olympus_Mons', 'CEST+2', '+01:00']) {
      const res = await create({ time_zone: zone });
      expect([zone, res.status, res.body.error.code]).toEqual([zone, 400, 'VALIDATION_FAILED']);
      expect(res.body.error.details[0].field).toBe('time_zone');
    }
    const schedule = await org.onCallSchedule();
    const patch = await rest(t.url, 'PATCH', `/on-call-schedules/${schedule.id}`, {
      token: org.owner.token,
      body: { time_zone: 'Nowhere/Special' },
    });
    expect(patch.status).toBe(400);
    expect(patch.body.error.details[0].field).toBe('time_zone');
  });

  it('refuses a handoff time that is not HH:mm', async () => {
    for (const handoff of ['9am', '24:00', '09:60', '9:00']) {
      const res = await create({ rotations: [{ ...berlinDaily([alice.id]), handoff_time: handoff }] });
      expect([handoff, res.status]).toEqual([handoff, 400]);
      expect(res.body.error.details[0].field).toMatch(/^rotations\.0\.handoff_time$/);
    }
  });

  it('refuses a participant who is not a user of the organization, naming the field', async () => {
    const other = await seedOrg(t.url);
    for (const id of [other.owner.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await create({ rotations: [berlinDaily([alice.id]), berlinDaily([alice.id, id])] });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('rotations.1.participant_ids');
      expect(res.body.error.message).toContain(id);
    }
    const override = await create({
      overrides: [{ user_id: other.owner.id, start_at: '2026-04-01T00:00:00Z', end_at: '2026-04-02T00:00:00Z' }],
    });
    expect(override.status).toBe(400);
    expect(override.body.error.details[0].field).toBe('overrides.0.user_id');
  });

  it('refuses an override that ends before (or when) it starts', async () => {
    for (const end of ['2026-03-31T23:00:00Z', '2026-04-01T00:00:00Z']) {
      const res = await create({ overrides: [{ user_id: alice.id, start_at: '2026-04-01T00:00:00Z', end_at: end }] });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('overrides.0.end_at');
    }
  });

  it('refuses empty rotations, lengths out of range and malformed instants', async () => {
    const empty = await create({ rotations: [{ ...berlinDaily([]) }] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].field).toBe('rotations.0.participant_ids');
    for (const length of [0, 8761]) {
      const res = await create({ rotations: [{ ...berlinDaily([alice.id]), length_hours: length }] });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('rotations.0.length_hours');
    }
    const badDate = await create({ rotations: [{ ...berlinDaily([alice.id]), start_at: 'next tuesday' }] });
    expect(badDate.status).toBe(400);
    const ancient = await create({ rotations: [{ ...berlinDaily([alice.id]), start_at: '1969-12-31T00:00:00Z' }] });
    expect(ancient.status).toBe(400);
    expect(ancient.body.error.details[0].field).toBe('rotations.0.start_at');
  });

  it('answers GraphQL with VALIDATION_FAILED and camelCase fields', async () => {
    const res = await gql(
      t.url,
      CreateOnCallScheduleDocument,
      { input: { name: 'GraphQL invalid', timeZone: 'Atlantis/Capital' } },
      org.owner.token,
    );
    expect(errorCode(res)).toBe('VALIDATION_FAILED');
    expect(res.errors?.[0].extensions?.details?.[0].field).toBe('timeZone');
    const handoff = await gql(
      t.url,
      CreateOnCallScheduleDocument,
      {
        input: {
          name: 'GraphQL invalid',
          timeZone: 'UTC',
          rotations: [
            {
              name: 'r',
              participantIds: [alice.id],
              startAt: '2026-03-27T08:00:00Z',
              lengthHours: 24,
              handoffTime: '25:00',
            },
          ],
        },
      },
      org.owner.token,
    );
    expect(errorCode(handoff)).toBe('VALIDATION_FAILED');
    expect(handoff.errors?.[0].extensions?.details?.[0].field).toBe('rotations.0.handoffTime');
  });
});

describe('who is on call, over HTTP', () => {
  let org: SeedOrg;
  let alice: SeedUser;
  let bob: SeedUser;
  let carol: SeedUser;
  let berlin: { id: string };
  beforeAll(async () => {
    ({ org, alice, bob, carol } = await orgWithPeople());
    berlin = await org.onCallSchedule({
      name: 'Berlin daily',
      rotations: [berlinDaily([alice.id, bob.id, carol.id])],
      // The owner covers Saturday 13:00–19:00 CET.
      overrides: [{ user_id: org.owner.id, start_at: '2026-03-28T12:00:00Z', end_at: '2026-03-28T18:00:00Z' }],
    });
  });

  const onCall = (id: string, at?: string) =>
    rest(t.url, 'GET', `/on-call-schedules/${id}/on-call${at ? `?at=${encodeURIComponent(at)}` : ''}`, {
      token: org.owner.token,
    });

  it('answers the documented shape for the first shift', async () => {
    const res = await onCall(berlin.id, '2026-03-27T12:00:00Z');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      schedule_id: berlin.id,
      at: '2026-03-27T12:00:00.000Z',
      user_ids: [alice.id],
      shift_start: '2026-03-27T08:00:00.000Z',
      shift_end: '2026-03-28T08:00:00.000Z',
    });
  });

  it('hands off at 09:00 Berlin time on both sides of the spring change (a 23-hour shift)', async () => {
    // Bob: Saturday 09:00 CET (08:00Z) until Sunday 09:00 CEST (07:00Z), cut by the owner's override from 12:00Z to
    // 18:00Z.
    const evening = await onCall(berlin.id, '2026-03-29T06:59:00Z');
    expect(evening.body).toMatchObject({
      user_ids: [bob.id],
      shift_start: '2026-03-28T18:00:00.000Z',
      shift_end: '2026-03-29T07:00:00.000Z',
    });
    const sunday = await onCall(berlin.id, '2026-03-29T07:00:00Z');
    expect(sunday.body).toMatchObject({
      user_ids: [carol.id],
      shift_start: '2026-03-29T07:00:00.000Z',
      shift_end: '2026-03-30T07:00:00.000Z',
    });
  });

  it('puts the override in place of the rotation for its window', async () => {
    const during = await onCall(berlin.id, '2026-03-28T15:00:00+01:00');
    expect(during.body).toMatchObject({
      at: '2026-03-28T14:00:00.000Z',
      user_ids: [org.owner.id],
      shift_start: '2026-03-28T12:00:00.000Z',
      shift_end: '2026-03-28T18:00:00.000Z',
    });
    const before = await onCall(berlin.id, '2026-03-28T10:00:00Z');
    expect(before.body).toMatchObject({
      user_ids: [bob.id],
      shift_start: '2026-03-28T08:00:00.000Z',
      shift_end: '2026-03-28T12:00:00.000Z',
    });
  });

  it('hands off at 09:00 Berlin time across the autumn change (a 25-hour shift)', async () => {
    // Turns since 2026-03-27: 2026-10-24 is day 211 → 211 mod 3 = 1 → bob, from 09:00 CEST (07:00Z) to 09:00 CET
    // (08:00Z).
    const res = await onCall(berlin.id, '2026-10-25T07:30:00Z');
    expect(res.body).toMatchObject({
      user_ids: [bob.id],
      shift_start: '2026-10-24T07:00:00.000Z',
      shift_end: '2026-10-25T08:00:00.000Z',
    });
  });

  it('follows New York time for a weekly rotation in America/New_York', async () => {
    const ny = await org.onCallSchedule({
      name: 'NY weekly',
      time_zone: 'America/New_York',
      rotations: [
        {
          name: 'Weekly',
          participant_ids: [alice.id, bob.id],
          start_at: '2026-03-02T14:00:00Z',
          length_hours: 168,
          handoff_time: '09:00',
        },
      ],
    });
    const first = await onCall(ny.id, '2026-03-08T12:00:00Z');
    expect(first.body).toMatchObject({
      user_ids: [alice.id],
      shift_start: '2026-03-02T14:00:00.000Z',
      shift_end: '2026-03-09T13:00:00.000Z',
    });
    const second = await onCall(ny.id, '2026-03-09T13:00:00Z');
    expect(second.body).toMatchObject({ user_ids: [bob.id], shift_end: '2026-03-16T13:00:00.000Z' });
  });

  it("puts every layer's participant on call together", async () => {
    const layered = await org.onCallSchedule({
      name: 'Layered',
      rotations: [
        berlinDaily([alice.id, bob.id]),
        { ...berlinDaily([carol.id]), name: 'Secondary', length_hours: 168 },
      ],
    });
    const res = await onCall(layered.id, '2026-03-28T09:00:00Z');
    expect(res.body).toMatchObject({
      user_ids: [bob.id, carol.id],
      shift_start: '2026-03-28T08:00:00.000Z',
      shift_end: '2026-03-29T07:00:00.000Z',
    });
  });

  it('answers for now (the server clock) when at is left out', async () => {
    clock.set('2026-03-29T12:00:00Z');
    const res = await onCall(berlin.id);
    expect(res.body).toMatchObject({ at: '2026-03-29T12:00:00.000Z', user_ids: [carol.id] });
    clock.set('2026-03-30T07:00:00Z');
    expect((await onCall(berlin.id)).body.user_ids).toEqual([alice.id]);
  });

  it('answers nobody before the rotation starts, with an open start', async () => {
    const res = await onCall(berlin.id, '2026-03-01T00:00:00Z');
    expect(res.body).toMatchObject({ user_ids: [], shift_start: null, shift_end: '2026-03-27T08:00:00.000Z' });
  });

  it('gives the same answer through GraphQL', async () => {
    const res = await gql(
      t.url,
      OnCallDocument,
      { scheduleId: berlin.id, at: '2026-03-29T06:59:00Z' },
      org.owner.token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.onCall).toEqual({
      scheduleId: berlin.id,
      at: '2026-03-29T06:59:00.000Z',
      userIds: [bob.id],
      shiftStart: '2026-03-28T18:00:00.000Z',
      shiftEnd: '2026-03-29T07:00:00.000Z',
    });
  });

  it("refuses a malformed at, and hides another organization's schedule", async () => {
    const bad = await onCall(berlin.id, 'yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('at');
    const other = await seedOrg(t.url);
    const foreign = await rest(t.url, 'GET', `/on-call-schedules/${berlin.id}/on-call`, { token: other.owner.token });
    expect(foreign.status).toBe(404);
    const gqlForeign = await gql(t.url, OnCallDocument, { scheduleId: berlin.id }, other.owner.token);
    expect(errorCode(gqlForeign)).toBe('NOT_FOUND');
  });
});

describe('shifts in a range', () => {
  let org: SeedOrg;
  let alice: SeedUser;
  let bob: SeedUser;
  let carol: SeedUser;
  let schedule: { id: string };
  beforeAll(async () => {
    ({ org, alice, bob, carol } = await orgWithPeople());
    schedule = await org.onCallSchedule({
      rotations: [berlinDaily([alice.id, bob.id, carol.id])],
      overrides: [{ user_id: org.owner.id, start_at: '2026-03-28T12:00:00Z', end_at: '2026-03-28T18:00:00Z' }],
    });
  });

  it('lists the shifts clipped to the range, with the override and the DST change', async () => {
    const res = await rest(
      t.url,
      'GET',
      `/on-call-schedules/${schedule.id}/shifts?from=2026-03-27T00:00:00Z&to=2026-03-30T00:00:00Z`,
      { token: org.owner.token },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      schedule_id: schedule.id,
      from: '2026-03-27T00:00:00.000Z',
      to: '2026-03-30T00:00:00.000Z',
      shifts: [
        { user_ids: [alice.id], start: '2026-03-27T08:00:00.000Z', end: '2026-03-28T08:00:00.000Z' },
        { user_ids: [bob.id], start: '2026-03-28T08:00:00.000Z', end: '2026-03-28T12:00:00.000Z' },
        { user_ids: [org.owner.id], start: '2026-03-28T12:00:00.000Z', end: '2026-03-28T18:00:00.000Z' },
        { user_ids: [bob.id], start: '2026-03-28T18:00:00.000Z', end: '2026-03-29T07:00:00.000Z' },
        { user_ids: [carol.id], start: '2026-03-29T07:00:00.000Z', end: '2026-03-30T00:00:00.000Z' },
      ],
    });
  });

  it('answers the same through GraphQL, and lists 90 days of daily turns', async () => {
    const res = await gql(
      t.url,
      OnCallShiftsDocument,
      { scheduleId: schedule.id, from: '2026-04-01T00:00:00Z', to: '2026-06-30T00:00:00Z' },
      org.owner.token,
    );
    expect(res.errors).toBeUndefined();
    const shifts = res.data!.onCallShifts.shifts;
    // 2026-04-01 00:00Z is in bob's turn of 2026-03-31 (turn 4); then turns start daily at 07:00Z (09:00 CEST) from
    // 2026-04-01 (turn 5, carol) to 2026-06-29 (turn 94, bob), the last clipped at the end: 91 in all.
    expect(shifts).toHaveLength(91);
    expect(shifts[0]).toEqual({
      userIds: [bob.id],
      start: '2026-04-01T00:00:00.000Z',
      end: '2026-04-01T07:00:00.000Z',
    });
    expect(shifts[1]).toEqual({
      userIds: [carol.id],
      start: '2026-04-01T07:00:00.000Z',
      end: '2026-04-02T07:00:00.000Z',
    });
    expect(shifts[90]).toEqual({
      userIds: [bob.id],
      start: '2026-06-29T07:00:00.000Z',
      end: '2026-06-30T00:00:00.000Z',
    });
    expect(shifts.every((s) => new Date(s.start).getUTCHours() === 7 || s.start === '2026-04-01T00:00:00.000Z')).toBe(
      true,
    );
  });

  it('defaults to a week from now', async () => {
    clock.set('2026-05-04T10:00:00Z');
    const res = await rest(t.url, 'GET', `/on-call-schedules/${schedule.id}/shifts`, { token: org.owner.token });
    expect(res.body).toMatchObject({ from: '2026-05-04T10:00:00.000Z', to: '2026-05-11T10:00:00.000Z' });
    expect(res.body.shifts).toHaveLength(8);
  });

  it('refuses a range over 90 days or backwards, naming to', async () => {
    const long = await rest(
      t.url,
      'GET',
      `/on-call-schedules/${schedule.id}/shifts?from=2026-01-01T00:00:00Z&to=2026-04-02T00:00:00Z`,
      { token: org.owner.token },
    );
    expect(long.status).toBe(400);
    expect(long.body.error.details[0].field).toBe('to');
    const backwards = await rest(
      t.url,
      'GET',
      `/on-call-schedules/${schedule.id}/shifts?from=2026-04-02T00:00:00Z&to=2026-04-01T00:00:00Z`,
      { token: org.owner.token },
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details[0].field).toBe('to');
  });
});

describe('schedules through GraphQL', () => {
  it('creates, reads with the team, updates, lists and deletes with camelCase fields', async () => {
    const { org, alice, bob } = await orgWithPeople();
    const team = await org.team({ name: 'SRE' });
    const created = await gql(
      t.url,
      CreateOnCallScheduleDocument,
      {
        input: {
          name: 'GraphQL schedule',
          teamId: team.id,
          timeZone: 'America/New_York',
          rotations: [
            {
              name: 'Weekly',
              participantIds: [alice.id, bob.id],
              startAt: '2026-03-02T14:00:00Z',
              lengthHours: 168,
              handoffTime: '09:00',
            },
          ],
        },
      },
      org.owner.token,
    );
    expect(created.errors).toBeUndefined();
    const schedule = created.data!.createOnCallSchedule;
    expect(schedule).toMatchObject({
      name: 'GraphQL schedule',
      teamId: team.id,
      timeZone: 'America/New_York',
      overrides: [],
    });
    expect(schedule.rotations[0]).toEqual({
      name: 'Weekly',
      participantIds: [alice.id, bob.id],
      startAt: '2026-03-02T14:00:00.000Z',
      lengthHours: 168,
      handoffTime: '09:00',
    });

    const read = await gql(t.url, OnCallScheduleDocument, { id: schedule.id }, org.owner.token);
    expect(read.data?.onCallSchedule.team).toEqual({ id: team.id, name: 'SRE' });

    const updated = await gql(
      t.url,
      UpdateOnCallScheduleDocument,
      {
        id: schedule.id,
        input: {
          overrides: [{ userId: org.owner.id, startAt: '2026-03-10T00:00:00Z', endAt: '2026-03-11T00:00:00Z' }],
        },
      },
      org.owner.token,
    );
    expect(updated.data?.updateOnCallSchedule).toMatchObject({
      rotations: schedule.rotations,
      overrides: [{ userId: org.owner.id, startAt: '2026-03-10T00:00:00.000Z', endAt: '2026-03-11T00:00:00.000Z' }],
    });

    const listed = await gql(t.url, OnCallSchedulesDocument, { filter: { teamId: [team.id] } }, org.owner.token);
    expect(listed.data?.onCallSchedules).toMatchObject({ total: 1, nextCursor: null });
    expect(listed.data?.onCallSchedules.items.map((s) => s.id)).toEqual([schedule.id]);

    const deleted = await gql(t.url, DeleteOnCallScheduleDocument, { id: schedule.id }, org.owner.token);
    expect(deleted.data?.deleteOnCallSchedule).toBe(true);
    expect(errorCode(await gql(t.url, OnCallScheduleDocument, { id: schedule.id }, org.owner.token))).toBe('NOT_FOUND');
  });
});
