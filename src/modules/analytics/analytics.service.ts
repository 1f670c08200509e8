import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors.js';
import type { Clock } from '../../core/clock.js';
import type { Scope } from '../../core/scope.js';
import { organizationOf } from '../../db/tenancy.js';
import { canonicalTimeZone } from '../on-call/on-call-calculator.js';
import { OnCallSchedule } from '../on-call/on-call-schedule.entity.js';
import { calculatorFor } from '../on-call/on-call-schedule.service.js';
import { INCIDENT_DEFINITIONS, ON_CALL_DEFINITIONS } from './analytics.definitions.js';
import { AnalyticsGroupBy, IncidentAnalyticsFilter, TIME_BUCKETS } from './analytics.inputs.js';
import type {
  DurationStats,
  IncidentAnalytics,
  IncidentAnalyticsGroup,
  OnCallLoad,
  OnCallLoadPerson,
} from './analytics.types.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/**
 * An IANA zone name (`UTC`, `EST5EDT`, `Europe/Berlin`, `Etc/GMT+5`), not an offset or POSIX rule (`+01:00`,
 * `CEST+2`), which PostgreSQL reads with the opposite sign.
 */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_]*(\/[A-Za-z0-9_+-]+)*$/;
const ZONE_MESSAGE = 'must be an IANA time zone name such as Europe/Berlin';
/** The window when `from` is left out: this many days before `to`. */
export const DEFAULT_WINDOW_DAYS = 30;
/** The longest window incident analytics answer. */
export const MAX_INCIDENT_WINDOW_DAYS = 731;
/** The longest window on-call load answers (as the shifts listing). */
export const MAX_ON_CALL_WINDOW_DAYS = 90;

export interface IncidentAnalyticsArgs {
  filter?: IncidentAnalyticsFilter | null;
  groupBy?: AnalyticsGroupBy | null;
  from?: Date | null;
  to?: Date | null;
  timeZone?: string | null;
}

export interface OnCallLoadArgs {
  from?: Date | null;
  to?: Date | null;
  scheduleIds?: string[] | null;
}

/** The SQL expression of each grouping's key over the `base` rows below (time buckets: their local start date). */
const KEY_SQL: Record<AnalyticsGroupBy, string> = {
  none: `'all'`,
  severity: 'severity',
  service: 'service_id::text',
  team: 'team_id::text',
  assignee: 'assignee_id::text',
  day: `to_char(date_trunc('day', started_at at time zone ?), 'YYYY-MM-DD')`,
  week: `to_char(date_trunc('week', started_at at time zone ?), 'YYYY-MM-DD')`,
  month: `to_char(date_trunc('month', started_at at time zone ?), 'YYYY-MM-DD')`,
};

// date_part answers float8 (extract answers numeric, several times slower to aggregate).
const DURATIONS = {
  tta: `case when acknowledged_at is not null then greatest(0, date_part('epoch', acknowledged_at - started_at)) end`,
  ttm: `case when mitigated_at is not null then greatest(0, date_part('epoch', mitigated_at - started_at)) end`,
  ttr: `case when done and resolved_at is not null then greatest(0, date_part('epoch', resolved_at - started_at)) end`,
};

/** One sort per duration: the median and p90 from one percentile_cont over both fractions. */
const stats = (d: string) =>
  `count(${d})::int as ${d}_count, avg(${d}) as ${d}_mean, percentile_cont(array[0.5, 0.9]) within group (order by ${d}) as ${d}_pct, max(${d}) as ${d}_max`;

/**
 * One statement: the incidents of the window with their highest severity, reopen and published postmortem (each a
 * hash join over a partial index of the few events or postmortems that matter), then every figure by aggregate.
 * `?` placeholders, filled in the order buildIncidentQuery lists them.
 */
