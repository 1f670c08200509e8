import { createHash, randomUUID } from 'node:crypto';
import { TestApp, startTestApp } from '../support/app';
import { errorCode, gqlRaw, rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';

let t: TestApp;
let org: SeedOrg;
beforeAll(async () => {
  t = await startTestApp();
  org = await seedOrg(t.url);
});
afterAll(() => t.close());

const post = (path: string, body: unknown, key: string | undefined, token = org.owner.token) =>
  rest(t.url, 'POST', path, { token, body, headers: key === undefined ? {} : { 'Idempotency-Key': key } });

/** How many incidents of the organization carry this title. */
async function incidentsTitled(title: string, token = org.owner.token): Promise<number> {
  const res = await rest(t.url, 'GET', `/incidents?q=${encodeURIComponent(title)}&limit=100`, { token });
  return res.body.total;
}

const CREATE_INCIDENT = `mutation($input: CreateIncidentInput!, $key: String) { createIncident(input: $input, idempotencyKey: $key) { id key title } }`;

describe('Idempotency-Key on REST creates', () => {
  it('answers a repeat with the first response and creates one incident', async () => {
    const key = randomUUID();
    const title = `Idempotent ${key}`;
    const first = await post('/incidents', { title, severity: 'P2' }, key);
    const again = await post('/incidents', { severity: 'P2', title }, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await incidentsTitled(title)).toBe(1);
  });

  it('creates two records without a key', async () => {
    const title = `Twice ${randomUUID()}`;
    expect((await post('/incidents', { title, severity: 'P3' }, undefined)).status).toBe(201);
    expect((await post('/incidents', { title, severity: 'P3' }, undefined)).status).toBe(201);
    expect(await incidentsTitled(title)).toBe(2);
  });

  it('refuses the same key with another body with 409 IDEMPOTENCY_KEY_REUSED, and creates nothing', async () => {
    const key = randomUUID();
    const title = `Reused ${key}`;
    expect((await post('/incidents', { title, severity: 'P2' }, key)).status).toBe(201);
    const other = await post('/incidents', { title, severity: 'P1' }, key);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(other.body.error.details).toEqual([{ field: 'idempotency_key', message: expect.any(String) }]);
    // The key belongs to the first request, also on another endpoint.
    const elsewhere = await post('/teams', { name: `Team ${key}` }, key);
    expect(elsewhere.status).toBe(409);
    expect(await incidentsTitled(title)).toBe(1);
  });

  it('lets simultaneous duplicates create one record, every one answered with it', async () => {
    const key = randomUUID();
    const title = `Concurrent ${key}`;
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => post('/incidents', { title, severity: 'P2' }, key)),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await incidentsTitled(title)).toBe(1);
  });

  it('lets duplicates sent to two servers on one database create one record', async () => {
    // A second application with its own connection pool and memory: only the database is shared.
    const second = await startTestApp();
    try {
      const key = randomUUID();
      const title = `Two servers ${key}`;
      const send = (url: string) =>
        rest(url, 'POST', '/incidents', {
          token: org.owner.token,
          body: { title, severity: 'P2' },
          headers: { 'Idempotency-Key': key },
        });
      const answers = await Promise.all([send(t.url), send(second.url), send(t.url), send(second.url)]);
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(await incidentsTitled(title)).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('does not remember a create that failed: the key is free again', async () => {
    const key = randomUUID();
    const title = `After failure ${key}`;
    const invalid = await post('/incidents', { title, severity: 'P9' }, key);
    expect(invalid.status).toBe(400);
    expect((await post('/incidents', { title, severity: 'P9' }, key)).status).toBe(400);
    const valid = await post('/incidents', { title, severity: 'P2' }, key);
    expect(valid.status).toBe(201);
    expect(await incidentsTitled(title)).toBe(1);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['with a space', 'my key'],
    ['with a non-ASCII character', 'clé-1'],
  ])('refuses a key that is %s with 400 and writes nothing', async (_what, key) => {
    const title = `Bad key ${randomUUID()}`;
    const res = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title, severity: 'P2' },
      headers: { 'Idempotency-Key': key },
    }).catch(() => undefined);
    // fetch itself refuses to send some header values (non-ASCII); what reaches the server must be a 400.
    if (res) {
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('idempotency_key');
    }
    expect(await incidentsTitled(title)).toBe(0);
  });

  it('keeps keys apart per caller and per organization', async () => {
    const key = randomUUID();
    const title = `Scoped ${key}`;
    const responder = await org.user('responder');
    const other = await seedOrg(t.url);
    const mine = await post('/incidents', { title, severity: 'P2' }, key);
    const colleague = await post('/incidents', { title, severity: 'P2' }, key, responder.token);
    const stranger = await post('/incidents', { title, severity: 'P2' }, key, other.owner.token);
    expect([mine.status, colleague.status, stranger.status]).toEqual([201, 201, 201]);
    expect(new Set([mine.body.id, colleague.body.id, stranger.body.id]).size).toBe(3);
    expect(await incidentsTitled(title)).toBe(2);
    expect(await incidentsTitled(title, other.owner.token)).toBe(1);
  });

  it('forgets a key after 24 hours', async () => {
    const key = randomUUID();
    const title = `Expired ${key}`;
    const first = await post('/incidents', { title, severity: 'P2' }, key);
    await t.orm.em.getConnection().execute(
      `update idempotency_keys set expires_at = now() - interval '1 second', created_at = now() - interval '24 hours 1 second'
        where user_id = ? and key_hash = ?`,
      [org.owner.id, createHash('sha256').update(key).digest('hex')],
    );
    const later = await post('/incidents', { title, severity: 'P2' }, key);
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    expect(await incidentsTitled(title)).toBe(2);
    // And the new use is remembered in its turn.
    expect((await post('/incidents', { title, severity: 'P2' }, key)).body.id).toBe(later.body.id);
  });

  it('replays a one-time secret to the same caller, and stores it only encrypted', async () => {
    const key = randomUUID();
    const body = { name: `Source ${key}`, kind: 'generic' };
    const first = await post('/webhook-sources', body, key);
    const again = await post('/webhook-sources', body, key);
    expect(first.status).toBe(201);
    expect(first.body.signing_secret).toMatch(/^whsec_/);
    expect(again.body).toEqual(first.body);
    const rule = { name: `Rule ${key}`, event_types: ['incident.created'], target_url: 'http://127.0.0.1:9/hook' };
    const ruleFirst = await post('/alert-rules', rule, key + '-rule');
    const ruleAgain = await post('/alert-rules', rule, key + '-rule');
    expect(ruleFirst.body.signing_secret).toMatch(/^whsec_/);
    expect(ruleAgain.body).toEqual(ruleFirst.body);
    const invite = { email: `invited-${key}@example.test`, name: 'Invited', role: 'viewer' };
    const inviteFirst = await post('/users', invite, key + '-user');
    const inviteAgain = await post('/users', invite, key + '-user');
    expect(inviteFirst.status).toBe(201);
    expect(inviteAgain.body).toEqual(inviteFirst.body);
    const rows = await t.orm.em
      .getConnection()
      .execute<Array<{ key_hash: string; response: Buffer }>>(
        'select key_hash, response from idempotency_keys where user_id = ?',
        [org.owner.id],
      );
    const stored = rows.map((r) => r.key_hash + r.response.toString('latin1')).join('\n');
    for (const secret of [
      first.body.signing_secret,
      ruleFirst.body.signing_secret,
      inviteFirst.body.invitation_token,
      key,
    ])
      expect(stored).not.toContain(secret);
  });

  it('makes comments (incident events) idempotent too', async () => {
    const incident = await org.incident();
    const key = randomUUID();
    const first = await post('/incident-events', { incident_id: incident.id, message: 'Rolled back' }, key);
    const again = await post('/incident-events', { incident_id: incident.id, message: 'Rolled back' }, key);
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const comments = await rest(t.url, 'GET', `/incident-events?incident_id=${incident.id}&type=comment`, {
      token: org.owner.token,
    });
    expect(comments.body.items.filter((e: { message: string }) => e.message === 'Rolled back')).toHaveLength(1);
  });

  it('replays a persisted postmortem draft instead of drafting again', async () => {
    const incident = await org.incident();
    const key = randomUUID();
    const first = await post('/ai/postmortem-draft', { incident_id: incident.id, persist: true }, key);
    const again = await post('/ai/postmortem-draft', { incident_id: incident.id, persist: true }, key);
    expect(first.status).toBe(200);
    expect(first.body.postmortem.id).toEqual(expect.any(String));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const saved = await rest(t.url, 'GET', `/postmortems?incident_id=${incident.id}`, { token: org.owner.token });
    expect(saved.body.items.map((p: { id: string; updated_at: string }) => [p.id, p.updated_at])).toEqual([
      [first.body.postmortem.id, first.body.postmortem.updated_at],
    ]);
  });

  it('documents the header on every create in the OpenAPI document', async () => {
    const doc = (await rest(t.url, 'GET', '/openapi.json')).body;
    for (const path of [
      '/api/v1/incidents',
      '/api/v1/incident-events',
      '/api/v1/webhook-sources',
      '/api/v1/users',
      '/api/v1/teams',
      '/api/v1/ai/postmortem-draft',
    ]) {
      const names = doc.paths[path].post.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
      expect([path, names]).toEqual([path, expect.arrayContaining(['header:Idempotency-Key'])]);
    }
    expect(doc.paths['/api/v1/incidents/{id}'].patch.parameters.map((p: { name: string }) => p.name)).not.toContain(
      'Idempotency-Key',
    );
  });
});

