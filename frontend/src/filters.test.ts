import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, filtersFromParams, graphqlFilter, localDayStart, paramsFromFilters } from './filters';

const SERVICE = '0b6f3c0e-8a4e-4d1e-9a57-3f0c1c2d4e5f';

describe('incident list filters and the URL', () => {
  it('reads every filter from the query string, lists comma-separated or repeated', () => {
    const f = filtersFromParams(
      new URLSearchParams(
        `status=open,acknowledged&severity=P1&severity=P2&service=${SERVICE}&from=2026-12-01&to=2026-12-07&sort=severity&q=payments`,
      ),
    );
    expect(f).toEqual({
      status: ['open', 'acknowledged'],
      severity: ['P1', 'P2'],
      service: [SERVICE],
      team: [],
      assignee: [],
      from: '2026-12-01',
      to: '2026-12-07',
      sort: 'severity',
      q: 'payments',
    });
  });

  it('leaves out what the API would refuse: unknown enum values, malformed ids and dates, unknown sorts', () => {
    const f = filtersFromParams(
      new URLSearchParams('status=open,exploded&severity=P9&service=not-a-uuid&from=yesterday&sort=-password&q=%20%20'),
    );
    expect(f).toEqual({ ...EMPTY_FILTERS, status: ['open'] });
  });

  it('writes a stable, minimal query string that reads back to the same filters', () => {
    const f = {
      ...EMPTY_FILTERS,
      severity: ['P2', 'P1'] as const,
      status: ['resolved'] as const,
      service: [SERVICE],
      from: '2026-12-01',
    };
    const params = paramsFromFilters({ ...f, severity: [...f.severity], status: [...f.status] });
    expect(params.toString()).toBe(`status=resolved&severity=P2%2CP1&service=${SERVICE}&from=2026-12-01`);
    expect(filtersFromParams(params)).toEqual({ ...f, severity: ['P2', 'P1'], status: ['resolved'] });
    expect(paramsFromFilters(EMPTY_FILTERS).toString()).toBe('');
  });

  it('turns the filters into the GraphQL filter, the date range as whole local days', () => {
    const f = {
      ...EMPTY_FILTERS,
      severity: ['P1' as const],
      assignee: [SERVICE],
      from: '2026-12-01',
      to: '2026-12-07',
    };
    expect(graphqlFilter(f)).toEqual({
      severity: ['P1'],
      assigneeId: [SERVICE],
      createdAfter: localDayStart('2026-12-01'),
      createdBefore: localDayStart('2026-12-08'),
    });
    expect(new Date(localDayStart('2026-12-01')).getHours()).toBe(0);
    expect(graphqlFilter(EMPTY_FILTERS)).toEqual({});
  });
});
