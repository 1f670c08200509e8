import type { IncidentFilter, IncidentStatus, Severity } from './gql/graphql';

export const STATUSES: readonly IncidentStatus[] = [
  'open',
  'acknowledged',
  'investigating',
  'mitigated',
  'resolved',
  'closed',
];
export const SEVERITIES: readonly Severity[] = ['P1', 'P2', 'P3', 'P4'];
export const SORTS = {
  '-created_at': 'Newest first',
  created_at: 'Oldest first',
  severity: 'Most severe first',
  '-updated_at': 'Recently updated',
  status: 'Status',
} as const;
export type Sort = keyof typeof SORTS;
export const DEFAULT_SORT: Sort = '-created_at';

/** The incident list's filters, exactly what the URL holds. */
export interface ListFilters {
  status: IncidentStatus[];
  severity: Severity[];
  service: string[];
  team: string[];
  assignee: string[];
  /** yyyy-mm-dd, inclusive, in the viewer's time zone */
  from: string | null;
  to: string | null;
  sort: Sort;
  /** Plain-English search; when set, the list shows the search's ranked results. */
  q: string | null;
}

export const EMPTY_FILTERS: ListFilters = {
  status: [],
  severity: [],
  service: [],
  team: [],
  assignee: [],
  from: null,
  to: null,
  sort: DEFAULT_SORT,
  q: null,
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function list<T extends string>(params: URLSearchParams, name: string, allowed: (v: string) => v is T): T[] {
  const values = params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim());
  return [...new Set(values.filter(allowed))];
}
const oneOf =
  <T extends string>(values: readonly T[]) =>
  (v: string): v is T =>
    (values as readonly string[]).includes(v);
const isUuid = (v: string): v is string => UUID.test(v);

/** Reads the filters from a URL's query; anything unknown or malformed is left out rather than sent to the API. */
export function filtersFromParams(params: URLSearchParams): ListFilters {
  const date = (name: string) => {
    const v = params.get(name);
    return v && DATE.test(v) ? v : null;
  };
  const sort = params.get('sort');
  const q = params.get('q')?.trim();
  return {
    status: list(params, 'status', oneOf(STATUSES)),
    severity: list(params, 'severity', oneOf(SEVERITIES)),
    service: list(params, 'service', isUuid),
    team: list(params, 'team', isUuid),
    assignee: list(params, 'assignee', isUuid),
    from: date('from'),
    to: date('to'),
    sort: sort && sort in SORTS ? (sort as Sort) : DEFAULT_SORT,
    q: q ? q : null,
  };
}

/** The query string for filters: defaults left out, lists comma-separated, a stable order (shareable URLs). */
export function paramsFromFilters(f: ListFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.status.length) p.set('status', f.status.join(','));
  if (f.severity.length) p.set('severity', f.severity.join(','));
  if (f.service.length) p.set('service', f.service.join(','));
  if (f.team.length) p.set('team', f.team.join(','));
  if (f.assignee.length) p.set('assignee', f.assignee.join(','));
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.sort !== DEFAULT_SORT) p.set('sort', f.sort);
  return p;
}

/** Local midnight of a yyyy-mm-dd day, as an ISO instant; `dayAfter` gives the end of an inclusive range. */
export function localDayStart(day: string, dayAfter = false): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + (dayAfter ? 1 : 0)).toISOString();
}

/** The GraphQL filter for the list query. */
export function graphqlFilter(f: ListFilters): IncidentFilter {
  const filter: IncidentFilter = {};
  if (f.status.length) filter.status = f.status;
  if (f.severity.length) filter.severity = f.severity;
  if (f.service.length) filter.serviceId = f.service;
  if (f.team.length) filter.teamId = f.team;
  if (f.assignee.length) filter.assigneeId = f.assignee;
  if (f.from) filter.createdAfter = localDayStart(f.from);
  if (f.to) filter.createdBefore = localDayStart(f.to, true);
  return filter;
}

export function activeFilterCount(f: ListFilters): number {
  return (
    f.status.length +
    f.severity.length +
    f.service.length +
    f.team.length +
    f.assignee.length +
    (f.from ? 1 : 0) +
    (f.to ? 1 : 0)
  );
}
