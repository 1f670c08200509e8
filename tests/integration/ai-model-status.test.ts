import { TestApp, startTestApp } from '../support/app';
import { errorCode, gqlRaw, rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t.close();
});

const STATUS_QUERY =
  '{ modelStatus { model trainedAt historySize trainedOn examplesPerSeverity { p1 p2 p3 p4 } refitPending similarIndexSize similarIndexLoaded } }';

function rows(from: number, count: number, severity: string, title: string) {
  return Array.from({ length: count }, (_, i) => ({
    external_id: `H-${from + i}`,
    title: `${title} ${from + i}`,
    severity,
    started_at: new Date(Date.UTC(2025, 0, 1) + (from + i) * 3_600_000).toISOString(),
    resolved_at: new Date(Date.UTC(2025, 0, 1) + (from + i) * 3_600_000 + 600_000).toISOString(),
  }));
}

const importRows = (org: SeedOrg, body: unknown) =>
  rest(t.url, 'POST', '/incidents/import', { token: org.owner.token, body });

describe('GET /ai/model-status', () => {
  it("shows the organization's model: examples per severity, when fitted, the index size, and a pending refit after new history", async () => {
    const none = await seedOrg(t.url);
    const empty = await rest(t.url, 'GET', '/ai/model-status', { token: none.owner.token });
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({
      model: 'argus-severity-v1',
      history_size: 0,
      examples_per_severity: { p1: 0, p2: 0, p3: 0, p4: 0 },
      refit_pending: false,
      similar_index_size: 0,
    });

    const org = await seedOrg(t.url);
    expect(
      (
        await importRows(org, [
          ...rows(0, 6, 'P1', 'Ledger consumers stalled'),
          ...rows(6, 4, 'P4', 'Footer misaligned'),
        ])
      ).status,
    ).toBe(201);
    const trained = await rest(t.url, 'GET', '/ai/model-status', { token: org.owner.token });
    expect(trained.body).toMatchObject({
      history_size: 10,
      trained_on: 10,
      examples_per_severity: { p1: 6, p2: 0, p3: 0, p4: 4 },
      refit_pending: false,
      similar_index_size: 10,
    });
    expect(Date.parse(trained.body.trained_at)).not.toBeNaN();
    const fresh = await rest(t.url, 'POST', '/ai/classify', {
      token: org.owner.token,
      body: { title: 'Ledger consumers stalled again' },
    });
    expect(fresh.body.refit_pending).toBe(false);

    // New history: the neighbours see it at once; the regression waits for its refit, and both answers say so.
    expect((await importRows(org, rows(10, 3, 'P2', 'Search latency high'))).status).toBe(201);
    const pending = await rest(t.url, 'GET', '/ai/model-status', { token: org.owner.token });
    expect(pending.body).toMatchObject({
      history_size: 13,
      trained_on: 10,
      examples_per_severity: { p1: 6, p2: 3, p3: 0, p4: 4 },
      refit_pending: true,
      similar_index_size: 13,
    });
    expect(pending.body.trained_at).toBe(trained.body.trained_at);
    const answer = await rest(t.url, 'POST', '/ai/classify', {
      token: org.owner.token,
      body: { title: 'Search latency high again' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.refit_pending).toBe(true);
  });

  it("answers the same through GraphQL, for every role, and only about the caller's organization", async () => {
    const org = await seedOrg(t.url);
    expect((await importRows(org, rows(0, 3, 'P3', 'Queue backlog'))).status).toBe(201);
    const viewer = await org.user('viewer');
    const viaRest = await rest(t.url, 'GET', '/ai/model-status', { token: viewer.token });
    const viaGraphQL = await gqlRaw(t.url, { query: STATUS_QUERY }, viewer.token);
    expect(viaGraphQL.errors).toBeUndefined();
    expect(viaGraphQL.data.modelStatus).toMatchObject({
      historySize: viaRest.body.history_size,
      examplesPerSeverity: { p1: 0, p2: 0, p3: 3, p4: 0 },
      refitPending: viaRest.body.refit_pending,
      similarIndexSize: 3,
    });
    const other = await seedOrg(t.url);
    const foreign = await rest(t.url, 'GET', '/ai/model-status', { token: other.owner.token });
    expect(foreign.body).toMatchObject({ history_size: 0, similar_index_size: 0 });
    expect(errorCode(await gqlRaw(t.url, { query: STATUS_QUERY }))).toBe('UNAUTHENTICATED');
    const classify = await gqlRaw(
      t.url,
      { query: '{ classifyIncident(input: {title: "Queue backlog growing"}) { severity refitPending } }' },
      viewer.token,
    );
    expect(classify.data.classifyIncident.refitPending).toBe(false);
  });
});
