import type { CsvRepresentation } from '../../api/rest/routes.js';

/**
 * The CSV exports of the analytics routes: a REST-boundary concern (docs/DECISIONS.md, "Analytics"). The boundary
 * runs the route's GraphQL operation as for JSON and hands its snake_case answer to one of these, which only lays the
 * groups (or people) out as rows under a header row (RFC 4180; an empty cell for null).
 */

const DURATION_FIELDS = ['count', 'mean_seconds', 'median_seconds', 'p90_seconds', 'max_seconds'] as const;
const DURATIONS = ['time_to_acknowledge', 'time_to_mitigate', 'time_to_resolve'] as const;

type Row = Record<string, unknown>;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const cell: unknown = value;
  const text = typeof cell === 'string' ? cell : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function table(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export const INCIDENT_ANALYTICS_CSV: CsvRepresentation = {
  filename: 'incident-analytics.csv',
  render(body) {
    const groups = ((body as Row).groups ?? []) as Row[];
    const header = [
      'key',
      'opened',
      'resolved',
      'reopened',
      'still_open',
      ...DURATIONS.flatMap((d) => DURATION_FIELDS.map((f) => `${d}_${f}`)),
      'sla_response_breach_rate',
      'sla_resolution_breach_rate',
      'postmortem_coverage',
    ];
    return table(
      header,
      groups.map((g) => [
        g.key,
        g.opened,
        g.resolved,
        g.reopened,
        g.still_open,
        ...DURATIONS.flatMap((d) => DURATION_FIELDS.map((f) => ((g[d] ?? {}) as Row)[f])),
        g.sla_response_breach_rate,
        g.sla_resolution_breach_rate,
        g.postmortem_coverage,
      ]),
    );
  },
};

export const ON_CALL_LOAD_CSV: CsvRepresentation = {
  filename: 'on-call-load.csv',
  render(body) {
    const people = ((body as Row).people ?? []) as Row[];
    return table(
      ['user_id', 'hours_on_call', 'incidents', 'outside_hours', 'night'],
      people.map((p) => [p.user_id, p.hours_on_call, p.incidents, p.outside_hours, p.night]),
    );
  },
};
