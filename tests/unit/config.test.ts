import { loadConfig } from '../../src/config/env';

const base = { NODE_ENV: 'test', ARGUS_JWT_SECRET: 'x'.repeat(40) };

describe('ARGUS_SLA_CHECK_INTERVAL_SECONDS', () => {
  it('defaults to 30 seconds', () => {
    expect(loadConfig(base).slaCheckIntervalSeconds).toBe(30);
  });

  it('takes a whole number of seconds, 0 turning the job off in this process', () => {
    expect(loadConfig({ ...base, ARGUS_SLA_CHECK_INTERVAL_SECONDS: '5' }).slaCheckIntervalSeconds).toBe(5);
    expect(loadConfig({ ...base, ARGUS_SLA_CHECK_INTERVAL_SECONDS: '0' }).slaCheckIntervalSeconds).toBe(0);
  });

  it.each(['-1', '1.5', 'soon', '3601'])('refuses %s with a message naming the variable', (value) => {
    expect(() => loadConfig({ ...base, ARGUS_SLA_CHECK_INTERVAL_SECONDS: value })).toThrow(/ARGUS_SLA_CHECK_INTERVAL_SECONDS/);
  });
});
