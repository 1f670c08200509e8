import { TestApp, startTestApp } from '../support/app';
import { gql, rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';
import { EmbeddingBehaviour, FakeOpenAi } from '../support/fake-openai';
import { EmbeddingStatusDocument } from '../support/generated/graphql';

let fake: FakeOpenAi;
const apps: TestApp[] = [];

/** A server process configured with an OpenAI-compatible embedding model (chat stays embedded), batches of 3. */
async function serverWith(embeddingModel: string, env: Record<string, string> = {}): Promise<TestApp> {
  const app = await startTestApp({
    ARGUS_AI_PROVIDER: 'openai',
    ARGUS_AI_BASE_URL: fake.url,
    ARGUS_AI_CHAT_MODEL: 'local',
    ARGUS_AI_EMBEDDING_MODEL: embeddingModel,
    ARGUS_AI_TIMEOUT_MS: '1500',
    ARGUS_EMBEDDING_BATCH_SIZE: '3',
    ...env,
  });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  fake = await new FakeOpenAi().start();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await fake.stop();
});
beforeEach(() => fake.reset());

const status = async (app: TestApp, org: SeedOrg) => {
  const res = await rest(app.url, 'GET', '/ai/embedding-status', { token: org.owner.token });
  expect(res.status).toBe(200);
  return res.body;
};

async function organizationOf(app: TestApp, org: SeedOrg): Promise<string> {
  const [row] = await app.orm.em
    .getConnection()
    .execute('select organization_id from users where id = ?', [org.owner.id]);
  return row.organization_id;
}

async function rows(app: TestApp, organizationId: string) {
  return app.orm.em
    .getConnection()
    .execute<Array<{ model: string; vector_model: string | null; vector: Buffer | null }>>(
      'select model, vector_model, vector from incident_embeddings where organization_id = ?',
      [organizationId],
    );
}

async function orgWithIncidents(app: TestApp, n: number) {
  const org = await seedOrg(app.url);
  const incidents = [];
  for (let i = 0; i < n; i++)
    incidents.push(await org.incident({ title: `Replica lag on db-${i} in eu-west`, description: 'Reads are stale' }));
  return { org, incidents, organizationId: await organizationOf(app, org) };
}

