import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import type { BenchOrg } from './seed.js';
import { cpuSecondsOf, databaseCpuSeconds, json, percentile } from './lib.js';

/**
 * Analytics at the large organization's size: each query through the API (one request at a time, so the figures are
 * latencies, not throughput), p50 and p95 over `requests` requests after a warm-up, beside the floor: a plain
 * `select count(*)` over the same incidents (the organization's, started in the same window), run from here on a pg
 * connection of its own.
 */

export interface AnalyticsOptions {
  /** Measured requests per case (after 5 warm-up requests). */
  requests: number;
}

export interface LatencyResult {
  p50: number;
  p95: number;
  requests: number;
  /**
   * CPU milliseconds per request of the Argus process and of the database's backends (read from /proc around the
   * measured requests): what the latency would be on idle cores, where a shared machine's wall-clock figures are not.
   */
  argusCpuMs: number;
  databaseCpuMs: number;
}

export interface AnalyticsResult {
  incidents: number;
  inWindow: number;
  windowDays: number;
  floor: LatencyResult;
  cases: Record<string, LatencyResult & { path: string }>;
}

const DAY = 86_400_000;

/**
 * What bulkIncidents leaves out and analytics reads: the milestones of each status (acknowledged, mitigated and
 * resolved times after started_at), SLA due times for P1 and P2 (a fifth of them missed), timeline entries for the
 * first move out of open (by the assignee), a severity change on one incident in twenty, a reopen on one in thirty,
 * and a published postmortem on half of the resolved P1s.
 */
export async function enrichForAnalytics(db: Client, org: BenchOrg): Promise<void> {
  const o = org.organizationId;
  await db.query(
    `update incidents set
       acknowledged_at = case when status <> 'open' then started_at + (60 + (number::bigint * 7919) % 3600) * interval '1 second' end,
       sla_response_stopped_at = case when status <> 'open' then started_at + (60 + (number::bigint * 7919) % 3600) * interval '1 second' end,
       mitigated_at = case when status in ('mitigated', 'resolved', 'closed') and number % 3 <> 0 then started_at + (1800 + (number::bigint * 104729) % 7200) * interval '1 second' end,
       resolved_at = case when status in ('resolved', 'closed') then started_at + (3600 + (number::bigint * 15485863) % 86400) * interval '1 second' end,
       sla_started_at = started_at,
       sla_response_due_at = case when severity in ('P1', 'P2') then started_at + interval '15 minutes' end,
       sla_resolution_due_at = case when severity in ('P1', 'P2') then started_at + interval '4 hours' end,
       sla_resolution_stopped_at = case when status in ('resolved', 'closed') then started_at + (3600 + (number::bigint * 15485863) % 86400) * interval '1 second' end
     where organization_id = $1`,
    [o],
  );
  await db.query(
    `update incidents set
       sla_response_breached_at = case when sla_response_due_at < sla_response_stopped_at then sla_response_due_at end,
       sla_resolution_breached_at = case when sla_resolution_due_at < sla_resolution_stopped_at then sla_resolution_due_at end,
       sla_breached = coalesce(sla_response_due_at < sla_response_stopped_at, false) or coalesce(sla_resolution_due_at < sla_resolution_stopped_at, false)
      where organization_id = $1 and sla_response_due_at is not null`,
    [o],
  );
  await db.query(
    `insert into incident_events (id, organization_id, incident_id, type, message, actor_id, data, occurred_at)
     select gen_random_uuid(), $1, i.id, 'status_changed', 'Incident moved', i.assignee_id, jsonb_build_object('from', 'open', 'to', 'acknowledged'), i.acknowledged_at
       from incidents i where i.organization_id = $1 and i.acknowledged_at is not null`,
    [o],
  );
  await db.query(
    `insert into incident_events (id, organization_id, incident_id, type, message, data, occurred_at)
     select gen_random_uuid(), $1, i.id, 'severity_changed', 'Severity changed', jsonb_build_object('from', 'P1', 'to', i.severity::text), i.started_at + interval '5 minutes'
       from incidents i where i.organization_id = $1 and i.number % 20 = 0 and i.severity <> 'P1'`,
    [o],
  );
  await db.query(
    `insert into incident_events (id, organization_id, incident_id, type, message, data, occurred_at)
     select gen_random_uuid(), $1, i.id, 'status_changed', 'Incident reopened', '{"from": "resolved", "to": "open"}'::jsonb, i.started_at + interval '1 hour'
       from incidents i where i.organization_id = $1 and i.number % 30 = 0`,
    [o],
  );
  await db.query(
    `insert into postmortems (id, organization_id, incident_id, title, status)
     select gen_random_uuid(), $1, i.id, 'Review', 'published'
       from incidents i where i.organization_id = $1 and i.severity = 'P1' and i.status in ('resolved', 'closed') and i.number % 2 = 0`,
    [o],
  );
  await db.query('analyze incidents; analyze incident_events; analyze postmortems');
}

/** p50 and p95 of `requests` sequential calls of `run` (milliseconds), after 5 warm-up calls, and CPU per call. */
async function latency(
  db: Client,
  argusPid: number,
  requests: number,
  run: () => Promise<void>,
): Promise<LatencyResult> {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  const argusBefore = cpuSecondsOf(argusPid);
  const databaseBefore = await databaseCpuSeconds(db, true);
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  const argusCpuMs = ((cpuSecondsOf(argusPid) - argusBefore) * 1000) / requests;
  const databaseCpuMs = (((await databaseCpuSeconds(db, true)) - databaseBefore) * 1000) / requests;
  times.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    p50: round(percentile(times, 0.5)),
    p95: round(percentile(times, 0.95)),
    requests,
    argusCpuMs: round(argusCpuMs),
    databaseCpuMs: round(databaseCpuMs),
  };
}

