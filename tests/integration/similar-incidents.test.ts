import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';
import { SimilarIncidentsDocument } from '../support/generated/graphql';
import { forkForOrganization } from '../../src/db/tenancy';
import { Incident } from '../../src/modules/incidents/incident.entity';
import { LEXICAL_MODEL_NAME } from '../../src/ai/models/lexical-model';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const HOUR = 3600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

const similar = (org: SeedOrg, id: string, query = '', token = org.owner.token) =>
  rest(t.url, 'GET', `/ai/similar-incidents/${id}${query}`, { token });

const organizationOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).org;

/** A few incidents on distinct topics, all well in the past so that time plays no part. */
async function pastIncidents(org: SeedOrg) {
  const old = ago(90 * 24 * HOUR);
  return {
    git: await org.incident({
      title: 'Git push operations failing with 500 errors',
      description: 'Pushes over HTTPS return 500 for some repositories',
      started_at: old,
    }),
    git2: await org.incident({
      title: 'Git pushes failing with errors for repositories',
      description: 'HTTPS pushes return 500 errors',
      started_at: ago(60 * 24 * HOUR),
    }),
    pages: await org.incident({
      title: 'Pages builds delayed',
      description: 'Pages sites are not being rebuilt after pushes',
      started_at: ago(80 * 24 * HOUR),
    }),
    cert: await org.incident({
      title: 'TLS certificate expired on the status page',
      description: 'Browsers warn about an expired certificate',
      started_at: ago(70 * 24 * HOUR),
    }),
    db: await org.incident({
      title: 'Database replica lag in us-east',
      description: 'Replication lag on the primary cluster',
      started_at: ago(50 * 24 * HOUR),
    }),
  };
}