const FIGURES = `
  count(*)::int as opened,
  count(*) filter (where done)::int as resolved,
  count(*) filter (where reopened)::int as reopened,
  count(*) filter (where not done)::int as still_open,
  ${stats('tta')}, ${stats('ttm')}, ${stats('ttr')},
  (count(*) filter (where response_known and response_breached))::float8 / nullif(count(*) filter (where response_known), 0) as sla_response_breach_rate,
  (count(*) filter (where resolution_known and resolution_breached))::float8 / nullif(count(*) filter (where resolution_known), 0) as sla_resolution_breach_rate,
  (count(*) filter (where done and severity in ('P1', 'P2') and published_postmortem))::float8
    / nullif(count(*) filter (where done and severity in ('P1', 'P2')), 0) as postmortem_coverage`;

interface FigureRow {
  key: string | null;
  opened: number;
  resolved: number;
  reopened: number;
  still_open: number;
  sla_response_breach_rate: number | null;
  sla_resolution_breach_rate: number | null;
  postmortem_coverage: number | null;
  [duration: string]: number | string | null | Array<number | null>;
}

/** Incident analytics and on-call load, computed in PostgreSQL over the caller's organization. */
export class AnalyticsService {
  constructor(private readonly clock: Clock) {}

  async incidentAnalytics(scope: Scope, args: IncidentAnalyticsArgs): Promise<IncidentAnalytics> {
    const groupBy = args.groupBy ?? AnalyticsGroupBy.none;
    const timeZone = ZONE_NAME.test(args.timeZone ?? 'UTC') ? canonicalTimeZone(args.timeZone ?? 'UTC') : null;
    if (!timeZone) throw AppError.validation('timeZone', ZONE_MESSAGE);
    const { from, to } = this.window(args.from, args.to, DEFAULT_WINDOW_DAYS, MAX_INCIDENT_WINDOW_DAYS);
    const organizationId = requireOrganization(scope.em);
    const { sql, params } = buildIncidentQuery({
      organizationId,
      groupBy,
      timeZone,
      from,
      to,
      now: this.clock.now(),
      filter: args.filter ?? {},
    });
    let rows: FigureRow[];
    try {
      rows = await scope.em.getConnection().execute<FigureRow[]>(sql, params, 'all', scope.em.getTransactionContext());
    } catch (error) {
      // A name this Node's time zone data knows and PostgreSQL's does not.
      if (/time zone .* not recognized/.test(String((error as Error)?.message)))
        throw AppError.validation('timeZone', ZONE_MESSAGE);
      throw error;
    }
    return {
      from,
      to,
      groupBy,
      timeZone,
      groups: rows.map(toGroup),
      definitions: { ...INCIDENT_DEFINITIONS },
    };
  }

