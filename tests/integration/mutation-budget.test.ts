import { randomInt, randomUUID } from 'node:crypto';
import { getSchema } from '../../src/app/schema';
import { ONE_PER_REQUEST } from '../../src/api/graphql/limits';
import { TestApp, startTestApp } from '../support/app';

/** Rate limits count every root mutation field of a GraphQL request; a request signs up or in at most once. */
const BUDGET = 10;
let t: TestApp;
let mutations: string[];
beforeAll(async () => {
  t = await startTestApp({
    ARGUS_RATE_LIMIT_PER_IP: String(BUDGET),
    ARGUS_RATE_LIMIT_PER_USER: String(BUDGET),
    ARGUS_RATE_LIMIT_WINDOW_SECONDS: '60',
  });
  mutations = Object.keys((await getSchema()).getMutationType()!.getFields());
});
afterAll(() => t.close());

/**
 * A client address of its own (the app trusts X-Forwarded-For from loopback): a random third octet per run and a new
 * fourth one per call, so no two calls of a run share a budget.
 */
const subnet = randomInt(0, 255);
let host = 0;
const address = () => `198.51.${subnet}.${++host}`;

async function post(query: string, ip: string) {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, remaining: res.headers.get('ratelimit-remaining'), body: await res.json() };
}

/**
 * `field` aliased `times` times at the root of one mutation, with arguments left out (counting comes before
 * validation).
 */
const aliased = (field: string, times: number) =>
  `mutation { ${Array.from({ length: times }, (_, i) => `m${i}: ${field} { __typename }`).join(' ')} }`;

describe('root mutation fields against the rate limit', () => {
  it('spends one point per root mutation field, for every mutation of the schema', async () => {
    expect(mutations.length).toBeGreaterThan(40);
    for (const field of mutations.filter((name) => !ONE_PER_REQUEST.includes(name))) {
      const ip = address();
      const res = await post(aliased(field, 3), ip);
      expect({ field, remaining: res.remaining }).toEqual({ field, remaining: String(BUDGET - 3) });
    }
  });

  it('refuses with 429 once the fields of one request exceed the budget left', async () => {
    const ip = address();
    expect((await post(aliased('createTeam', 6), ip)).remaining).toBe(String(BUDGET - 6));
    const over = await post(aliased('createTeam', 6), ip);
    expect(over.status).toBe(429);
    expect(over.body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });

  it('counts fields spread through fragments too', async () => {
    const ip = address();
    const res = await post(
      'mutation { ...A ...B } fragment A on Mutation { a: logout(input: { refreshToken: "x" }) } fragment B on Mutation { b: logout(input: { refreshToken: "y" }) c: logout(input: { refreshToken: "z" }) }',
      ip,
    );
    expect(res.remaining).toBe(String(BUDGET - 3));
  });
});

describe('one sign-up or sign-in per request', () => {
  const pairs = ONE_PER_REQUEST.flatMap((a) => ONE_PER_REQUEST.map((b) => [a, b] as const));

  it.each(pairs)('refuses %s with %s in one request, before anything runs', async (a, b) => {
    const email = (n: number) => `twice-${n}-${randomUUID().slice(0, 8)}@example.test`;
    const input = (field: string, n: number) =>
      field === 'signup'
        ? `input: { email: "${email(n)}", password: "long enough password", name: "X", organizationName: "Many ${n}" }`
        : field === 'login'
          ? `input: { email: "${email(n)}", password: "long enough password" }`
          : field === 'refreshToken'
            ? 'input: { refreshToken: "rt_x" }'
            : 'input: { invitationToken: "x", password: "long enough password" }';
    const query = `mutation { first: ${a}(${input(a, 1)}) { __typename } second: ${b}(${input(b, 2)}) { __typename } }`;
    const res = await post(query, address());
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors[0].message).toMatch(/sign up or sign in once/);
    // Neither organization was created.
    const mine = await t.orm.em
      .getConnection()
      .execute<Array<{ n: number }>>("select count(*)::int as n from organizations where name in ('Many 1', 'Many 2')");
    expect(mine[0].n).toBe(0);
  });
});
