import { createHash } from 'node:crypto';
import { TEST_JWT_SECRET, TestApp, startTestApp } from '../support/app';
import { TEST_DATABASE_ENV } from '../support/database';
import { ServerProcess, startServer, stopServer } from '../support/server-process';
import { gqlRaw, rest } from '../support/client';
import { PASSWORD, SeedOrg, seedOrg } from '../support/seed';

/**
 * API tokens (argus_pat_…): shown once, stored hashed, accepted on /graphql and /api/v1, with expiry, immediate
 * revocation in every process, the role ceiling, per-token rate limits, audit attribution and tenancy.
 */
let t: TestApp;
/** Another process (`node dist/main.js`) on the same database. */
let other: ServerProcess;
let org: SeedOrg;

beforeAll(async () => {
  [t, other] = await Promise.all([
    startTestApp(),
    startServer({
      DATABASE_URL: process.env[TEST_DATABASE_ENV],
      ARGUS_JWT_SECRET: TEST_JWT_SECRET,
      ARGUS_DEMO_DATA: 'false',
      ARGUS_WEBHOOK_POLL_MS: '0',
      ARGUS_SLA_CHECK_INTERVAL_SECONDS: '0',
      ARGUS_EMBEDDING_JOB_INTERVAL_SECONDS: '0',
      ARGUS_RATE_LIMIT_PER_USER: '0',
      ARGUS_RATE_LIMIT_PER_IP: '0',
      LOG_LEVEL: 'warn',
    }),
  ]);
  org = await seedOrg(t.url);
}, 120_000);
afterAll(async () => {
  if (other) await stopServer(other.child);
  await t.close();
});

async function createToken(token: string, body: Record<string, unknown>) {
  return rest(t.url, 'POST', '/api-tokens', { token, body });
}

test('the token is shown once, stored as a hash only, and works as a bearer on both surfaces', async () => {
  const created = await createToken(org.owner.token, { name: 'deploy script' });
  expect(created.status).toBe(201);
  const token: string = created.body.token;
  expect(token).toMatch(/^argus_pat_[A-Za-z0-9_-]{43}$/);
  expect(created.body).toMatchObject({
    name: 'deploy script',
    kind: 'personal',
    role: 'owner',
    user_id: org.owner.id,
    expires_at: null,
    last_used_at: null,
    token_prefix: token.slice(0, 14),
  });
  const read = await rest(t.url, 'GET', `/api-tokens/${created.body.id}`, { token: org.owner.token });
  expect(read.body.token).toBeNull();
  const list = await rest(t.url, 'GET', '/api-tokens', { token: org.owner.token });
  expect(list.body.items.every((i: any) => i.token === null)).toBe(true);
  const [row] = await t.orm.em
    .fork()
    .getConnection()
    .execute('select * from api_tokens where id = ?', [created.body.id]);
  expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
  expect(JSON.stringify(row)).not.toContain(token);

  expect((await rest(t.url, 'GET', '/incidents', { token })).status).toBe(200);
  const gql = await gqlRaw(t.url, { query: '{ me { id email } }' }, token);
  expect(gql.data.me.id).toBe(org.owner.id);
  const used = await rest(t.url, 'GET', `/api-tokens/${created.body.id}`, { token: org.owner.token });
  expect(used.body.last_used_at).toBeTruthy();
  expect(used.body.last_used_ip).toBe('127.0.0.1');
});

test('a create retried with the same Idempotency-Key answers the same token once more, and makes no second token', async () => {
  const key = `idem-${Date.now()}`;
  const first = await rest(t.url, 'POST', '/api-tokens', {
    token: org.owner.token,
    body: { name: 'retried' },
    headers: { 'idempotency-key': key },
  });
  const again = await rest(t.url, 'POST', '/api-tokens', {
    token: org.owner.token,
    body: { name: 'retried' },
    headers: { 'idempotency-key': key },
  });
  expect(first.status).toBe(201);
  expect([again.status, again.body.id, again.body.token]).toEqual([201, first.body.id, first.body.token]);
  const [row] = await t.orm.em
    .fork()
    .getConnection()
    .execute<Array<{ n: string }>>("select count(*) as n from api_tokens where name = 'retried' and user_id = ?", [
      org.owner.id,
    ]);
  expect(Number(row.n)).toBe(1);
});

