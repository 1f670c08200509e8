import { TestApp, startTestApp } from '../support/app';
import { gqlRaw, rest } from '../support/client';
import { PASSWORD, seedOrg } from '../support/seed';

/**
 * Ending a session ends its access tokens too, on both surfaces, in the process that ended it at once and in every
 * other process within the token-check cache time (here 0, so at once); other sessions of the same user go on.
 */
let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  a = await startTestApp();
  // Another process on the same database, reading the session on every request.
  b = await startTestApp({ ARGUS_AUTH_CACHE_MS: '0' });
});
afterAll(async () => {
  await a.close();
  await b.close();
});

async function login(email: string) {
  const res = await rest(a.url, 'POST', '/auth/login', { body: { email, password: PASSWORD } });
  expect(res.status).toBe(200);
  return { access: res.body.access_token as string, refresh: res.body.refresh_token as string };
}

const works = async (app: TestApp, token: string) => ({
  rest: (await rest(app.url, 'GET', '/auth/me', { token })).status,
  graphql: (await gqlRaw(app.url, { query: '{ me { id } }' }, token)).errors?.[0]?.extensions?.code ?? 'ok',
});

const endings: Array<[string, (session: { access: string; refresh: string }) => Promise<void>]> = [
  [
    'logout',
    async (s) =>
      void expect((await rest(a.url, 'POST', '/auth/logout', { body: { refresh_token: s.refresh } })).status).toBe(204),
  ],
  [
    'refresh-token reuse',
    async (s) => {
      expect((await rest(a.url, 'POST', '/auth/refresh', { body: { refresh_token: s.refresh } })).status).toBe(200);
      expect((await rest(a.url, 'POST', '/auth/refresh', { body: { refresh_token: s.refresh } })).status).toBe(401);
    },
  ],
];

describe.each(endings)('after %s', (_name, end) => {
  it("refuses the session's access tokens in this process and in another, and keeps the user's other sessions", async () => {
    const org = await seedOrg(a.url);
    const ended = await login(org.owner.email);
    const other = await login(org.owner.email);
    // Warm both processes' caches with the session still alive.
    expect(await works(a, ended.access)).toEqual({ rest: 200, graphql: 'ok' });
    expect(await works(b, ended.access)).toEqual({ rest: 200, graphql: 'ok' });
    await end(ended);
    expect(await works(a, ended.access)).toEqual({ rest: 401, graphql: 'UNAUTHENTICATED' });
    expect(await works(b, ended.access)).toEqual({ rest: 401, graphql: 'UNAUTHENTICATED' });
    expect(await works(a, other.access)).toEqual({ rest: 200, graphql: 'ok' });
    expect(await works(b, other.access)).toEqual({ rest: 200, graphql: 'ok' });
  });
});
