import { randomInt } from 'node:crypto';
import { TestApp, startTestApp } from '../support/app';
import { gqlRaw, rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';

/** Two processes on one database, with small budgets: 4 requests per user, 3 per address, per minute. */
const LIMITS = { ARGUS_RATE_LIMIT_PER_USER: '4', ARGUS_RATE_LIMIT_PER_IP: '3', ARGUS_RATE_LIMIT_WINDOW_SECONDS: '60' };
let a: TestApp;
let b: TestApp;
let seeding: TestApp;
beforeAll(async () => {
  [a, b, seeding] = await Promise.all([startTestApp(LIMITS), startTestApp(LIMITS), startTestApp()]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close(), seeding.close()]);
});

/** A client address of its own (the app trusts X-Forwarded-For from loopback, as behind a local proxy). */
const addressHeaders = () => ({ 'x-forwarded-for': `203.0.${randomInt(0, 255)}.${randomInt(1, 255)}` });

describe('per-address budget for requests without a valid token', () => {
  it('answers 429 RATE_LIMITED with Retry-After after the budget, and RateLimit headers on every answer', async () => {
    const headers = addressHeaders();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await rest(a.url, 'GET', '/auth/me', { headers }));
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 429]);
    expect(answers.map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    expect(answers[0].headers.get('ratelimit-limit')).toBe('3');
    expect(answers[0].headers.get('ratelimit-policy')).toBe('3;w=60');
    const reset = Number(answers[0].headers.get('ratelimit-reset'));
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(60);
    const limited = answers[3];
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('counts per address: another client is not affected', async () => {
    const spent = addressHeaders();
    for (let i = 0; i < 4; i++)
      await rest(a.url, 'POST', '/auth/login', {
        headers: spent,
        body: { email: 'x@example.test', password: 'not the password' },
      });
    expect(
      (await rest(a.url, 'POST', '/auth/login', { headers: spent, body: { email: 'x@example.test', password: 'x' } }))
        .status,
    ).toBe(429);
    const other = await rest(a.url, 'POST', '/auth/login', {
      headers: addressHeaders(),
      body: { email: 'x@example.test', password: 'not the password' },
    });
    expect(other.status).toBe(401);
  });

  it('is shared by every process on the database', async () => {
    const headers = addressHeaders();
    const statuses = [];
    for (const app of [a, b, a, b]) statuses.push((await rest(app.url, 'GET', '/auth/me', { headers })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('answers on /graphql in the GraphQL error shape', async () => {
    const headers = { ...addressHeaders(), 'content-type': 'application/json' };
    let last: Response | undefined;
    for (let i = 0; i < 4; i++)
      last = await fetch(`${a.url}/graphql`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: '{ __typename }' }),
      });
    expect(last!.status).toBe(429);
    expect(last!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await last!.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
  });
});

describe('per-user budget', () => {
  let org: SeedOrg;
  beforeAll(async () => {
    org = await seedOrg(seeding.url);
  });

  it("counts a user's requests on both surfaces and every process, whatever the address", async () => {
    const statuses = [];
    statuses.push((await rest(a.url, 'GET', '/auth/me', { token: org.owner.token, headers: addressHeaders() })).status);
    statuses.push((await gqlRaw(b.url, { query: '{ me { id } }' }, org.owner.token)).status);
    statuses.push(
      (await rest(b.url, 'GET', '/incidents', { token: org.owner.token, headers: addressHeaders() })).status,
    );
    const last = await rest(a.url, 'GET', '/auth/me', { token: org.owner.token });
    statuses.push(last.status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(last.headers.get('ratelimit-limit')).toBe('4');
    expect(last.headers.get('ratelimit-remaining')).toBe('0');
    const limited = await gqlRaw(a.url, { query: '{ me { id } }' }, org.owner.token);
    expect(limited.status).toBe(429);
    expect(limited.errors![0].extensions?.code).toBe('RATE_LIMITED');
  });

  it("does not spend one user's budget on another", async () => {
    const other = await seedOrg(seeding.url);
    for (let i = 0; i < 5; i++) await rest(a.url, 'GET', '/auth/me', { token: org.owner.token });
    expect((await rest(a.url, 'GET', '/auth/me', { token: other.owner.token })).status).toBe(200);
  });

  it('counts a forged token against the address, not the user it names', async () => {
    const headers = addressHeaders();
    const forged = `${org.owner.token.slice(0, -4)}AAAA`;
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await rest(a.url, 'GET', '/auth/me', { token: forged, headers })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
