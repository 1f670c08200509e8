import { randomUUID } from 'node:crypto';
import { createLogger } from '../../src/core/logger';
import { TestApp, startTestApp } from '../support/app';
import { gqlRaw, rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';

/**
 * Logs carry no value a client sent and no secret: failing requests of every kind are sent with marked values, and
 * the captured log lines are searched for the marks.
 */
let t: TestApp;
let org: SeedOrg;
const lines: string[] = [];
const MARK = `mark${randomUUID().replace(/-/g, '')}`;
const marked = (what: string) => `${MARK}-${what}`;

beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: 'info' }, { logLines: (line) => lines.push(line) });
  org = await seedOrg(t.url);
});
afterAll(() => t.close());

describe('the logs of failing requests', () => {
  it('hold no parameter value, body, token, password or secret', async () => {
    const password = marked('password-1234');
    const failing: Array<() => Promise<unknown>> = [
      // A sign-up with a taken email (answered like any other) and a wrong password.
      () =>
        rest(t.url, 'POST', '/auth/signup', {
          body: { email: org.owner.email, password, name: marked('name'), organization_name: marked('org') },
        }),
      () => rest(t.url, 'POST', '/auth/login', { body: { email: `${MARK}@example.test`, password } }),
      // Tokens that do not verify.
      () => rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: marked('refresh') } }),
      () => rest(t.url, 'GET', '/incidents/', { token: marked('access') }),
      // Query-string and path values, valid and not.
      () =>
        rest(t.url, 'GET', `/incidents/?q=${marked('search')}&unknown=${marked('unknown')}`, {
          token: org.owner.token,
        }),
      () => rest(t.url, 'GET', `/incidents/?cursor=${marked('cursor')}`, { token: org.owner.token }),
      () => rest(t.url, 'GET', `/incidents/${marked('id')}`, { token: org.owner.token }),
      // Bodies refused by validation, by the input bounds and as malformed JSON.
      () =>
        rest(t.url, 'POST', '/teams/', {
          token: org.owner.token,
          body: { name: `${marked('nul')}\u0000`, description: marked('description') },
        }),
      () => rest(t.url, 'POST', '/services/', { token: org.owner.token, body: { name: marked('service'), tier: 99 } }),
      () => rest(t.url, 'POST', '/teams/', { token: org.owner.token, raw: `{"name": "${marked('broken')}"` }),
      () =>
        rest(t.url, 'POST', '/alert-rules/', {
          token: org.owner.token,
          body: { name: 'r', event_types: ['incident.created'], target_url: `http://10.0.0.1/${marked('url')}` },
        }),
      // GraphQL variables and literals.
      () =>
        gqlRaw(t.url, {
          query: 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }',
          variables: { i: { email: `${MARK}@example.test`, password } },
        }),
      () => gqlRaw(t.url, { query: `{ incident(id: "${marked('literal')}") { id } }` }, org.owner.token),
      // An API token of the right shape that does not exist; single sign-on codes, states and slugs; a client secret.
      () => rest(t.url, 'GET', '/incidents/', { token: `argus_pat_${MARK}${'x'.repeat(43 - MARK.length)}` }),
      () => rest(t.url, 'POST', '/auth/sso/exchange', { body: { code: `sso_${MARK}${'y'.repeat(43 - MARK.length)}` } }),
      () => fetch(`${t.url}/api/v1/auth/sso/callback?code=${marked('code')}&state=${MARK}`),
      () => fetch(`${t.url}/api/v1/auth/sso/${MARK}/start`),
      () => rest(t.url, 'GET', `/auth/sso/discover?email=${MARK}@example.test`),
      () =>
        rest(t.url, 'POST', '/identity-providers/', {
          token: org.owner.token,
          body: { issuer: 'http://idp.example.com', client_id: marked('client'), client_secret: marked('secret') },
        }),
    ];
    for (const send of failing) await send();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.length).toBeGreaterThan(failing.length - 1);
    const leaks = lines.filter((line) => line.includes(MARK));
    expect(leaks).toEqual([]);
  });

  it('keeps statements and their values out of a database error logged at the logger', async () => {
    const captured: string[] = [];
    const log = createLogger('info', { write: (line: string) => captured.push(line) });
    const hash = marked('$argon2id$v=19$m=19456');
    let error: unknown;
    try {
      // A real unique violation from PostgreSQL, with a value in the statement and in the database's detail.
      await t.orm.em
        .getConnection()
        .execute(
          'insert into users (id, organization_id, email, name, role, password_hash) select gen_random_uuid(), organization_id, email, ?, role, ? from users where id = ?',
          [marked('name'), hash, org.owner.id],
        );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeDefined();
    log.error(
      { err: error, sql: `select '${MARK}'`, input: { password: MARK }, error: String((error as Error).message) },
      'internal error',
    );
    expect(captured).toHaveLength(1);
    expect(captured[0]).not.toContain(MARK);
    expect(JSON.parse(captured[0]).err).toMatchObject({
      code: '23505',
      message: expect.stringMatching(/SQLSTATE 23505/),
    });
  });
});
