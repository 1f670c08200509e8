import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { TestApp, startTestApp } from '../support/app';
import { rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';
import { ManualClock } from '../../src/core/clock';

/**
 * The SQL of incident analytics against a plain in-memory computation of the published definitions, over random
 * histories written straight into the tables (every timestamp and clock field independent, so that combinations the
 * API would not produce in a test are covered too), for random windows, filters, groupings and time zones.
 */

const NOW = new Date('2026-06-01T00:00:00Z');
let t: TestApp;
let org: SeedOrg;
let organizationId: string;
let services: string[];
let teamId: string;
beforeAll(async () => {
  t = await startTestApp({}, { clock: new ManualClock(NOW) });
  org = await seedOrg(t.url);
  services = [(await org.service()).id, (await org.service()).id];
  teamId = (await org.team()).id;
  const [row] = await t.orm.em
    .getConnection()
    .execute<{ organization_id: string }[]>('select organization_id from users where id = ?', [org.owner.id]);
  organizationId = row.organization_id;
});
afterAll(() => t.close());

const SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const;
const STATUSES = ['open', 'acknowledged', 'investigating', 'mitigated', 'resolved', 'closed'] as const;
const BASE = Date.parse('2026-03-01T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Incident {
  startedAt: number;
  severity: (typeof SEVERITIES)[number];
  earlierSeverities: (typeof SEVERITIES)[number][];
  status: (typeof STATUSES)[number];
  service: number | null;
  team: boolean;
  assigned: boolean;
  ackAfter: number | null;
  responseStoppedAfter: number | null;
  mitigatedAfter: number | null;
  resolvedAfter: number | null;
  reopened: boolean;
  responseDue: number | null;
  responseBreached: boolean;
  resolutionDue: number | null;
  resolutionStopped: boolean;
  resolutionBreached: boolean;
  postmortem: 'none' | 'draft' | 'published';
}

const offset = fc.option(fc.integer({ min: -60_000, max: 30 * DAY }), { nil: null, freq: 3 });
const incidentArb: fc.Arbitrary<Incident> = fc.record({
  startedAt: fc.integer({ min: BASE - 10 * DAY, max: BASE + 70 * DAY }),
  severity: fc.constantFrom(...SEVERITIES),
  earlierSeverities: fc.array(fc.constantFrom(...SEVERITIES), { maxLength: 3 }),
  status: fc.constantFrom(...STATUSES),
  service: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }),
  team: fc.boolean(),
  assigned: fc.boolean(),
  ackAfter: offset,
  responseStoppedAfter: offset,
  mitigatedAfter: offset,
  resolvedAfter: offset,
  reopened: fc.boolean(),
  responseDue: offset,
  responseBreached: fc.boolean(),
  resolutionDue: offset,
  resolutionStopped: fc.boolean(),
  resolutionBreached: fc.boolean(),
  postmortem: fc.constantFrom('none' as const, 'draft' as const, 'published' as const),
});

const GROUPINGS = ['none', 'severity', 'service', 'team', 'assignee', 'day', 'week', 'month'] as const;
type Grouping = (typeof GROUPINGS)[number];
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];

const queryArb = fc.record({
  fromDay: fc.integer({ min: 0, max: 50 }),
  days: fc.integer({ min: 1, max: 45 }),
  fromHour: fc.integer({ min: 0, max: 23 }),
  groupBy: fc.constantFrom(...GROUPINGS),
  zone: fc.constantFrom(...ZONES),
  severity: fc.option(fc.subarray([...SEVERITIES], { minLength: 1 }), { nil: null }),
  status: fc.option(fc.subarray([...STATUSES], { minLength: 1 }), { nil: null }),
  service: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }),
});