describe('re-embedding when the embedding model changes', () => {
  it('embeds in the background in batches with visible progress, resumes in another process, and follows a model change', async () => {
    const a = await serverWith('fake-embed-a');
    const { org, incidents, organizationId } = await orgWithIncidents(a, 7);
    // Creating incidents never waits for the embedding model.
    expect(fake.embeddingRequests).toHaveLength(0);
    expect(await status(a, org)).toEqual({
      model: 'fake-embed-a',
      total: 7,
      done: 0,
      state: 'pending',
      started_at: null,
      finished_at: null,
      last_error: null,
    });

    expect(await a.app.reembedJob.runOrganization(organizationId, 1)).toBe(3);
    const partway = await status(a, org);
    expect(partway).toMatchObject({
      model: 'fake-embed-a',
      total: 7,
      done: 3,
      state: 'running',
      finished_at: null,
      last_error: null,
    });
    expect(Date.parse(partway.started_at)).not.toBeNaN();
    // Similar incidents keep answering while the organization is re-embedded.
    const similar = await rest(a.url, 'GET', `/ai/similar-incidents/${incidents[0].key}`, { token: org.owner.token });
    expect(similar.status).toBe(200);
    expect(similar.body.matches.length).toBeGreaterThan(0);

    // A restart: another process, configured the same, resumes where the first left off.
    await a.close();
    apps.splice(apps.indexOf(a), 1);
    const a2 = await serverWith('fake-embed-a');
    expect(await status(a2, org)).toMatchObject({ done: 3, state: 'running', started_at: partway.started_at });
    expect(await a2.app.reembedJob.runOrganization(organizationId)).toBe(4);
    const done = await status(a2, org);
    expect(done).toMatchObject({
      model: 'fake-embed-a',
      total: 7,
      done: 7,
      state: 'done',
      started_at: partway.started_at,
      last_error: null,
    });
    expect(Date.parse(done.finished_at)).toBeGreaterThanOrEqual(Date.parse(done.started_at));
    expect(fake.embeddingRequests.map((r) => [r.model, r.input.length, r.encoding_format])).toEqual([
      ['fake-embed-a', 3, 'float'],
      ['fake-embed-a', 3, 'float'],
      ['fake-embed-a', 1, 'float'],
    ]);
    expect(new Set(fake.embeddingRequests.flatMap((r) => r.input)).size).toBe(7);
    for (const row of await rows(a2, organizationId)) {
      expect(row).toMatchObject({ model: 'argus-lexical-v1', vector_model: 'fake-embed-a' });
      expect(row.vector?.length).toBe(8 * 4);
    }
    // Nothing left to do: another run asks the model nothing.
    fake.reset();
    expect(await a2.app.reembedJob.runOrganization(organizationId)).toBe(0);
    expect(fake.embeddingRequests).toHaveLength(0);

    // The model changes: the organization is embedded again with the new one.
    const b = await serverWith('fake-embed-b');
    expect(await status(b, org)).toMatchObject({
      model: 'fake-embed-b',
      total: 7,
      done: 0,
      state: 'pending',
      started_at: null,
    });
    await b.app.reembedJob.runOrganization(organizationId, 2);
    expect(await status(b, org)).toMatchObject({ model: 'fake-embed-b', done: 6, state: 'running' });
    expect(
      (await rest(b.url, 'GET', `/ai/similar-incidents/${incidents[1].key}`, { token: org.owner.token })).status,
    ).toBe(200);
    await b.app.reembedJob.runOrganization(organizationId);
    const switched = await gql(b.url, EmbeddingStatusDocument, {}, org.owner.token);
    expect(switched.errors).toBeUndefined();
    expect(switched.data?.embeddingStatus).toMatchObject({
      model: 'fake-embed-b',
      total: 7,
      done: 7,
      state: 'done',
      lastError: null,
    });
    expect(Date.parse(switched.data!.embeddingStatus.startedAt!)).toBeGreaterThan(Date.parse(done.started_at));
    expect((await rows(b, organizationId)).map((r) => r.vector_model)).toEqual(Array(7).fill('fake-embed-b'));
  });

  it('embeds again an incident whose text changed, and a new one', async () => {
    const app = await serverWith('fake-embed-c');
    const { org, incidents, organizationId } = await orgWithIncidents(app, 2);
    await app.app.reembedJob.runOrganization(organizationId);
    expect(await status(app, org)).toMatchObject({ done: 2, state: 'done' });
    await rest(app.url, 'PATCH', `/incidents/${incidents[0].key}`, {
      token: org.owner.token,
      body: { title: 'Primary database failover' },
    });
    await org.incident({ title: 'Queue backlog' });
    expect(await status(app, org)).toMatchObject({ total: 3, done: 1, state: 'pending' });
    fake.reset();
    await app.app.reembedJob.runOrganization(organizationId);
    expect(fake.embeddingRequests.flatMap((r) => r.input).sort()).toEqual(
      ['Primary database failover Reads are stale', 'Queue backlog'].sort(),
    );
    expect(await status(app, org)).toMatchObject({ total: 3, done: 3, state: 'done' });
  });

  const FAILURES: Array<[string, EmbeddingBehaviour, string]> = [
    ['a 500', { kind: 'status', status: 500 }, 'server_error'],
    ['a 429', { kind: 'status', status: 429 }, 'rate_limited'],
    ['a timeout', { kind: 'delay', ms: 5000 }, 'timeout'],
    ['malformed JSON', { kind: 'raw', body: '{"object": "list", "data": [{"embedding": "nope"' }, 'malformed_output'],
  ];

  it.each(FAILURES)(
    'keeps answering and shows the failure on %s, then finishes when the model is back',
    async (_name, behaviour, reason) => {
      const app = await serverWith('fake-embed-d');
      const { org, incidents, organizationId } = await orgWithIncidents(app, 4);
      fake.nextEmbedding(behaviour);
      expect(await app.app.reembedJob.runOrganization(organizationId)).toBe(0);
      const failed = await status(app, org);
      expect(failed).toMatchObject({ model: 'fake-embed-d', total: 4, done: 0, state: 'failed' });
      expect(failed.last_error).toContain(reason);
      // Nothing of the fallback (embedded) model was stored as the configured model's vector.
      expect((await rows(app, organizationId)).every((r) => r.vector_model === null && r.vector === null)).toBe(true);
      const similar = await rest(app.url, 'GET', `/ai/similar-incidents/${incidents[0].key}`, {
        token: org.owner.token,
      });
      expect(similar.status).toBe(200);
      expect(similar.body.matches.length).toBe(3);

      expect(await app.app.reembedJob.runOrganization(organizationId)).toBe(4);
      expect(await status(app, org)).toMatchObject({ done: 4, state: 'done', last_error: null });
    },
  );

  it('runs once when several processes run the job at the same time', async () => {
    const x = await serverWith('fake-embed-e');
    const y = await serverWith('fake-embed-e');
    const { org, organizationId } = await orgWithIncidents(x, 6);
    fake.nextEmbedding({ kind: 'delay', ms: 300 }, { kind: 'delay', ms: 300 }, { kind: 'delay', ms: 300 });
    const [fromX, fromY] = await Promise.all([
      x.app.reembedJob.runOrganization(organizationId),
      y.app.reembedJob.runOrganization(organizationId),
    ]);
    const left = await status(y, org);
    // Whichever process got the lock did the work; the other skipped the organization rather than wait or repeat it.
    expect(fromX + fromY).toBe(left.done);
    const inputs = fake.embeddingRequests.flatMap((r) => r.input);
    expect(inputs.length).toBe(new Set(inputs).size);
    await x.app.reembedJob.runOrganization(organizationId);
    expect(await status(x, org)).toMatchObject({ total: 6, done: 6, state: 'done' });
    expect(fake.embeddingRequests.flatMap((r) => r.input)).toHaveLength(6);
  });

  it('re-embeds rows made by another embedded model (a new local model id)', async () => {
    const local = await startTestApp({ ARGUS_EMBEDDING_BATCH_SIZE: '2' });
    apps.push(local);
    const { org, organizationId } = await orgWithIncidents(local, 3);
    expect(await status(local, org)).toMatchObject({ model: 'argus-lexical-v1', total: 3, done: 3, state: 'done' });
    await local.orm.em
      .getConnection()
      .execute(`update incident_embeddings set model = 'argus-lexical-v0' where organization_id = ?`, [organizationId]);
    const indexVersion = async () =>
      Number(
        (
          await local.orm.em
            .getConnection()
            .execute(`select version from similar_index_versions where organization_id = ?`, [organizationId])
        )[0]?.version ?? 0,
      );
    const versionBefore = await indexVersion();
    expect(await status(local, org)).toMatchObject({ model: 'argus-lexical-v1', done: 0, state: 'pending' });
    await local.app.reembedJob.runOrganization(organizationId, 1);
    expect(await status(local, org)).toMatchObject({ done: 2, state: 'running' });
    // runOnce finds the organization by itself.
    await local.app.reembedJob.runOnce();
    expect(await status(local, org)).toMatchObject({ done: 3, state: 'done' });
    expect((await rows(local, organizationId)).map((r) => r.model)).toEqual(Array(3).fill('argus-lexical-v1'));
    // Each rewritten embedding is announced, so every process's index re-reads it.
    expect((await indexVersion()) - versionBefore).toBe(3);
    expect(fake.embeddingRequests).toHaveLength(0);
  });

  it('ranks similar incidents by the configured model once the incident asked about has its vector', async () => {
    const app = await serverWith('fake-embed-s');
    // A model that knows that card declines and failing payments are the same kind of trouble.
    const concept = (word: string) =>
      ['checkout', 'payments', 'failing', 'card', 'charges', 'declined'].includes(word)
        ? 0
        : ['typo', 'page', 'footer'].includes(word)
          ? 1
          : 2;
    fake.embeddingFor = (_model, text) => {
      const v = [0, 0, 0.1];
      for (const word of text.toLowerCase().split(/\W+/).filter(Boolean)) v[concept(word)] += 1;
      return v;
    };
    const org = await seedOrg(app.url);
    const day = (d: number) => `2026-10-${String(d).padStart(2, '0')}T09:00:00.000Z`;
    const asked = await org.incident({ title: 'Checkout payments failing', started_at: day(1) });
    const synonym = await org.incident({ title: 'Card charges declined', started_at: day(5) });
    const sharesAWord = await org.incident({ title: 'Checkout page typo in the footer', started_at: day(9) });
    const similar = () => rest(app.url, 'GET', `/ai/similar-incidents/${asked.key}`, { token: org.owner.token });

    const before = await similar();
    expect(before.body.model).toBe('argus-lexical-v1');
    expect(before.body.matches.map((m: { incident_id: string }) => m.incident_id)).toEqual([sharesAWord.key]);

    await app.app.reembedJob.runOrganization(await organizationOf(app, org));
    const after = await similar();
    expect(after.body.model).toBe('fake-embed-s');
    expect(after.body.matches.map((m: { incident_id: string }) => m.incident_id)).toEqual([
      synonym.key,
      sharesAWord.key,
    ]);
    expect(after.body.matches[0].score).toBeGreaterThan(0.9);
  });

  it('shows each organization only its own progress, to any role', async () => {
    const app = await serverWith('fake-embed-f');
    const { organizationId } = await orgWithIncidents(app, 2);
    await app.app.reembedJob.runOrganization(organizationId);
    const other = await seedOrg(app.url);
    const viewer = await other.user('viewer');
    const res = await rest(app.url, 'GET', '/ai/embedding-status', { token: viewer.token });
    expect(res.body).toEqual({
      model: 'fake-embed-f',
      total: 0,
      done: 0,
      state: 'done',
      started_at: null,
      finished_at: null,
      last_error: null,
    });
    expect((await rest(app.url, 'GET', '/ai/embedding-status')).status).toBe(401);
  });

  it('runs on its interval when the process is configured to', async () => {
    const timed = await startTestApp({ ARGUS_EMBEDDING_JOB_INTERVAL_SECONDS: '1' });
    apps.push(timed);
    const { org, organizationId } = await orgWithIncidents(timed, 2);
    await timed.orm.em
      .getConnection()
      .execute(`update incident_embeddings set model = 'argus-lexical-v0' where organization_id = ?`, [organizationId]);
    let seen = await status(timed, org);
    for (let i = 0; i < 100 && seen.state !== 'done'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = await status(timed, org);
    }
    expect(seen).toMatchObject({ model: 'argus-lexical-v1', total: 2, done: 2, state: 'done' });
    expect(Date.parse(seen.finished_at)).not.toBeNaN();
  });
});
