import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, gqlRaw, rest } from '../support/client';
import { SeedOrg, SeedUser, seedOrg } from '../support/seed';
import { ManualClock } from '../../src/core/clock';
import { IncidentAnalyticsDocument, OnCallLoadDocument } from '../support/generated/graphql';

/**
 * Incident analytics and on-call load over a small history made through the API with a manual clock, every figure
 * worked out by hand below. The window is March 2026 (UTC); the clock ends at 2026-03-31T00:00Z.
 */

let t: TestApp;
const clock = new ManualClock(new Date('2026-03-01T00:00:00Z'));
beforeAll(async () => {
  t = await startTestApp({}, { clock });
});
afterAll(() => t.close());

const MIN = 60_000;
const at = (iso: string, plusMs = 0) => new Date(Date.parse(iso) + plusMs);

async function patch(token: string, id: string, body: Record<string, unknown>): Promise<any> {
  const res = await rest(t.url, 'PATCH', `/incidents/${id}`, { token, body });
  if (res.status !== 200) throw new Error(`patch failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

interface History {
  org: SeedOrg;
  viewer: SeedUser;
  s1: string;
  s2: string;
}

/**
 * The history (times UTC; SLA policy for P1: respond in 15 min, resolve in 240 min):
 * - A: P1, S1, started 03-10 00:00; acknowledged +10 min, mitigated +30 min, resolved +60 min; published postmortem.
 * - B: P2, S1, started 03-11 00:00; raised to P1 at +5 min, lowered to P3 at +10 min (highest: P1; the P1 policy
 *   came and went, so no SLA due times remain); acknowledged +20 min, resolved +120 min; no postmortem.
 * - C: P1, S2, created 03-12 00:00, started (back-dated) 03-11 23:00; acknowledged at creation +20 min (response
 *   breached: due +15), resolved +60 min, reopened +120 min (new resolution clock due +360 min), resolved again
 *   +420 min (resolution breached); a draft postmortem only.
 * - D: P3, S2, started 03-20 00:00, still open. E: P4, no service, started 03-25 00:00, acknowledged +60 min.
 * - H: P1, S2, started 03-30 00:00, never acknowledged: both clocks run past their due times by 03-31 (breached).
 * - F: P1, S1, started 02-28 23:00 (before the window), resolved 03-13: not counted.
 * - Another organization's P1 in the window: not counted.
 */
async function buildHistory(): Promise<History> {
  clock.set('2026-03-01T00:00:00Z');
  const org = await seedOrg(t.url);
  const viewer = await org.user('viewer');
  const token = org.owner.token;
  const s1 = (await org.service({ name: 'Checkout' })).id;
  const s2 = (await org.service({ name: 'Search' })).id;
  await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });

  clock.set('2026-03-10T00:00:00Z');
  const a = await org.incident({ severity: 'P1', service_id: s1 });
  clock.set(at('2026-03-10T00:00:00Z', 10 * MIN));
  await patch(token, a.id, { status: 'acknowledged' });
  clock.set(at('2026-03-10T00:00:00Z', 30 * MIN));
  await patch(token, a.id, { status: 'mitigated' });
  clock.set(at('2026-03-10T00:00:00Z', 60 * MIN));
  await patch(token, a.id, { status: 'resolved' });
  const pmA = await rest(t.url, 'POST', '/postmortems', { token, body: { incident_id: a.id, title: 'A' } });
  expect(pmA.status).toBe(201);
  expect(
    (await rest(t.url, 'PATCH', `/postmortems/${pmA.body.id}`, { token, body: { status: 'published' } })).status,
  ).toBe(200);

  clock.set('2026-03-11T00:00:00Z');
  const b = await org.incident({ severity: 'P2', service_id: s1 });
  clock.set(at('2026-03-11T00:00:00Z', 5 * MIN));
  await patch(token, b.id, { severity: 'P1' });
  clock.set(at('2026-03-11T00:00:00Z', 10 * MIN));
  const lowered = await patch(token, b.id, { severity: 'P3' });
  expect(lowered.sla_response_due_at).toBeNull();
  clock.set(at('2026-03-11T00:00:00Z', 20 * MIN));
  await patch(token, b.id, { status: 'acknowledged' });
  clock.set(at('2026-03-11T00:00:00Z', 120 * MIN));
  await patch(token, b.id, { status: 'resolved' });

  clock.set('2026-03-12T00:00:00Z');
  const c = await org.incident({ severity: 'P1', service_id: s2, started_at: '2026-03-11T23:00:00Z' });
  clock.set(at('2026-03-12T00:00:00Z', 20 * MIN));
  await patch(token, c.id, { status: 'acknowledged' });
  clock.set(at('2026-03-12T00:00:00Z', 60 * MIN));
  await patch(token, c.id, { status: 'resolved' });
  clock.set(at('2026-03-12T00:00:00Z', 120 * MIN));
  await patch(token, c.id, { status: 'open' });
  clock.set(at('2026-03-12T00:00:00Z', 420 * MIN));
  const cDone = await patch(token, c.id, { status: 'resolved' });
  expect(cDone.sla_resolution_breached_at).toBe('2026-03-12T06:00:00.000Z');
  expect((await rest(t.url, 'POST', '/postmortems', { token, body: { incident_id: c.id, title: 'C' } })).status).toBe(
    201,
  );

  clock.set('2026-03-13T00:00:00Z');
  const f = await org.incident({ severity: 'P1', service_id: s1, started_at: '2026-02-28T23:00:00Z' });
  clock.set(at('2026-03-13T00:00:00Z', 60 * MIN));
  await patch(token, f.id, { status: 'resolved' });

  clock.set('2026-03-20T00:00:00Z');
  await org.incident({ severity: 'P3', service_id: s2 });
  clock.set('2026-03-25T00:00:00Z');
  const e = await org.incident({ severity: 'P4' });
  clock.set(at('2026-03-25T00:00:00Z', 60 * MIN));
  await patch(token, e.id, { status: 'acknowledged' });
  clock.set('2026-03-30T00:00:00Z');
  await org.incident({ severity: 'P1', service_id: s2 });

  const other = await seedOrg(t.url);
  await other.incident({ severity: 'P1' });
  clock.set('2026-03-31T00:00:00Z');
  return { org, viewer, s1, s2 };
}

let history: History;
beforeAll(async () => {
  history = await buildHistory();
});

const WINDOW = 'from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z';

/** The figures of all six incidents of the window (A, B, C, D, E, H), worked out by hand. */
const ALL = {
  key: 'all',
  opened: 6,
  resolved: 3, // A, B, C
  reopened: 1, // C
  still_open: 3, // D, E, H
  // A 600, B 1200, C 4800 (back-dated by an hour), E 3600: sorted 600, 1200, 3600, 4800.
  // median (1200 + 3600) / 2 = 2400; p90 at rank 0.9 × 3 = 2.7: 3600 + 0.7 × 1200 = 4440.
  time_to_acknowledge: { count: 4, mean_seconds: 2550, median_seconds: 2400, p90_seconds: 4440, max_seconds: 4800 },
  // Only A (C's mitigation... C never was mitigated; a reopen clears a mitigation anyway).
  time_to_mitigate: { count: 1, mean_seconds: 1800, median_seconds: 1800, p90_seconds: 1800, max_seconds: 1800 },
  // A 3600, B 7200, C 28800 (last resolution 7 h after creation, 8 h after started_at): mean 13200, median 7200,
  // p90 at rank 1.8: 7200 + 0.8 × 21600 = 24480.
  time_to_resolve: { count: 3, mean_seconds: 13200, median_seconds: 7200, p90_seconds: 24480, max_seconds: 28800 },
  // Response clocks with a due time and a known outcome: A (met), C (breached), H (running past due): 2 / 3.
  sla_response_breach_rate: 2 / 3,
  // Resolution: A (met), C (its second clock breached), H (running past due): 2 / 3.
  sla_resolution_breach_rate: 2 / 3,
  // Resolved P1/P2 by highest severity: A (published), B (none), C (draft only): 1 / 3.
  postmortem_coverage: 1 / 3,
};

function expectGroup(actual: any, expected: any) {
  for (const [k, v] of Object.entries(expected)) {
    if (typeof v === 'number') expect({ [k]: actual[k] }).toEqual({ [k]: expect.closeTo(v, 9) });
    else if (v && typeof v === 'object') expectGroup(actual[k], v);
    else expect({ [k]: actual[k] }).toEqual({ [k]: v });
  }
}

describe('incident analytics over REST, figures worked out by hand', () => {
  it('answers every figure of the window for a viewer, with the definitions', async () => {
    const res = await rest(t.url, 'GET', `/analytics/incidents?${WINDOW}`, { token: history.viewer.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      group_by: 'none',
      time_zone: 'UTC',
    });
    expect(res.body.groups).toHaveLength(1);
    expectGroup(res.body.groups[0], ALL);
    expect(res.body.definitions.severity).toMatch(/highest severity/);
    expect(res.body.definitions.window).toMatch(/started_at/);
  });

  it('groups by the highest severity held: B (P2 → P1 → P3) counts as P1', async () => {
    const res = await rest(t.url, 'GET', `/analytics/incidents?${WINDOW}&group_by=severity`, {
      token: history.viewer.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.groups.map((g: any) => [g.key, g.opened])).toEqual([
      ['P1', 4],
      ['P3', 1],
      ['P4', 1],
    ]);
    const p1 = res.body.groups[0];
    // A, B, C resolved, H open; TTA 600, 1200, 4800: mean 2200, median 1200, p90 at rank 1.8: 1200 + 0.8 × 3600 = 4080.
    expectGroup(p1, {
      resolved: 3,
      still_open: 1,
      time_to_acknowledge: { count: 3, mean_seconds: 2200, median_seconds: 1200, p90_seconds: 4080, max_seconds: 4800 },
      postmortem_coverage: 1 / 3,
    });
    // D: open, never acknowledged: no time at all rather than a zero.
    expectGroup(res.body.groups[1], {
      still_open: 1,
      time_to_acknowledge: { count: 0, mean_seconds: null, median_seconds: null, p90_seconds: null, max_seconds: null },
      sla_response_breach_rate: null,
      postmortem_coverage: null,
    });
  });

  it('filters by severity (any of) and groups by service, most incidents first, none last', async () => {
    const bySeverity = await rest(t.url, 'GET', `/analytics/incidents?${WINDOW}&severity=P3,P4`, {
      token: history.viewer.token,
    });
    expect(bySeverity.status).toBe(200);
    expectGroup(bySeverity.body.groups[0], {
      opened: 2,
      resolved: 0,
      still_open: 2,
      time_to_acknowledge: { count: 1, mean_seconds: 3600 },
    });
    const byService = await rest(t.url, 'GET', `/analytics/incidents?${WINDOW}&group_by=service`, {
      token: history.viewer.token,
    });
    expect(byService.body.groups.map((g: any) => [g.key, g.opened])).toEqual([
      [history.s2, 3],
      [history.s1, 2],
      [null, 1],
    ]);
    // S1: A and B resolved in 3600 and 7200 s; S2: C, D, H.
    expectGroup(byService.body.groups[1], {
      resolved: 2,
      time_to_resolve: { count: 2, mean_seconds: 5400, median_seconds: 5400, p90_seconds: 6840, max_seconds: 7200 },
    });
    expectGroup(byService.body.groups[0], {
      resolved: 1,
      reopened: 1,
      still_open: 2,
      sla_response_breach_rate: 1,
      sla_resolution_breach_rate: 1,
    });
    const filtered = await rest(
      t.url,
      'GET',
      `/analytics/incidents?${WINDOW}&service_id=${history.s1}&status=resolved`,
      { token: history.viewer.token },
    );
    expectGroup(filtered.body.groups[0], { opened: 2, resolved: 2 });
  });

  it('buckets by week (from Monday) and by local day in the requested time zone, empty buckets included', async () => {
    const weeks = await rest(t.url, 'GET', `/analytics/incidents?${WINDOW}&group_by=week`, {
      token: history.viewer.token,
    });
    expect(weeks.body.groups.map((g: any) => [g.key, g.opened])).toEqual([
      ['2026-02-23', 0],
      ['2026-03-02', 0],
      ['2026-03-09', 3],
      ['2026-03-16', 1],
      ['2026-03-23', 1],
      ['2026-03-30', 1],
    ]);
    expect(weeks.body.groups[0].time_to_acknowledge).toEqual({
      count: 0,
      mean_seconds: null,
      median_seconds: null,
      p90_seconds: null,
      max_seconds: null,
    });
    // C started 2026-03-11T23:00Z: 03-11 in UTC, 03-12 00:00 in Berlin (UTC+1 until 03-29).
    const utc = await rest(t.url, 'GET', `/analytics/incidents?${WINDOW}&group_by=day`, {
      token: history.viewer.token,
    });
    expect(utc.body.groups).toHaveLength(31);
    expect(utc.body.groups.filter((g: any) => g.opened).map((g: any) => [g.key, g.opened])).toEqual([
      ['2026-03-10', 1],
      ['2026-03-11', 2],
      ['2026-03-20', 1],
      ['2026-03-25', 1],
      ['2026-03-30', 1],
    ]);
    const berlin = await rest(t.url, 'GET', `/analytics/incidents?${WINDOW}&group_by=day&time_zone=europe/berlin`, {
      token: history.viewer.token,
    });
    expect(berlin.body.time_zone).toBe('Europe/Berlin');
    // The window runs from 03-01 01:00 to 04-01 02:00 Berlin time: 32 local days.
    expect(berlin.body.groups).toHaveLength(32);
    expect(berlin.body.groups.filter((g: any) => g.opened).map((g: any) => [g.key, g.opened])).toEqual([
      ['2026-03-10', 1],
      ['2026-03-11', 1],
      ['2026-03-12', 1],
      ['2026-03-20', 1],
      ['2026-03-25', 1],
      ['2026-03-30', 1],
    ]);
    const months = await rest(
      t.url,
      'GET',
      `/analytics/incidents?from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00Z&group_by=month`,
      { token: history.viewer.token },
    );
    // February holds F (started 02-28 23:00, resolved): counted in its own window.
    expect(months.body.groups.map((g: any) => [g.key, g.opened, g.resolved])).toEqual([
      ['2026-02-01', 1, 1],
      ['2026-03-01', 6, 3],
    ]);
  });

  it('answers CSV with a header row for Accept: text/csv and for format=csv', async () => {
    for (const [query, headers] of [
      [`${WINDOW}&group_by=severity`, { accept: 'text/csv' }],
      [`${WINDOW}&group_by=severity&format=csv`, {}],
    ] as const) {
      const response = await fetch(`${t.url}/api/v1/analytics/incidents?${query}`, {
        headers: { authorization: `Bearer ${history.viewer.token}`, ...headers },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="incident-analytics.csv"');
      const lines = (await response.text()).trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'key,opened,resolved,reopened,still_open,' +
          'time_to_acknowledge_count,time_to_acknowledge_mean_seconds,time_to_acknowledge_median_seconds,time_to_acknowledge_p90_seconds,time_to_acknowledge_max_seconds,' +
          'time_to_mitigate_count,time_to_mitigate_mean_seconds,time_to_mitigate_median_seconds,time_to_mitigate_p90_seconds,time_to_mitigate_max_seconds,' +
          'time_to_resolve_count,time_to_resolve_mean_seconds,time_to_resolve_median_seconds,time_to_resolve_p90_seconds,time_to_resolve_max_seconds,' +
          'sla_response_breach_rate,sla_resolution_breach_rate,postmortem_coverage',
      );
      expect(lines).toHaveLength(4);
      expect(lines[2]).toBe('P3,1,0,0,1,0,,,,,0,,,,,0,,,,,,,');
      expect(lines[1].split(',').slice(0, 6)).toEqual(['P1', '4', '3', '1', '1', '3']);
    }
    const json = await rest(t.url, 'GET', `/analytics/incidents?${WINDOW}&format=json`, {
      token: history.viewer.token,
    });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('answers the same figures through GraphQL', async () => {
    const res = await gql(
      t.url,
      IncidentAnalyticsDocument,
      { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', groupBy: 'severity', filter: { severity: ['P1'] } },
      history.viewer.token,
    );
    expect(res.errors).toBeUndefined();
    const groups = res.data!.incidentAnalytics.groups;
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ key: 'P1', opened: 4, resolved: 3, reopened: 1, stillOpen: 1 });
    expect(groups[0].timeToResolve).toEqual({
      count: 3,
      meanSeconds: 13200,
      medianSeconds: 7200,
      p90Seconds: 24480,
      maxSeconds: 28800,
    });
    expect(groups[0].slaResponseBreachRate).toBeCloseTo(2 / 3, 9);
    expect(res.data!.incidentAnalytics.definitions.postmortemCoverage).toMatch(/published postmortem/);
  });
});

describe('incident analytics: refusals', () => {
  it.each([
    ['from=yesterday', 'from'],
    ['to=2026-13-01T00:00:00Z', 'to'],
    ['group_by=planet', 'group_by'],
    ['from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'from'],
    ['from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
    ['time_zone=Mars/Olympus', 'time_zone'],
    ['time_zone=%2B01:00', 'time_zone'],
    ['time_zone=CEST%2B2', 'time_zone'],
    ['severity=P9', 'severity'],
    ['service_id=not-a-uuid', 'service_id'],
    ['format=xml', 'format'],
    ['colour=blue', 'colour'],
  ])('%s is 400 VALIDATION_FAILED naming %s', async (query, field) => {
    const res = await rest(t.url, 'GET', `/analytics/incidents?${query}`, { token: history.viewer.token });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('refuses a bad time zone or an inverted window over GraphQL as VALIDATION_FAILED', async () => {
    const zone = await gql(t.url, IncidentAnalyticsDocument, { timeZone: 'Nowhere/Atall' }, history.viewer.token);
    expect(errorCode(zone)).toBe('VALIDATION_FAILED');
    expect(zone.errors![0].extensions!.details![0].field).toBe('timeZone');
    const inverted = await gql(
      t.url,
      IncidentAnalyticsDocument,
      { from: '2026-04-01T00:00:00Z', to: '2026-03-01T00:00:00Z' },
      history.viewer.token,
    );
    expect(errorCode(inverted)).toBe('VALIDATION_FAILED');
    const unknown = await gqlRaw(
      t.url,
      { query: '{ incidentAnalytics(groupBy: planet) { groups { key } } }' },
      history.viewer.token,
    );
    expect(errorCode(unknown)).toBe('VALIDATION_FAILED');
  });

  it('refuses anonymous callers', async () => {
    expect((await rest(t.url, 'GET', `/analytics/incidents?${WINDOW}`)).status).toBe(401);
    expect((await rest(t.url, 'GET', `/analytics/on-call-load`)).status).toBe(401);
    expect(errorCode(await gql(t.url, IncidentAnalyticsDocument, {}))).toBe('UNAUTHENTICATED');
  });

  it("counts only the caller's organization", async () => {
    const other = await seedOrg(t.url);
    const res = await rest(t.url, 'GET', `/analytics/incidents?${WINDOW}`, { token: other.owner.token });
    expect(res.status).toBe(200);
    expectGroup(res.body.groups[0], {
      key: 'all',
      opened: 0,
      resolved: 0,
      still_open: 0,
      time_to_resolve: { count: 0, mean_seconds: null },
    });
    const filtered = await rest(t.url, 'GET', `/analytics/incidents?${WINDOW}&service_id=${history.s1}`, {
      token: other.owner.token,
    });
    expect(filtered.body.groups[0].opened).toBe(0);
  });
});

describe('on-call load', () => {
  /**
   * Europe/Berlin (UTC+1), daily 09:00 handoffs from 2026-03-02 09:00: alice, bob, alice, bob over the window
   * 03-02 08:00Z – 03-06 08:00Z, 48 hours each.
   * - I1 created 03-02 21:30Z (22:30 local, alice on call) assigned to alice: alice, outside hours, night.
   * - I2 created 03-03 12:00Z (13:00, bob on call); bob acknowledges 12:10Z: bob, daytime.
   * - I3 created 03-04 18:30Z (19:30, alice); assigned to bob 19:30Z (bob is not on call: not counted for him);
   *   alice acknowledges 20:00Z (21:00 local): alice, outside hours, not night.
   * - I4 created 03-05 05:00Z (06:00, alice still on call) assigned to alice: alice, outside hours, night; she
   *   acknowledges 09:30Z, off call by then (counted once anyway).
   * - I5 assigned to alice 03-06 10:00Z: after the window.
   */
  it('answers hours and incidents per person, worked out by hand, and CSV', async () => {
    clock.set('2026-03-01T00:00:00Z');
    const org = await seedOrg(t.url);
    const [alice, bob] = [await org.user('responder'), await org.user('responder')];
    const schedule = await org.onCallSchedule({
      time_zone: 'Europe/Berlin',
      rotations: [
        {
          name: 'Daily',
          participant_ids: [alice.id, bob.id],
          start_at: '2026-03-02T08:00:00Z',
          length_hours: 24,
          handoff_time: '09:00',
        },
      ],
    });
    clock.set('2026-03-02T21:30:00Z');
    await org.incident({ assignee_id: alice.id });
    clock.set('2026-03-03T12:00:00Z');
    const i2 = await org.incident();
    clock.set('2026-03-03T12:10:00Z');
    await patch(bob.token, i2.id, { status: 'acknowledged' });
    clock.set('2026-03-04T18:30:00Z');
    const i3 = await org.incident();
    clock.set('2026-03-04T19:30:00Z');
    await patch(org.owner.token, i3.id, { assignee_id: bob.id });
    clock.set('2026-03-04T20:00:00Z');
    await patch(alice.token, i3.id, { status: 'acknowledged' });
    clock.set('2026-03-05T05:00:00Z');
    const i4 = await org.incident({ assignee_id: alice.id });
    clock.set('2026-03-05T09:30:00Z');
    await patch(alice.token, i4.id, { status: 'acknowledged' });
    clock.set('2026-03-06T10:00:00Z');
    const i5 = await org.incident();
    await patch(org.owner.token, i5.id, { assignee_id: alice.id });

    const viewer = await org.user('viewer');
    const query = 'from=2026-03-02T08:00:00Z&to=2026-03-06T08:00:00Z';
    const res = await rest(t.url, 'GET', `/analytics/on-call-load?${query}`, { token: viewer.token });
    expect(res.status).toBe(200);
    expect(res.body.schedule_ids).toEqual([schedule.id]);
    const [first, second] = [alice, bob].sort((x, y) => (x.id < y.id ? -1 : 1));
    const expected: Record<string, unknown> = {
      [alice.id]: { user_id: alice.id, hours_on_call: 48, incidents: 3, outside_hours: 3, night: 2 },
      [bob.id]: { user_id: bob.id, hours_on_call: 48, incidents: 1, outside_hours: 0, night: 0 },
    };
    expect(res.body.people).toEqual([expected[first.id], expected[second.id]]);
    expect(res.body.definitions.night).toMatch(/22:00/);

    const gq = await gql(
      t.url,
      OnCallLoadDocument,
      { from: '2026-03-02T08:00:00Z', to: '2026-03-03T08:00:00Z', scheduleIds: [schedule.id] },
      viewer.token,
    );
    expect(gq.errors).toBeUndefined();
    expect(gq.data!.onCallLoad.people).toEqual([
      { userId: alice.id, hoursOnCall: 24, incidents: 1, outsideHours: 1, night: 1 },
    ]);

    const csv = await fetch(`${t.url}/api/v1/analytics/on-call-load?${query}&format=csv`, {
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    expect(csv.status).toBe(200);
    expect((await csv.text()).split('\r\n')).toEqual([
      'user_id,hours_on_call,incidents,outside_hours,night',
      `${first.id},48,${first.id === alice.id ? '3,3,2' : '1,0,0'}`,
      `${second.id},48,${second.id === alice.id ? '3,3,2' : '1,0,0'}`,
      '',
    ]);

    // Another organization sees none of it, and cannot name this schedule.
    const other = await seedOrg(t.url);
    const theirs = await rest(t.url, 'GET', `/analytics/on-call-load?${query}`, { token: other.owner.token });
    expect(theirs.body.people).toEqual([]);
    const foreign = await rest(t.url, 'GET', `/analytics/on-call-load?${query}&schedule_ids=${schedule.id}`, {
      token: other.owner.token,
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details[0].field).toBe('schedule_ids');
    const tooLong = await rest(
      t.url,
      'GET',
      '/analytics/on-call-load?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z',
      { token: viewer.token },
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details[0].field).toBe('to');
  });
});