describe('idempotencyKey on GraphQL creates', () => {
  it('answers a repeat with the same record, also across REST and GraphQL', async () => {
    const key = randomUUID();
    const title = `GraphQL ${key}`;
    const first = await gqlRaw(
      t.url,
      { query: CREATE_INCIDENT, variables: { input: { title, severity: 'P3' }, key } },
      org.owner.token,
    );
    const again = await gqlRaw(
      t.url,
      { query: CREATE_INCIDENT, variables: { input: { severity: 'P3', title }, key } },
      org.owner.token,
    );
    expect(first.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    const viaRest = await post('/incidents', { title, severity: 'P3' }, key);
    expect(viaRest.status).toBe(201);
    expect(viaRest.body.id).toBe(first.data.createIncident.id);
    expect(await incidentsTitled(title)).toBe(1);
  });

  it('refuses a reused key with IDEMPOTENCY_KEY_REUSED and a bad one with VALIDATION_FAILED', async () => {
    const key = randomUUID();
    await gqlRaw(
      t.url,
      { query: CREATE_INCIDENT, variables: { input: { title: `One ${key}`, severity: 'P3' }, key } },
      org.owner.token,
    );
    const reused = await gqlRaw(
      t.url,
      { query: CREATE_INCIDENT, variables: { input: { title: `Two ${key}`, severity: 'P3' }, key } },
      org.owner.token,
    );
    expect(errorCode(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
    const bad = await gqlRaw(
      t.url,
      {
        query: CREATE_INCIDENT,
        variables: { input: { title: `Three ${key}`, severity: 'P3' }, key: 'has spaces in it' },
      },
      org.owner.token,
    );
    expect(errorCode(bad)).toBe('VALIDATION_FAILED');
    expect(bad.errors?.[0].extensions?.details?.[0].field).toBe('idempotencyKey');
    expect(await incidentsTitled(`Two ${key}`)).toBe(0);
    expect(await incidentsTitled(`Three ${key}`)).toBe(0);
  });

  it('lets simultaneous duplicates create one record', async () => {
    const key = randomUUID();
    const title = `GraphQL concurrent ${key}`;
    const answers = await Promise.all(
      [0, 1, 2].map(() =>
        gqlRaw(
          t.url,
          { query: CREATE_INCIDENT, variables: { input: { title, severity: 'P2' }, key } },
          org.owner.token,
        ),
      ),
    );
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined, undefined]);
    expect(new Set(answers.map((a) => a.data.createIncident.id)).size).toBe(1);
    expect(await incidentsTitled(title)).toBe(1);
  });
});