test('every use that changes something is attributed to the token in the audit log', async () => {
  const created = await createToken(org.owner.token, { name: 'audited', role: 'responder' });
  const incident = await rest(t.url, 'POST', '/incidents', {
    token: created.body.token,
    body: { title: 'From a script', severity: 'P3' },
  });
  expect(incident.status).toBe(201);
  const refused = await rest(t.url, 'POST', '/teams', { token: created.body.token, body: { name: 'Not allowed' } });
  expect(refused.status).toBe(403);
  const audit = await rest(t.url, 'GET', `/audit-events/?api_token_id=${created.body.id}`, { token: org.owner.token });
  expect(audit.body.items.map((e: any) => [e.action, e.outcome, e.actor_id, e.api_token_id])).toEqual([
    ['createTeam', 'failure', org.owner.id, created.body.id],
    ['createIncident', 'success', org.owner.id, created.body.id],
  ]);
});

test('the role ceiling: a personal token is never above its user, service tokens are for admins', async () => {
  const responder = await org.user('responder');
  const tooHigh = await createToken(responder.token, { name: 'x', role: 'admin' });
  expect(tooHigh.status).toBe(403);
  expect((await createToken(responder.token, { name: 'x', kind: 'service', role: 'viewer' })).status).toBe(403);
  const own = await createToken(responder.token, { name: 'mine' });
  expect(own.body.role).toBe('responder');
  const viewerToken = await createToken(responder.token, { name: 'read only', role: 'viewer' });
  expect(
    (await rest(t.url, 'POST', '/incidents', { token: viewerToken.body.token, body: { title: 'no', severity: 'P3' } }))
      .status,
  ).toBe(403);
  // Demoting the user demotes the personal token.
  await rest(t.url, 'PATCH', `/users/${responder.id}`, { token: org.owner.token, body: { role: 'viewer' } });
  expect(
    (await rest(t.url, 'POST', '/incidents', { token: own.body.token, body: { title: 'no', severity: 'P3' } })).status,
  ).toBe(403);
  // Service tokens: an admin chooses the role (never owner); a token cannot mint tokens.
  const admin = await org.user('admin');
  expect((await createToken(admin.token, { name: 'svc', kind: 'service' })).status).toBe(400);
  expect((await createToken(admin.token, { name: 'svc', kind: 'service', role: 'owner' })).status).toBe(400);
  const service = await createToken(admin.token, { name: 'svc', kind: 'service', role: 'responder' });
  expect(service.status).toBe(201);
  expect(
    (
      await rest(t.url, 'POST', '/incidents', {
        token: service.body.token,
        body: { title: 'from a service', severity: 'P3' },
      })
    ).status,
  ).toBe(201);
  expect((await createToken(service.body.token, { name: 'minted' })).status).toBe(403);
  // Lists: admins see every token, others their own personal ones.
  const relogged = await rest(t.url, 'POST', '/auth/login', { body: { email: responder.email, password: PASSWORD } });
  const seen = await rest(t.url, 'GET', '/api-tokens?limit=100', { token: relogged.body.access_token });
  expect(seen.body.items.map((i: any) => i.id).sort()).toEqual([own.body.id, viewerToken.body.id].sort());
  expect(
    (await rest(t.url, 'GET', `/api-tokens/${service.body.id}`, { token: relogged.body.access_token })).status,
  ).toBe(404);
  const all = await rest(t.url, 'GET', '/api-tokens?kind=service', { token: admin.token });
  expect(all.body.items.map((i: any) => i.id)).toContain(service.body.id);
});

test('expiry: a past expiry is refused at creation; an expired token is refused', async () => {
  expect((await createToken(org.owner.token, { name: 'x', expires_at: '2020-01-01T00:00:00Z' })).status).toBe(400);
  const created = await createToken(org.owner.token, {
    name: 'short',
    expires_at: new Date(Date.now() + 3600_000).toISOString(),
  });
  expect((await rest(t.url, 'GET', '/incidents', { token: created.body.token })).status).toBe(200);
  await t.orm.em
    .fork()
    .getConnection()
    .execute("update api_tokens set expires_at = now() - interval '1 second' where id = ?", [created.body.id]);
  const expired = await rest(t.url, 'GET', '/incidents', { token: created.body.token });
  expect(expired.status).toBe(401);
  expect(expired.body.error.message).toMatch(/expired/);
});