  async onCallLoad(scope: Scope, args: OnCallLoadArgs): Promise<OnCallLoad> {
    const { from, to } = this.window(args.from, args.to, 7, MAX_ON_CALL_WINDOW_DAYS);
    const organizationId = requireOrganization(scope.em);
    const wanted = args.scheduleIds ? [...new Set(args.scheduleIds)] : null;
    const schedules = await scope.em.find(OnCallSchedule, wanted ? { id: { $in: wanted } } : {}, {
      orderBy: { id: 'asc' },
    });
    if (wanted) {
      const found = new Set(schedules.map((s) => s.id));
      const missing = wanted.find((id) => !found.has(id));
      if (missing)
        throw AppError.validation('scheduleIds', `refers to no on-call schedule of this organization: ${missing}`);
    }
    // Shifts come from the rotations, evaluated in memory as everywhere else (a schedule is small); the incidents
    // they touched are counted in PostgreSQL against them.
    const intervals: ShiftInterval[] = [];
    for (const schedule of schedules) {
      for (const shift of calculatorFor(schedule).shiftsBetween(from, to)) {
        for (const userId of shift.userIds)
          intervals.push({
            user_id: userId,
            start_at: shift.start.toISOString(),
            end_at: shift.end.toISOString(),
            time_zone: schedule.timeZone,
          });
      }
    }
    const hours = hoursByUser(intervals);
    const rows = intervals.length
      ? await scope.em
          .getConnection()
          .execute<Array<{ user_id: string; incidents: number; outside_hours: number; night: number }>>(
            ON_CALL_SQL,
            [JSON.stringify(intervals), ...[1, 2, 3].flatMap(() => [organizationId, from, to])],
            'all',
            scope.em.getTransactionContext(),
          )
      : [];
    const counted = new Map(rows.map((r) => [r.user_id, r]));
    const people: OnCallLoadPerson[] = [...hours.entries()]
      .map(([userId, ms]) => ({
        userId,
        hoursOnCall: ms / HOUR_MS,
        incidents: counted.get(userId)?.incidents ?? 0,
        outsideHours: counted.get(userId)?.outside_hours ?? 0,
        night: counted.get(userId)?.night ?? 0,
      }))
      .sort((a, b) => b.hoursOnCall - a.hoursOnCall || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    return { from, to, scheduleIds: schedules.map((s) => s.id), people, definitions: { ...ON_CALL_DEFINITIONS } };
  }

  /**
   * [from, to): to defaults to now, from to `defaultDays` before to; from must be before to, at most `maxDays` apart.
   */
  private window(
    from: Date | null | undefined,
    to: Date | null | undefined,
    defaultDays: number,
    maxDays: number,
  ): { from: Date; to: Date } {
    const end = to ?? this.clock.now();
    const start = from ?? new Date(end.getTime() - defaultDays * DAY_MS);
    if (start.getTime() >= end.getTime())
      throw AppError.validation(from ? 'from' : 'to', from ? 'must be before to' : 'must be after from');
    if (end.getTime() - start.getTime() > maxDays * DAY_MS)
      throw AppError.validation('to', `must be at most ${maxDays} days after from`);
    return { from: start, to: end };
  }
}

function requireOrganization(em: EntityManager): string {
  const organizationId = organizationOf(em);
  if (!organizationId) throw AppError.unauthenticated();
  return organizationId;
}

interface IncidentQuery {
  organizationId: string;
  groupBy: AnalyticsGroupBy;
  timeZone: string;
  from: Date;
  to: Date;
  now: Date;
  filter: IncidentAnalyticsFilter;
}

/** The statement and its parameters; exported for the bench's EXPLAIN and the tests. */
export function buildIncidentQuery(q: IncidentQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [q.now, q.now, q.organizationId, q.organizationId, q.organizationId, q.from, q.to];
  const where: string[] = [];
  const list = (column: string, values: string[] | undefined) => {
    if (!values?.length) return;
    where.push(`${column} in (select jsonb_array_elements_text(?::jsonb))`);
    params.push(JSON.stringify(values));
  };
  list('i.service_id::text', q.filter.serviceId);
  list('i.team_id::text', q.filter.teamId);
  list('i.status::text', q.filter.status);
  // In the order of the placeholders: the bucket's time zone in the select list, then the severity condition.
  const isBucket = TIME_BUCKETS.has(q.groupBy);
  if (isBucket) params.push(q.timeZone);
  const severityWhere = q.filter.severity?.length
    ? `where severity in (select jsonb_array_elements_text(?::jsonb))`
    : '';
  if (severityWhere) params.push(JSON.stringify(q.filter.severity));
  const base = `
    with base as (
      select i.started_at, i.service_id, i.team_id, i.assignee_id,
        case when sc.top is not null and sc.top < i.severity::text then sc.top else i.severity::text end as severity,
        i.status in ('resolved', 'closed') as done,
        ro.incident_id is not null as reopened,
        least(i.acknowledged_at, i.sla_response_stopped_at) as acknowledged_at,
        i.mitigated_at, i.resolved_at,
        i.sla_response_due_at is not null and (i.sla_response_stopped_at is not null or i.sla_response_breached_at is not null or i.sla_response_due_at < ?::timestamptz) as response_known,
        i.sla_response_breached_at is not null or (i.sla_response_stopped_at is null and i.sla_response_due_at is not null) as response_breached,
        i.sla_resolution_due_at is not null and (i.sla_resolution_stopped_at is not null or i.sla_resolution_breached_at is not null or i.sla_resolution_due_at < ?::timestamptz) as resolution_known,
        i.sla_resolution_breached_at is not null or (i.sla_resolution_stopped_at is null and i.sla_resolution_due_at is not null) as resolution_breached,
        pm.incident_id is not null as published_postmortem
      from incidents i
      left join (
        select e.incident_id, min(e.data->>'from') as top from incident_events e
        where e.organization_id = ? and e.type = 'severity_changed' group by e.incident_id
      ) sc on sc.incident_id = i.id
      left join (
        select distinct e.incident_id from incident_events e
        where e.organization_id = ? and e.type = 'status_changed' and e.data->>'to' = 'open'
      ) ro on ro.incident_id = i.id
      left join postmortems pm on pm.incident_id = i.id and pm.status = 'published'
      where i.organization_id = ? and i.started_at >= ?::timestamptz and i.started_at < ?::timestamptz${where.map((w) => ` and ${w}`).join('')}
    ),
    rows as (
      select ${KEY_SQL[q.groupBy]} as key, severity, done, reopened, response_known, response_breached, resolution_known, resolution_breached,
        published_postmortem, ${DURATIONS.tta} as tta, ${DURATIONS.ttm} as ttm, ${DURATIONS.ttr} as ttr
      from base ${severityWhere}
    )`;
  if (q.groupBy === AnalyticsGroupBy.none) {
    return { sql: `${base} select 'all' as key, ${FIGURES} from rows`, params };
  }
  if (!isBucket) {
    const order = q.groupBy === AnalyticsGroupBy.severity ? 'key' : 'opened desc, key asc nulls last';
    return { sql: `${base} select key, ${FIGURES} from rows group by key order by ${order}`, params };
  }
  // Every bucket of the window, in the caller's time zone, whether or not an incident started in it.
  params.push(q.from, q.timeZone, q.to, q.timeZone, q.to, q.timeZone);
  const unit = q.groupBy;
  const sql = `${base},
    figures as (select key, ${FIGURES} from rows group by key),
    buckets as (
      select to_char(b, 'YYYY-MM-DD') as key from generate_series(
        date_trunc('${unit}', ?::timestamptz at time zone ?), ?::timestamptz at time zone ?, interval '1 ${unit}') b
      where b < ?::timestamptz at time zone ?
    )
    select buckets.key, coalesce(f.opened, 0) as opened, coalesce(f.resolved, 0) as resolved, coalesce(f.reopened, 0) as reopened,
      coalesce(f.still_open, 0) as still_open, coalesce(f.tta_count, 0) as tta_count, f.tta_mean, f.tta_pct, f.tta_max,
      coalesce(f.ttm_count, 0) as ttm_count, f.ttm_mean, f.ttm_pct, f.ttm_max,
      coalesce(f.ttr_count, 0) as ttr_count, f.ttr_mean, f.ttr_pct, f.ttr_max,
      f.sla_response_breach_rate, f.sla_resolution_breach_rate, f.postmortem_coverage
    from buckets left join figures f on f.key = buckets.key order by buckets.key`;
  return { sql, params };
}

function duration(row: FigureRow, d: 'tta' | 'ttm' | 'ttr'): DurationStats {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const pct = row[`${d}_pct`] as unknown as Array<number | string | null> | null;
  return {
    count: Number(row[`${d}_count`] ?? 0),
    meanSeconds: num(row[`${d}_mean`]),
    medianSeconds: num(pct?.[0]),
    p90Seconds: num(pct?.[1]),
    maxSeconds: num(row[`${d}_max`]),
  };
}

function toGroup(row: FigureRow): IncidentAnalyticsGroup {
  const rate = (v: number | null) => (v === null ? null : Number(v));
  return {
    key: row.key,
    opened: Number(row.opened),
    resolved: Number(row.resolved),
    reopened: Number(row.reopened),
    stillOpen: Number(row.still_open),
    timeToAcknowledge: duration(row, 'tta'),
    timeToMitigate: duration(row, 'ttm'),
    timeToResolve: duration(row, 'ttr'),
    slaResponseBreachRate: rate(row.sla_response_breach_rate),
    slaResolutionBreachRate: rate(row.sla_resolution_breach_rate),
    postmortemCoverage: rate(row.postmortem_coverage),
  };
}

interface ShiftInterval {
  user_id: string;
  start_at: string;
  end_at: string;
  time_zone: string;
}

/** Milliseconds on call per user: the union of their intervals (two schedules at once count once). */
function hoursByUser(intervals: ShiftInterval[]): Map<string, number> {
  const byUser = new Map<string, Array<[number, number]>>();
  for (const i of intervals) {
    const list = byUser.get(i.user_id) ?? [];
    list.push([Date.parse(i.start_at), Date.parse(i.end_at)]);
    byUser.set(i.user_id, list);
  }
  const out = new Map<string, number>();
  for (const [userId, list] of byUser) {
    list.sort((a, b) => a[0] - b[0]);
    let total = 0;
    let [start, end] = list[0];
    for (const [s, e] of list.slice(1)) {
      if (s > end) {
        total += end - start;
        [start, end] = [s, e];
      } else if (e > end) end = e;
    }
    total += end - start;
    out.set(userId, total);
  }
  return out;
}

/**
 * Per person: the incidents assigned to them (on creation or later) or moved out of open by them while they were on
 * call, each counted once
 * at its first such moment, and how many of those moments fell outside 08:00-20:00 and at night (22:00-07:00) in the
 * time zone of the schedule they were on call on. Parameters: the shifts as JSON, then the organization, from and to
 * for each kind of entry.
 */
const ON_CALL_SQL = `
  with shifts as (
    select * from jsonb_to_recordset(?::jsonb) as s(user_id uuid, start_at timestamptz, end_at timestamptz, time_zone text)
  ),
  touches as (
    select e.incident_id, e.occurred_at, (e.data->>'to')::uuid as user_id from incident_events e
    where e.organization_id = ? and e.occurred_at >= ?::timestamptz and e.occurred_at < ?::timestamptz and e.type = 'assigned'
    union all
    select e.incident_id, e.occurred_at, e.actor_id from incident_events e
    where e.organization_id = ? and e.occurred_at >= ?::timestamptz and e.occurred_at < ?::timestamptz
      and e.type = 'status_changed' and e.data->>'from' = 'open'
    union all
    -- Assigned on creation: the assignee the first reassignment moved away from, or the assignee now if there was none.
    select e.incident_id, e.occurred_at, case when fa.incident_id is null then i.assignee_id else fa.first_from end
    from incident_events e
    join incidents i on i.id = e.incident_id
    left join lateral (
      select a.incident_id, (a.data->>'from')::uuid as first_from from incident_events a
      where a.incident_id = e.incident_id and a.type = 'assigned' order by a.occurred_at, a.id limit 1
    ) fa on true
    where e.organization_id = ? and e.occurred_at >= ?::timestamptz and e.occurred_at < ?::timestamptz and e.type = 'created'
  ),
  firsts as (
    select distinct on (t.user_id, t.incident_id) t.user_id, t.incident_id, (t.occurred_at at time zone s.time_zone)::time as local_time
    from touches t join shifts s on s.user_id = t.user_id and t.occurred_at >= s.start_at and t.occurred_at < s.end_at
    order by t.user_id, t.incident_id, t.occurred_at, s.time_zone
  )
  select user_id::text as user_id, count(*)::int as incidents,
    count(*) filter (where local_time < '08:00' or local_time >= '20:00')::int as outside_hours,
    count(*) filter (where local_time < '07:00' or local_time >= '22:00')::int as night
  from firsts group by user_id`;