async function writeHistory(incidents: Incident[]): Promise<void> {
  const conn = t.orm.em.getConnection();
  await conn.execute('delete from incidents where organization_id = ?', [organizationId]);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const rows = incidents.map((i, n) => {
    const after = (d: number | null) => (d === null ? null : iso(i.startedAt + d));
    const responseStopped = after(i.responseStoppedAfter);
    return {
      id: randomUUID(),
      number: n + 1,
      severity: i.severity,
      status: i.status,
      service_id: i.service === null ? null : services[i.service],
      team_id: i.team ? teamId : null,
      assignee_id: i.assigned ? org.owner.id : null,
      started_at: iso(i.startedAt),
      acknowledged_at: after(i.ackAfter),
      mitigated_at: after(i.mitigatedAfter),
      resolved_at: after(i.resolvedAfter),
      sla_response_due_at: after(i.responseDue),
      sla_response_stopped_at: responseStopped,
      sla_response_breached_at: i.responseDue !== null && i.responseBreached ? after(i.responseDue) : null,
      sla_resolution_due_at: after(i.resolutionDue),
      sla_resolution_stopped_at: i.resolutionStopped ? after(i.resolvedAfter ?? 0) : null,
      sla_resolution_breached_at: i.resolutionDue !== null && i.resolutionBreached ? after(i.resolutionDue) : null,
    };
  });
  await conn.execute(
    `insert into incidents (id, organization_id, number, title, severity, status, service_id, team_id, assignee_id, started_at, acknowledged_at,
       mitigated_at, resolved_at, sla_response_due_at, sla_response_stopped_at, sla_response_breached_at, sla_resolution_due_at,
       sla_resolution_stopped_at, sla_resolution_breached_at)
     select r.id, ?, r.number, 'Random', r.severity::severity, r.status::incident_status, r.service_id, r.team_id, r.assignee_id, r.started_at,
       r.acknowledged_at, r.mitigated_at, r.resolved_at, r.sla_response_due_at, r.sla_response_stopped_at, r.sla_response_breached_at,
       r.sla_resolution_due_at, r.sla_resolution_stopped_at, r.sla_resolution_breached_at
     from jsonb_to_recordset(?::jsonb) as r(id uuid, number int, severity text, status text, service_id uuid, team_id uuid, assignee_id uuid,
       started_at timestamptz, acknowledged_at timestamptz, mitigated_at timestamptz, resolved_at timestamptz, sla_response_due_at timestamptz,
       sla_response_stopped_at timestamptz, sla_response_breached_at timestamptz, sla_resolution_due_at timestamptz,
       sla_resolution_stopped_at timestamptz, sla_resolution_breached_at timestamptz)`,
    [organizationId, JSON.stringify(rows)],
  );
  const events: Array<{ incident_id: string; type: string; data: Record<string, unknown> }> = [];
  const postmortems: Array<{ incident_id: string; status: string }> = [];
  incidents.forEach((i, n) => {
    const id = rows[n].id;
    // A severity change records the severity it left; the current one is the last "to".
    const held = [...i.earlierSeverities, i.severity];
    for (let k = 0; k + 1 < held.length; k++)
      events.push({ incident_id: id, type: 'severity_changed', data: { from: held[k], to: held[k + 1] } });
    events.push({ incident_id: id, type: 'status_changed', data: { from: 'open', to: 'acknowledged' } });
    if (i.reopened) {
      events.push({ incident_id: id, type: 'status_changed', data: { from: 'resolved', to: 'open' } });
      events.push({ incident_id: id, type: 'status_changed', data: { from: 'resolved', to: 'open' } });
    }
    if (i.postmortem !== 'none') postmortems.push({ incident_id: id, status: i.postmortem });
  });
  await conn.execute(
    `insert into incident_events (id, organization_id, incident_id, type, data, occurred_at)
     select gen_random_uuid(), ?, r.incident_id, r.type::incident_event_type, r.data, now() from jsonb_to_recordset(?::jsonb) as r(incident_id uuid, type text, data jsonb)`,
    [organizationId, JSON.stringify(events)],
  );
  await conn.execute(
    `insert into postmortems (id, organization_id, incident_id, title, status)
     select gen_random_uuid(), ?, r.incident_id, 'Review', r.status::postmortem_status from jsonb_to_recordset(?::jsonb) as r(incident_id uuid, status text)`,
    [organizationId, JSON.stringify(postmortems)],
  );
}