test("revocation is effective at once in this process and another; a disabled user's tokens stop", async () => {
  const created = await createToken(org.owner.token, { name: 'to revoke' });
  const token = created.body.token;
  expect((await rest(other.url, 'GET', '/incidents', { token })).status).toBe(200);
  const revoked = await gqlRaw(
    t.url,
    { query: 'mutation($id: UUID!) { deleteApiToken(id: $id) }', variables: { id: created.body.id } },
    org.owner.token,
  );
  expect(revoked.data.deleteApiToken).toBe(true);
  expect((await rest(other.url, 'GET', '/incidents', { token })).status).toBe(401);
  expect((await rest(t.url, 'GET', '/incidents', { token })).status).toBe(401);
  const gql = await gqlRaw(other.url, { query: '{ me { id } }' }, token);
  expect(gql.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

  const member = await org.user('responder');
  const memberToken = await createToken(member.token, { name: 'member' });
  await rest(t.url, 'PATCH', `/users/${member.id}`, { token: org.owner.token, body: { disabled: true } });
  expect((await rest(other.url, 'GET', '/incidents', { token: memberToken.body.token })).status).toBe(401);
  expect((await rest(t.url, 'GET', '/incidents', { token: member.token })).status).toBe(401);
  expect((await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: member.refreshToken } })).status).toBe(
    401,
  );
});

test('malformed and unknown tokens are 401, never 500', async () => {
  for (const token of [
    'argus_pat_',
    'argus_pat_short',
    `argus_pat_${'a'.repeat(43)}`,
    `argus_pat_${'a'.repeat(500)}`,
    'argus_pat_\u00e9\u00e9',
  ]) {
    const res = await rest(t.url, 'GET', '/incidents', { token });
    expect({ token: token.slice(0, 20), status: res.status, code: res.body.error.code }).toEqual({
      token: token.slice(0, 20),
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  }
  expect((await createToken(org.owner.token, { name: '' })).status).toBe(400);
  expect((await createToken(org.owner.token, { name: 'x', kind: 'robot' })).status).toBe(400);
});

test('tenancy: another organization cannot read, rename or revoke a token (REST and GraphQL)', async () => {
  const created = await createToken(org.owner.token, { name: 'ours' });
  const stranger = await seedOrg(t.url);
  expect((await rest(t.url, 'GET', `/api-tokens/${created.body.id}`, { token: stranger.owner.token })).status).toBe(
    404,
  );
  expect(
    (
      await rest(t.url, 'PATCH', `/api-tokens/${created.body.id}`, {
        token: stranger.owner.token,
        body: { name: 'theirs' },
      })
    ).status,
  ).toBe(404);
  expect((await rest(t.url, 'DELETE', `/api-tokens/${created.body.id}`, { token: stranger.owner.token })).status).toBe(
    404,
  );
  expect((await rest(t.url, 'GET', '/api-tokens', { token: stranger.owner.token })).body.items).toEqual([]);
  const gql = await gqlRaw(
    t.url,
    { query: 'mutation($id: UUID!) { deleteApiToken(id: $id) }', variables: { id: created.body.id } },
    stranger.owner.token,
  );
  expect(gql.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  expect((await rest(t.url, 'GET', '/incidents', { token: created.body.token })).status).toBe(200);
  // A token reads only its own organization.
  const theirs = await stranger.incident();
  expect((await rest(t.url, 'GET', `/incidents/${theirs.id}`, { token: created.body.token })).status).toBe(404);
});

test('rate limits count per token', async () => {
  const limited = await startTestApp({ ARGUS_RATE_LIMIT_PER_USER: '3', ARGUS_RATE_LIMIT_PER_IP: '1000' });
  try {
    const a = await createToken(org.owner.token, { name: 'a' });
    const b = await createToken(org.owner.token, { name: 'b' });
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await rest(limited.url, 'GET', '/incidents', { token: a.body.token })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const other = await rest(limited.url, 'GET', '/incidents', { token: b.body.token });
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-limit')).toBe('3');
  } finally {
    await limited.close();
  }
});