export async function analyticsCase(
  db: Client,
  url: string,
  argusPid: number,
  org: BenchOrg,
  o: AnalyticsOptions,
  log: (msg: string) => void,
): Promise<AnalyticsResult> {
  const windowDays = 90;
  const to = new Date(Date.now() + 60_000);
  const from = new Date(to.getTime() - windowDays * DAY);
  const window = `from=${from.toISOString()}&to=${to.toISOString()}`;
  const headers = { authorization: `Bearer ${org.token}` };

  // A daily rotation of the organization's people, for on-call load.
  const schedule = await json(`${url}/api/v1/on-call-schedules/`, {
    token: org.token,
    body: {
      name: 'Analytics bench',
      time_zone: 'Europe/Berlin',
      rotations: [
        {
          name: 'Daily',
          participant_ids: org.userIds,
          start_at: new Date(from.getTime() - DAY).toISOString(),
          length_hours: 24,
          handoff_time: '09:00',
        },
      ],
    },
  });
  if (schedule.status !== 201) throw new Error(`schedule failed: ${schedule.text}`);

  const count = await db.query('select count(*)::int as n from incidents where organization_id = $1', [
    org.organizationId,
  ]);
  const floorSql = 'select count(*) from incidents where organization_id = $1 and started_at >= $2 and started_at < $3';
  const inWindow = Number((await db.query(floorSql, [org.organizationId, from, to])).rows[0].count);
  const floor = await latency(db, argusPid, o.requests, async () => {
    await db.query(floorSql, [org.organizationId, from, to]);
  });
  log(
    `analytics floor: select count(*) over ${inWindow} incidents: p50 ${floor.p50} ms, p95 ${floor.p95} ms, PostgreSQL CPU ${floor.databaseCpuMs} ms`,
  );

  const get =
    (path: string, accept = 'application/json') =>
    async () => {
      const res = await fetch(`${url}${path}`, { headers: { ...headers, accept } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`);
    };
  const gqlBody = JSON.stringify({
    query: `query ($from: DateTimeISO, $to: DateTimeISO) { incidentAnalytics(groupBy: service, from: $from, to: $to) { groups { key opened resolved reopened stillOpen
      timeToAcknowledge { count meanSeconds medianSeconds p90Seconds maxSeconds } timeToResolve { count meanSeconds medianSeconds p90Seconds maxSeconds }
      slaResponseBreachRate slaResolutionBreachRate postmortemCoverage } } }`,
    variables: { from: from.toISOString(), to: to.toISOString() },
  });
  const postGraphql = async () => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: gqlBody,
    });
    const body = (await res.json()) as { errors?: unknown };
    if (res.status !== 200 || body.errors)
      throw new Error(`graphql: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  };
  const restCases: Array<[string, string, string?]> = [
    ['incidents, 90 days, by service (REST)', `/api/v1/analytics/incidents?${window}&group_by=service`],
    ['incidents, 90 days, no grouping', `/api/v1/analytics/incidents?${window}`],
    [
      'incidents, 90 days, by severity, P1 and P2',
      `/api/v1/analytics/incidents?${window}&group_by=severity&severity=P1,P2`,
    ],
    [
      'incidents, 90 days, by week in Europe/Berlin',
      `/api/v1/analytics/incidents?${window}&group_by=week&time_zone=Europe/Berlin`,
    ],
    ['incidents, 90 days, by day', `/api/v1/analytics/incidents?${window}&group_by=day`],
    ['incidents, 90 days, by service, CSV', `/api/v1/analytics/incidents?${window}&group_by=service`, 'text/csv'],
    ['on-call load, 90 days', `/api/v1/analytics/on-call-load?${window}`],
  ];
  const cases: AnalyticsResult['cases'] = {};
  for (const [name, path, accept] of restCases) {
    cases[name] = { path, ...(await latency(db, argusPid, o.requests, get(path, accept))) };
    log(
      `analytics ${name}: p50 ${cases[name].p50} ms, p95 ${cases[name].p95} ms, CPU per request: Argus ${cases[name].argusCpuMs} ms, PostgreSQL ${cases[name].databaseCpuMs} ms`,
    );
  }
  cases['incidents, 90 days, by service (GraphQL)'] = {
    path: 'POST /graphql incidentAnalytics(groupBy: service)',
    ...(await latency(db, argusPid, o.requests, postGraphql)),
  };
  return { incidents: Number(count.rows[0].n), inWindow, windowDays, floor, cases };
}

export function analyticsRows(
  r: AnalyticsResult,
): Array<{ case: string; value: string; ratio?: string; target?: string; ok?: boolean }> {
  const rows: Array<{ case: string; value: string; ratio?: string; target?: string; ok?: boolean }> = [
    {
      case: `floor: select count(*) of the ${r.inWindow.toLocaleString('en')} incidents in the window (pg, no API)`,
      value: `p50 ${r.floor.p50} ms, p95 ${r.floor.p95} ms; CPU: PostgreSQL ${r.floor.databaseCpuMs} ms`,
    },
  ];
  for (const [name, c] of Object.entries(r.cases)) {
    const goal = name === 'incidents, 90 days, by service (REST)';
    rows.push({
      case: `analytics ${name}`,
      value: `p50 ${c.p50} ms, p95 ${c.p95} ms; CPU: Argus ${c.argusCpuMs} ms, PostgreSQL ${c.databaseCpuMs} ms`,
      ratio: `${(c.p50 / r.floor.p50).toFixed(1)}× floor`,
      ...(goal ? { target: 'p50 < 100 ms', ok: c.p50 < 100 } : {}),
    });
  }
  return rows;
}
