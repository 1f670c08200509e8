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
    expect(() => loadConfig({ ...base, ARGUS_SLA_CHECK_INTERVAL_SECONDS: value })).toThrow(
      /ARGUS_SLA_CHECK_INTERVAL_SECONDS/,
    );
  });
});

describe('GraphQL settings', () => {
  it('has the documented limits by default', () => {
    expect(loadConfig(base).graphql).toMatchObject({ maxDepth: 10, maxAliases: 15, maxCost: 10_000, maxTokens: 5000 });
  });

  it('turns introspection, "did you mean" hints and the playground off in production unless told otherwise', () => {
    expect(loadConfig(base).graphql).toMatchObject({ introspection: true, hideSuggestions: false, playground: true });
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).graphql).toMatchObject({
      introspection: false,
      hideSuggestions: true,
      playground: false,
    });
    const opened = loadConfig({
      ...base,
      NODE_ENV: 'production',
      ARGUS_GRAPHQL_INTROSPECTION: 'true',
      ARGUS_GRAPHQL_PLAYGROUND: 'true',
    }).graphql;
    expect(opened).toMatchObject({ introspection: true, hideSuggestions: false, playground: true });
    expect(loadConfig({ ...base, ARGUS_GRAPHQL_INTROSPECTION: 'false' }).graphql.hideSuggestions).toBe(true);
  });

  it.each([
    ['ARGUS_GRAPHQL_MAX_DEPTH', '1'],
    ['ARGUS_GRAPHQL_MAX_ALIASES', '-1'],
    ['ARGUS_GRAPHQL_MAX_COST', 'lots'],
    ['ARGUS_GRAPHQL_INTROSPECTION', 'yes'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(new RegExp(name));
  });
});

describe('rate limits', () => {
  it('default to 600 requests a minute per user and 120 per address, 0 turning one off', () => {
    expect(loadConfig(base).rateLimit).toEqual({ windowSeconds: 60, perUser: 600, perIp: 120 });
    expect(
      loadConfig({ ...base, ARGUS_RATE_LIMIT_PER_IP: '0', ARGUS_RATE_LIMIT_WINDOW_SECONDS: '10' }).rateLimit,
    ).toEqual({ windowSeconds: 10, perUser: 600, perIp: 0 });
    expect(() => loadConfig({ ...base, ARGUS_RATE_LIMIT_WINDOW_SECONDS: '0' })).toThrow(
      /ARGUS_RATE_LIMIT_WINDOW_SECONDS/,
    );
  });
});

describe('ARGUS_TRUST_PROXY', () => {
  it('trusts X-Forwarded-For from loopback by default', () => {
    expect(loadConfig(base).trustProxy).toEqual(['loopback']);
  });

  it('takes a number of hops, a boolean, or addresses, CIDRs and named ranges', () => {
    expect(loadConfig({ ...base, ARGUS_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...base, ARGUS_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ ...base, ARGUS_TRUST_PROXY: 'loopback, 172.28.0.0/16,fd00::1' }).trustProxy).toEqual([
      'loopback',
      '172.28.0.0/16',
      'fd00::1',
    ]);
  });

  it.each(['proxy', '300.1.1.1', '10.0.0.0/33', '11', '', 'loopback,,nginx'])(
    'refuses %j with a message naming the variable',
    (value) => {
      expect(() => loadConfig({ ...base, ARGUS_TRUST_PROXY: value })).toThrow(/ARGUS_TRUST_PROXY/);
    },
  );
});

describe('ARGUS_DEMO_DATA', () => {
  it('loads the demo organization by default, but not in production unless asked', () => {
    expect(loadConfig(base).demoData).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).demoData).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production', ARGUS_DEMO_DATA: 'true' }).demoData).toBe(true);
    expect(loadConfig({ ...base, ARGUS_DEMO_DATA: 'false' }).demoData).toBe(false);
  });
});

describe('ARGUS_HEAP_GROWING_PERCENT', () => {
  it('defaults to 20, 0 leaving V8 its own heuristics', () => {
    expect(loadConfig(base).heapGrowingPercent).toBe(20);
    expect(loadConfig({ ...base, ARGUS_HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(loadConfig({ ...base, ARGUS_HEAP_GROWING_PERCENT: '50' }).heapGrowingPercent).toBe(50);
  });

  it.each(['-1', '2.5', 'low', '401'])('refuses %s with a message naming the variable', (value) => {
    expect(() => loadConfig({ ...base, ARGUS_HEAP_GROWING_PERCENT: value })).toThrow(/ARGUS_HEAP_GROWING_PERCENT/);
  });
});

describe('ARGUS_FAST_PATHS', () => {
  it('turns every fast path on by default, and each off by leaving it out', () => {
    expect(loadConfig(base).fastPaths).toEqual(['lists', 'compiled-reads', 'one-statement', 'alert-appends']);
    expect(loadConfig({ ...base, ARGUS_FAST_PATHS: 'lists, one-statement' }).fastPaths).toEqual([
      'lists',
      'one-statement',
    ]);
    expect(loadConfig({ ...base, ARGUS_FAST_PATHS: 'none' }).fastPaths).toEqual([]);
  });

  it.each(['fast', 'lists,everything', 'none,lists'])('refuses %s with a message naming the variable', (value) => {
    expect(() => loadConfig({ ...base, ARGUS_FAST_PATHS: value })).toThrow(/ARGUS_FAST_PATHS/);
  });
});
