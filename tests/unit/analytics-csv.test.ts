import { INCIDENT_ANALYTICS_CSV, ON_CALL_LOAD_CSV, csvCell } from '../../src/modules/analytics/analytics.route';

describe('analytics CSV', () => {
  it('quotes cells per RFC 4180 and leaves null empty', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell('P1')).toBe('P1');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('lays out one row per group under the header, durations flattened', () => {
    const stats = (n: number) => ({
      count: n,
      mean_seconds: n ? 10 : null,
      median_seconds: n ? 5 : null,
      p90_seconds: n ? 9.5 : null,
      max_seconds: n ? 20 : null,
    });
    const csv = INCIDENT_ANALYTICS_CSV.render({
      groups: [
        {
          key: null,
          opened: 2,
          resolved: 1,
          reopened: 0,
          still_open: 1,
          time_to_acknowledge: stats(1),
          time_to_mitigate: stats(0),
          time_to_resolve: stats(1),
          sla_response_breach_rate: null,
          sla_resolution_breach_rate: 0.5,
          postmortem_coverage: 1,
        },
      ],
    });
    const [header, row, end] = csv.split('\r\n');
    expect(header.split(',')).toHaveLength(23);
    expect(row).toBe(',2,1,0,1,1,10,5,9.5,20,0,,,,,1,10,5,9.5,20,,0.5,1');
    expect(end).toBe('');
    expect(ON_CALL_LOAD_CSV.render({ people: [] })).toBe('user_id,hours_on_call,incidents,outside_hours,night\r\n');
  });
});