describe('GET /ai/similar-incidents/:id', () => {
  it('answers the documented shape, best first, never the incident itself, with the model', async () => {
    const org = await seedOrg(t.url);
    const { git, git2 } = await pastIncidents(org);
    const res = await similar(org, git.key);
    expect(res.status).toBe(200);
    expect(res.body.model).toBe(LEXICAL_MODEL_NAME);
    const matches = res.body.matches as Array<Record<string, unknown>>;
    expect(matches.length).toBeGreaterThan(0);
    for (const m of matches) {
      expect(Object.keys(m).sort()).toEqual(['incident_id', 'relation', 'score', 'severity', 'status', 'title']);
      expect(m.incident_id).toMatch(/^INC-\d+$/);
      expect(m.score).toBeGreaterThanOrEqual(0);
      expect(m.score).toBeLessThanOrEqual(1);
      expect(['possible_duplicate', 'similar']).toContain(m.relation);
    }
    expect(matches.map((m) => m.incident_id)).not.toContain(git.key);
    const scores = matches.map((m) => m.score as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(matches[0]).toMatchObject({
      incident_id: git2.key,
      title: git2.title,
      severity: git2.severity,
      relation: 'similar',
    });
    expect(matches[0].score as number).toBeGreaterThan(scores[scores.length - 1]);
    // By id as well as by key.
    expect((await similar(org, git.id)).body).toEqual(res.body);
  });

  it('marks incidents that started close in time as possible duplicates, and old look-alikes as similar', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service();
    const old = await org.incident({
      title: 'Webhooks delivery delayed',
      description: 'Webhook deliveries are queued',
      service_id: service.id,
      started_at: ago(40 * 24 * HOUR),
    });
    const now = await org.incident({ title: 'Webhooks delivery delayed for some customers', service_id: service.id });
    const concurrent = await org.incident({
      title: 'Elevated error rates for API requests',
      started_at: ago(0.5 * HOUR),
    });
    const res = await similar(org, now.key);
    const byKey = new Map(
      (res.body.matches as Array<{ incident_id: string; relation: string; score: number }>).map((m) => [
        m.incident_id,
        m,
      ]),
    );
    expect(byKey.get(old.key)?.relation).toBe('similar');
    expect(byKey.get(concurrent.key)?.relation).toBe('possible_duplicate');
    expect(byKey.get(concurrent.key)!.score).toBeGreaterThan(0.4);
  });

  it('honours limit and min_score, and refuses values out of range', async () => {
    const org = await seedOrg(t.url);
    const { git } = await pastIncidents(org);
    const all = (await similar(org, git.key)).body.matches as Array<{ score: number; incident_id: string }>;
    expect(all.length).toBeGreaterThan(1);
    const one = await similar(org, git.key, '?limit=1');
    expect(one.status).toBe(200);
    expect(one.body.matches).toEqual([all[0]]);
    const threshold = (all[0].score + all[all.length - 1].score) / 2;
    const above = await similar(org, git.key, `?min_score=${threshold}`);
    expect(above.body.matches.length).toBeGreaterThan(0);
    expect(above.body.matches).toEqual(all.filter((m) => m.score >= threshold));
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=51', 'limit'],
      ['?limit=two', 'limit'],
      ['?min_score=1.5', 'min_score'],
      ['?min_score=-0.1', 'min_score'],
      ['?min_score=high', 'min_score'],
      ['?top=3', 'top'],
    ]) {
      const res = await similar(org, git.key, query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details?.[0]?.field).toBe(field);
    }
  });

  it('is 404 for an unknown incident and 400 for a malformed id', async () => {
    const org = await seedOrg(t.url);
    await org.incident();
    expect((await similar(org, 'INC-999')).status).toBe(404);
    expect((await similar(org, randomUUID())).status).toBe(404);
    for (const bad of ['not-an-id', 'PRB-1', '12345']) {
      const res = await similar(org, bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('is open to viewers and closed to anonymous callers', async () => {
    const org = await seedOrg(t.url);
    const { git } = await pastIncidents(org);
    const viewer = await org.user('viewer');
    const res = await similar(org, git.key, '', viewer.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual((await similar(org, git.key)).body);
    expect((await rest(t.url, 'GET', `/ai/similar-incidents/${git.key}`)).status).toBe(401);
  });

  it("never shows another organization's incidents, even identical ones", async () => {
    const org = await seedOrg(t.url);
    const other = await seedOrg(t.url);
    const body = {
      title: 'Checkout API returning 503 for card payments',
      description: 'Card payments fail at checkout with 503',
    };
    const query = await org.incident(body);
    const unrelated = await org.incident({ title: 'Checkout search slow', started_at: ago(30 * 24 * HOUR) });
    for (let i = 0; i < 3; i++)
      await other.incident({ title: `Checkout filler ${i}`, started_at: ago(30 * 24 * HOUR) });
    const twin = await other.incident(body);
    expect(twin.key).toBe('INC-4');
    const res = await similar(org, query.key);
    expect(res.status).toBe(200);
    expect(res.body.matches.map((m: { incident_id: string }) => m.incident_id)).toEqual([unrelated.key]);
    // And the other way round: the twin's neighbours are its own organization's.
    const theirs = await similar(other, twin.key);
    expect(theirs.body.matches.map((m: { title: string }) => m.title).sort()).toEqual([
      'Checkout filler 0',
      'Checkout filler 1',
      'Checkout filler 2',
    ]);
    // Asking about another organization's incident by id is a 404.
    expect((await similar(org, twin.id)).status).toBe(404);
  });

  it('serves the same data through GraphQL', async () => {
    const org = await seedOrg(t.url);
    const { git } = await pastIncidents(org);
    const restAnswer = (await similar(org, git.key, '?limit=3&min_score=0.01')).body;
    const res = await gql(t.url, SimilarIncidentsDocument, { id: git.key, limit: 3, minScore: 0.01 }, org.owner.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.similarIncidents.model).toBe(LEXICAL_MODEL_NAME);
    expect(res.data!.similarIncidents.matches).toEqual(
      restAnswer.matches.map((m: Record<string, unknown>) => ({
        incidentId: m.incident_id,
        score: m.score,
        title: m.title,
        severity: m.severity,
        relation: m.relation,
      })),
    );
    const bad = await gql(t.url, SimilarIncidentsDocument, { id: git.key, limit: 100 }, org.owner.token);
    expect(errorCode(bad)).toBe('VALIDATION_FAILED');
    const missing = await gql(t.url, SimilarIncidentsDocument, { id: 'INC-4242' }, org.owner.token);
    expect(errorCode(missing)).toBe('NOT_FOUND');
  });
});

describe('keeping the index in step', () => {
  it('follows creates, text updates and deletes', async () => {
    const org = await seedOrg(t.url);
    const { cert, db } = await pastIncidents(org);
    const keys = async () =>
      ((await similar(org, cert.key)).body.matches as Array<{ incident_id: string }>).map((m) => m.incident_id);
    expect((await keys())[0]).not.toBe(db.key);
    // The database incident is rewritten to be about the certificate: it becomes the best match.
    const patched = await rest(t.url, 'PATCH', `/incidents/${db.key}`, {
      token: org.owner.token,
      body: {
        title: 'TLS certificate expired on the status page again',
        description: 'Browsers warn about an expired TLS certificate',
      },
    });
    expect(patched.status).toBe(200);
    expect((await keys())[0]).toBe(db.key);
    // A change that does not touch the text leaves the ranking as it was; the match shows the status now.
    const before = (await similar(org, cert.key)).body;
    await rest(t.url, 'PATCH', `/incidents/${db.key}`, { token: org.owner.token, body: { status: 'acknowledged' } });
    const after = (await similar(org, cert.key)).body;
    const withoutStatus = (answer: any) => ({
      ...answer,
      matches: answer.matches.map(({ status: _status, ...m }: any) => m),
    });
    expect(withoutStatus(after)).toEqual(withoutStatus(before));
    expect(after.matches.find((m: any) => m.incident_id === db.key).status).toBe('acknowledged');
    // A new incident is found at once.
    const fresh = await org.incident({
      title: 'Expired TLS certificate on the status page',
      description: 'Certificate expired',
      started_at: ago(20 * 24 * HOUR),
    });
    expect((await keys()).slice(0, 2).sort()).toEqual([db.key, fresh.key].sort());
    // Deleted incidents are gone.
    expect((await rest(t.url, 'DELETE', `/incidents/${db.key}`, { token: org.owner.token })).status).toBe(204);
    expect(await keys()).not.toContain(db.key);
    expect((await similar(org, db.key)).status).toBe(404);
  });

  it('follows a change of service', async () => {
    const org = await seedOrg(t.url);
    const checkout = await org.service({ name: 'Checkout' });
    const search = await org.service({ name: 'Search' });
    const body = {
      title: 'Elevated error rates',
      description: 'Requests fail with 502',
      started_at: ago(40 * 24 * HOUR),
    };
    const query = await org.incident({ ...body, service_id: checkout.id });
    const moving = await org.incident({ ...body, service_id: search.id });
    const scoreOf = async () =>
      ((await similar(org, query.key)).body.matches as Array<{ incident_id: string; score: number }>).find(
        (m) => m.incident_id === moving.key,
      )!.score;
    const before = await scoreOf();
    expect(
      (
        await rest(t.url, 'PATCH', `/incidents/${moving.key}`, {
          token: org.owner.token,
          body: { service_id: checkout.id },
        })
      ).status,
    ).toBe(200);
    const after = await scoreOf();
    expect(after).toBeGreaterThan(before);
    expect(after).toBe(1); // same words, same service
  });

  it('does not move ahead of a transaction that rolls back', async () => {
    const org = await seedOrg(t.url);
    const { cert } = await pastIncidents(org);
    const organizationId = organizationOf(org.owner.token);
    const service = t.app.services.similarIncidents;
    const index = await service.indexFor(organizationId);
    const vectorOf = (id: string) => Array.from(index.get(id)!.sparse.idx);
    const entry = vectorOf(cert.id);
    expect(entry.length).toBeGreaterThan(0);
    const rewrite = (tem: EntityManager) => async () => {
      const incident = await tem.findOneOrFail(Incident, { id: cert.id });
      incident.title = 'Completely different words about quarterly billing exports';
      await service.recordIncident(tem, organizationId, incident, false);
    };
    const em = forkForOrganization(t.orm.em as EntityManager, organizationId);
    await expect(
      em.transactional(async (tem) => {
        await rewrite(tem as EntityManager)();
        expect(vectorOf(cert.id)).toEqual(entry); // not before the commit
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(vectorOf(cert.id)).toEqual(entry);
    await em.fork().transactional(async (tem) => rewrite(tem as EntityManager)());
    expect(vectorOf(cert.id)).not.toEqual(entry);
  });

  it('answers the same after a restart, rebuilt from the database', async () => {
    const org = await seedOrg(t.url);
    const { git, cert, pages } = await pastIncidents(org);
    await rest(t.url, 'PATCH', `/incidents/${pages.key}`, {
      token: org.owner.token,
      body: { title: 'Git push failures on Pages sites' },
    });
    await rest(t.url, 'DELETE', `/incidents/${cert.key}`, { token: org.owner.token });
    const first = (await similar(org, git.key)).body;
    expect(first.matches.map((m: { incident_id: string }) => m.incident_id)).not.toContain(cert.key);
    const second = await startTestApp();
    try {
      const again = await rest(second.url, 'GET', `/ai/similar-incidents/${git.key}`, { token: org.owner.token });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first);
    } finally {
      await second.close();
    }
  });

  it('rebuilds stale or missing embeddings from the incidents', async () => {
    const org = await seedOrg(t.url);
    const { git } = await pastIncidents(org);
    const first = (await similar(org, git.key)).body;
    const organizationId = organizationOf(org.owner.token);
    // As after a model change or for incidents older than the feature: rows of another model, and none at all.
    const connection = t.orm.em.getConnection();
    await connection.execute(
      `update incident_embeddings set model = 'older-model' where organization_id = ? and incident_id <> ?`,
      [organizationId, git.id],
    );
    await connection.execute(`delete from incident_embeddings where incident_id = ?`, [git.id]);
    const second = await startTestApp();
    try {
      const again = await rest(second.url, 'GET', `/ai/similar-incidents/${git.key}`, { token: org.owner.token });
      expect(again.body).toEqual(first);
      const rows = await connection.execute<Array<{ model: string }>>(
        `select model from incident_embeddings where organization_id = ?`,
        [organizationId],
      );
      expect(rows.map((r) => r.model)).toEqual(Array(5).fill(LEXICAL_MODEL_NAME));
    } finally {
      await second.close();
    }
  });

  it('answers while a restarted process is still filling the index graph, and the same once it is filled', async () => {
    const org = await seedOrg(t.url);
    const { git, cert } = await pastIncidents(org);
    for (let i = 0; i < 20; i++) {
      await org.incident({
        title: `Webhook deliveries delayed on host hooks-${i}`,
        description: `Queue backlog ${i}`,
        started_at: ago((100 + i) * 24 * HOUR),
      });
    }
    const organizationId = organizationOf(org.owner.token);
    const before = [(await similar(org, git.key)).body, (await similar(org, cert.key)).body];
    const second = await startTestApp();
    try {
      const service = second.app.services.similarIncidents;
      service.fillOptions = { sliceMs: 0, pauseMs: 150 }; // one incident into the graph every 150 ms: about 4 s for 25
      const ask = (key: string) => rest(second.url, 'GET', `/ai/similar-incidents/${key}`, { token: org.owner.token });
      const first = await ask(git.key);
      expect(first.status).toBe(200);
      expect(service.indexState(organizationId)).toMatchObject({ size: 25 });
      expect(service.indexState(organizationId)!.pending).toBeGreaterThan(15);
      const health = Date.now();
      expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
      expect(Date.now() - health).toBeLessThan(1000);
      const during = (await ask(cert.key)).body;
      expect(service.indexState(organizationId)!.pending).toBeGreaterThan(0);
      expect([first.body, during]).toEqual(before);
      const deadline = Date.now() + 20_000;
      while (service.indexState(organizationId)!.pending > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(service.indexState(organizationId)!.pending).toBe(0);
      expect([(await ask(git.key)).body, (await ask(cert.key)).body]).toEqual(before);
    } finally {
      await second.close();
    }
  });

  it('indexes incidents opened by inbound alerts', async () => {
    const org = await seedOrg(t.url);
    const { git } = await pastIncidents(org);
    await similar(org, git.key); // the index is loaded before the alert arrives
    const source = await org.webhookSource({ kind: 'generic', verification: 'bearer' });
    const res = await fetch(`${t.url}/api/v1/webhook-sources/${source.id}/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${source.bearer_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Git push operations failing with 500 errors again',
        severity: 'critical',
        dedup_key: 'git-500',
      }),
    });
    expect(res.status).toBe(202);
    const opened = ((await res.json()) as { incidents: Array<{ key: string }> }).incidents[0].key;
    const matches = (await similar(org, git.key)).body.matches as Array<{ incident_id: string }>;
    expect(matches[0].incident_id).toBe(opened);
  });
});