/** percentile_cont: linear interpolation between the closest ranks of the sorted values. */
function percentile(sorted: number[], p: number): number {
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

function durations(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length)
    return { count: 0, mean_seconds: null, median_seconds: null, p90_seconds: null, max_seconds: null };
  return {
    count: sorted.length,
    mean_seconds: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    median_seconds: percentile(sorted, 0.5),
    p90_seconds: percentile(sorted, 0.9),
    max_seconds: sorted[sorted.length - 1],
  };
}

const ratio = (num: number, den: number) => (den === 0 ? null : num / den);
const seconds = (from: number, to: number) => Math.max(0, (to - from) / 1000);

/** The definitions of docs/API.md (§ Analytics), computed over the history in memory. */
type Query = typeof queryArb extends fc.Arbitrary<infer Q> ? Q : never;

function expected(history: Incident[], q: Query, from: number, to: number) {
  const now = NOW.getTime();
  const local = (ms: number) => DateTime.fromMillis(ms, { zone: q.zone });
  const unit = q.groupBy as 'day' | 'week' | 'month';
  const bucketOf = (ms: number) => local(ms).startOf(unit).toFormat('yyyy-MM-dd');
  const keyOf = (i: Incident, highest: string): string | null => {
    switch (q.groupBy as Grouping) {
      case 'none':
        return 'all';
      case 'severity':
        return highest;
      case 'service':
        return i.service === null ? null : services[i.service];
      case 'team':
        return i.team ? teamId : null;
      case 'assignee':
        return i.assigned ? org.owner.id : null;
      default:
        return bucketOf(i.startedAt);
    }
  };
  const groups = new Map<string | null, ReturnType<typeof row>[]>();
  function row(i: Incident) {
    const highest = [...i.earlierSeverities, i.severity].sort()[0];
    const done = i.status === 'resolved' || i.status === 'closed';
    const acks = [i.ackAfter, i.responseStoppedAfter].filter((v): v is number => v !== null);
    const responseStopped = i.responseStoppedAfter !== null;
    const responseBreachedAt = i.responseDue !== null && i.responseBreached;
    const responseDue = i.responseDue === null ? null : i.startedAt + i.responseDue;
    const responseKnown = responseDue !== null && (responseStopped || responseBreachedAt || responseDue < now);
    const responseBreached = responseBreachedAt || (!responseStopped && responseDue !== null);
    const resolutionDue = i.resolutionDue === null ? null : i.startedAt + i.resolutionDue;
    const resolutionBreachedAt = i.resolutionDue !== null && i.resolutionBreached;
    const resolutionKnown =
      resolutionDue !== null && (i.resolutionStopped || resolutionBreachedAt || resolutionDue < now);
    const resolutionBreached = resolutionBreachedAt || (!i.resolutionStopped && resolutionDue !== null);
    return {
      highest,
      done,
      reopened: i.reopened,
      tta: acks.length ? seconds(0, Math.min(...acks)) : null,
      ttm: i.mitigatedAfter !== null ? seconds(0, i.mitigatedAfter) : null,
      ttr: done && i.resolvedAfter !== null ? seconds(0, i.resolvedAfter) : null,
      responseKnown,
      responseBreached: responseKnown && responseBreached,
      resolutionKnown,
      resolutionBreached: resolutionKnown && resolutionBreached,
      pmDenominator: done && (highest === 'P1' || highest === 'P2'),
      pmNumerator: done && (highest === 'P1' || highest === 'P2') && i.postmortem === 'published',
    };
  }
  for (const i of history) {
    if (i.startedAt < from || i.startedAt >= to) continue;
    const r = row(i);
    if (q.severity && !q.severity.includes(r.highest as never)) continue;
    if (q.status && !q.status.includes(i.status)) continue;
    if (q.service !== null && i.service !== q.service) continue;
    const key = keyOf(i, r.highest);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const figures = (key: string | null, rows: ReturnType<typeof row>[]) => ({
    key,
    opened: rows.length,
    resolved: rows.filter((r) => r.done).length,
    reopened: rows.filter((r) => r.reopened).length,
    still_open: rows.filter((r) => !r.done).length,
    time_to_acknowledge: durations(rows.flatMap((r) => (r.tta === null ? [] : [r.tta]))),
    time_to_mitigate: durations(rows.flatMap((r) => (r.ttm === null ? [] : [r.ttm]))),
    time_to_resolve: durations(rows.flatMap((r) => (r.ttr === null ? [] : [r.ttr]))),
    sla_response_breach_rate: ratio(
      rows.filter((r) => r.responseBreached).length,
      rows.filter((r) => r.responseKnown).length,
    ),
    sla_resolution_breach_rate: ratio(
      rows.filter((r) => r.resolutionBreached).length,
      rows.filter((r) => r.resolutionKnown).length,
    ),
    postmortem_coverage: ratio(rows.filter((r) => r.pmNumerator).length, rows.filter((r) => r.pmDenominator).length),
  });
  if (q.groupBy === 'none') return [figures('all', groups.get('all') ?? [])];
  if (['day', 'week', 'month'].includes(q.groupBy)) {
    const end = local(to).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS");
    const out = [];
    for (
      let b = local(from).startOf(unit);
      b.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS") < end;
      b = b.plus({ [`${unit}s`]: 1 }).startOf(unit)
    ) {
      const key = b.toFormat('yyyy-MM-dd');
      out.push(figures(key, groups.get(key) ?? []));
    }
    return out;
  }
  const list = [...groups.entries()].map(([key, rows]) => figures(key, rows));
  const cmpKey = (a: string | null, b: string | null) =>
    a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;
  return q.groupBy === 'severity'
    ? list.sort((a, b) => cmpKey(a.key, b.key))
    : list.sort((a, b) => b.opened - a.opened || cmpKey(a.key, b.key));
}

/** Numbers compared to 1e-6 relative (float8 sums and interpolation), everything else exactly. */
function same(actual: unknown, wanted: unknown, path = ''): string | null {
  if (typeof wanted === 'number' && typeof actual === 'number') {
    return Math.abs(actual - wanted) <= 1e-6 * Math.max(1, Math.abs(wanted)) ? null : `${path}: ${actual} != ${wanted}`;
  }
  if (wanted && typeof wanted === 'object') {
    if (!actual || typeof actual !== 'object') return `${path}: ${JSON.stringify(actual)} != ${JSON.stringify(wanted)}`;
    if (Array.isArray(wanted) && (!Array.isArray(actual) || actual.length !== wanted.length))
      return `${path}: length ${JSON.stringify(actual)} != ${JSON.stringify(wanted)}`;
    for (const k of Object.keys(wanted)) {
      const diff = same((actual as Record<string, unknown>)[k], (wanted as Record<string, unknown>)[k], `${path}.${k}`);
      if (diff) return diff;
    }
    return null;
  }
  return actual === wanted ? null : `${path}: ${JSON.stringify(actual)} != ${JSON.stringify(wanted)}`;
}

it('matches the in-memory computation of the definitions over random histories', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(incidentArb, { maxLength: 25 }),
      fc.array(queryArb, { minLength: 1, maxLength: 4 }),
      async (history, queries) => {
        await writeHistory(history);
        for (const q of queries) {
          const from = BASE + q.fromDay * DAY + q.fromHour * HOUR;
          const to = from + q.days * DAY;
          const params = new URLSearchParams({
            from: new Date(from).toISOString(),
            to: new Date(to).toISOString(),
            group_by: q.groupBy,
            time_zone: q.zone,
          });
          if (q.severity) params.set('severity', q.severity.join(','));
          if (q.status) params.set('status', q.status.join(','));
          if (q.service !== null) params.set('service_id', services[q.service]);
          const res = await rest(t.url, 'GET', `/analytics/incidents?${params}`, { token: org.owner.token });
          if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
          const diff = same(res.body.groups, expected(history, q, from, to), 'groups');
          if (diff) throw new Error(`${params}: ${diff}`);
        }
      },
    ),
    { numRuns: 40, seed: 20261207 },
  );
});
