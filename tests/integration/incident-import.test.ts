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

const importRows = (org: SeedOrg, body: unknown, token = org.owner.token) =>
  rest(t.url, 'POST', '/incidents/import', { token, body });
const importRaw = (org: SeedOrg, raw: string, type: string, token = org.owner.token) =>
  rest(t.url, 'POST', '/incidents/import', { token, raw, headers: { 'content-type': type } });

const ROW = {
  external_id: 'PD-1',
  title: 'Checkout API returns 502 for all users',
  description: 'Load balancer health checks failing',
  severity: 'P1',
  started_at: '2025-03-01T10:00:00Z',
  acknowledged_at: '2025-03-01T10:04:00Z',
  resolved_at: '2025-03-01T11:00:00Z',
  service: 'Checkout API',
  team: 'Payments',
};

describe('POST /incidents/import', () => {
  it('imports a JSON array with its own times, services and teams by name, as labelled history, and records it in the audit log', async () => {
    const org = await seedOrg(t.url);
    const res = await importRows(org, [
      ROW,
      {
        ...ROW,
        external_id: 'PD-2',
        title: 'Search slow in EU',
        severity: 'minor',
        service: 'Search',
        team: null,
        acknowledged_at: null,
        resolved_at: null,
        status: 'open',
      },
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      state: 'done',
      total: 2,
      processed: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
      failed: 0,
      errors: [],
    });

    const list = await rest(t.url, 'GET', '/incidents', { token: org.owner.token });
    expect(
      list.body.items
        .map((i: any) => [
          i.external_id,
          i.severity,
          i.status,
          i.source,
          i.auto_classified,
          i.started_at,
          i.resolved_at,
        ])
        .sort(),
    ).toEqual([
      ['PD-1', 'P1', 'resolved', 'import', false, '2025-03-01T10:00:00.000Z', '2025-03-01T11:00:00.000Z'],
      ['PD-2', 'P3', 'open', 'import', false, '2025-03-01T10:00:00.000Z', null],
    ]);
    const services = await rest(t.url, 'GET', '/services', { token: org.owner.token });
    expect(services.body.items.map((s: any) => s.name).sort()).toEqual(['Checkout API', 'Search']);
    const checkout = list.body.items.find((i: any) => i.external_id === 'PD-1');
    expect(checkout.service_id).toBe(services.body.items.find((s: any) => s.name === 'Checkout API').id);
    expect(checkout.team_id).not.toBeNull();

    const get = await rest(t.url, 'GET', `/incidents/import/${res.body.id}`, { token: org.owner.token });
    expect(get.status).toBe(200);
    expect(get.body).toMatchObject({ id: res.body.id, state: 'done', created: 2 });

    const audit = await rest(t.url, 'GET', '/audit-events?action=importIncidents', { token: org.owner.token });
    expect(audit.status).toBe(200);
    expect(audit.body.items.filter((e: any) => e.action === 'importIncidents' && e.outcome === 'success')).toHaveLength(
      1,
    );

    // Imported incidents are similar-incident candidates at once.
    const similar = await rest(t.url, 'GET', `/ai/similar-incidents/${checkout.id}`, { token: org.owner.token });
    expect(similar.status).toBe(200);
  });

  it('is idempotent by external_id: a re-import changes nothing, a changed row updates its incident', async () => {
    const org = await seedOrg(t.url);
    expect((await importRows(org, [ROW])).body.created).toBe(1);
    const again = await importRows(org, [ROW]);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 1, failed: 0 });
    const changed = await importRows(org, [{ ...ROW, severity: 'P2' }]);
    expect(changed.body).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const list = await rest(t.url, 'GET', '/incidents', { token: org.owner.token });
    expect(list.body.items.map((i: any) => [i.external_id, i.severity])).toEqual([['PD-1', 'P2']]);
  });

  it('reports bad rows one by one with their field, never a 500, and writes the good rows', async () => {
    const org = await seedOrg(t.url);
    const res = await importRows(org, [
      ROW,
      { ...ROW, external_id: 'PD-3', severity: 'P9' },
      { ...ROW, external_id: 'PD-4', started_at: 'yesterday-ish' },
      { ...ROW, external_id: 'PD-5', resolved_at: '2025-02-01T00:00:00Z' },
      { ...ROW, external_id: 'PD-1' },
      { title: 'no id', severity: 'P2', started_at: '2025-03-01T10:00:00Z' },
      'not an object',
      { ...ROW, external_id: 'PD-6', started_at: '2999-01-01T00:00:00Z' },
      { ...ROW, external_id: 'PD-7', status: 'exploded' },
      // Longer than a service or team made by hand may be named.
      { ...ROW, external_id: 'PD-8', service: 's'.repeat(121) },
      { ...ROW, external_id: 'PD-9', team: 't'.repeat(121) },
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ total: 11, processed: 11, created: 1, failed: 10 });
    expect(res.body.errors.map((e: any) => [e.row, e.external_id, e.field])).toEqual([
      [2, 'PD-3', 'severity'],
      [3, 'PD-4', 'started_at'],
      [4, 'PD-5', 'resolved_at'],
      [5, 'PD-1', 'external_id'],
      [6, null, 'external_id'],
      [7, null, null],
      [8, 'PD-6', 'started_at'],
      [9, 'PD-7', 'status'],
      [10, 'PD-8', 'service'],
      [11, 'PD-9', 'team'],
    ]);
    expect(res.body.errors[0].message).toContain('P9');
    expect(res.body.errors[9].message).toBe('must be at most 120 characters');
    const list = await rest(t.url, 'GET', '/incidents', { token: org.owner.token });
    expect(list.body.items).toHaveLength(1);
  });

  it('reads NDJSON and CSV with a header row (quoted commas and line breaks), reporting unreadable lines', async () => {
    const org = await seedOrg(t.url);
    const ndjson = `${JSON.stringify(ROW)}\n{not json\n${JSON.stringify({ ...ROW, external_id: 'PD-2' })}\n`;
    const nd = await importRaw(org, ndjson, 'application/x-ndjson');
    expect(nd.status).toBe(201);
    expect(nd.body).toMatchObject({ total: 3, created: 2, failed: 1 });
    expect(nd.body.errors[0]).toMatchObject({ row: 2, message: 'line 2 is not JSON' });

    const csv = [
      'external_id,title,description,severity,status,started_at,resolved_at,service',
      'OG-1,"Disk full, db-3","first line\nsecond line",P2,resolved,2025-04-01 08:00:00,2025-04-01 09:00:00,Database',
      'OG-2,Login slow,,low,,2025-04-02T08:00:00Z,,Auth',
      'OG-3,too,many,fields,P1,open,2025-04-02T08:00:00Z,,Auth,extra',
    ].join('\r\n');
    const res = await importRaw(org, csv, 'text/csv');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ total: 3, created: 2, failed: 1 });
    const list = await rest(t.url, 'GET', '/incidents?q=Disk', { token: org.owner.token });
    expect(list.body.items[0]).toMatchObject({
      title: 'Disk full, db-3',
      description: 'first line\nsecond line',
      severity: 'P2',
      status: 'resolved',
    });
  });

  it('refuses what is not an import with a 4xx and the error shape', async () => {
    const org = await seedOrg(t.url);
    const empty = await importRows(org, []);
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('VALIDATION_FAILED');
    const xml = await importRaw(org, '<incidents/>', 'application/xml');
    expect(xml.status).toBe(415);
    expect(xml.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const broken = await importRaw(org, '[{"external_id": ', 'application/json');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('VALIDATION_FAILED');
    const missing = await rest(t.url, 'GET', `/incidents/import/00000000-0000-4000-8000-000000000000`, {
      token: org.owner.token,
    });
    expect(missing.status).toBe(404);
  });

  it('is for admins: viewers and responders are refused, and another organization cannot see an import', async () => {
    const org = await seedOrg(t.url);
    const viewer = await org.user('viewer');
    const responder = await org.user('responder');
    expect((await importRows(org, [ROW], viewer.token)).status).toBe(403);
    expect((await importRows(org, [ROW], responder.token)).status).toBe(403);
    expect((await importRaw(org, JSON.stringify(ROW), 'application/x-ndjson', responder.token)).status).toBe(403);
    const admin = await org.user('admin');
    const done = await importRows(org, [ROW], admin.token);
    expect(done.status).toBe(201);

    const other = await seedOrg(t.url);
    const foreign = await rest(t.url, 'GET', `/incidents/import/${done.body.id}`, { token: other.owner.token });
    expect(foreign.status).toBe(404);
    const viaGraphQL = await gqlRaw(
      t.url,
      { query: 'query($id: ID!) { incidentImport(id: $id) { id } }', variables: { id: done.body.id } },
      other.owner.token,
    );
    expect(errorCode(viaGraphQL)).toBe('NOT_FOUND');
    expect((await rest(t.url, 'GET', '/incidents', { token: other.owner.token })).body.items).toHaveLength(0);
  });

  it('works through GraphQL, with the same per-row errors, and no webhook fires for imported incidents', async () => {
    const org = await seedOrg(t.url);
    const rule = await rest(t.url, 'POST', '/alert-rules', {
      token: org.owner.token,
      body: { name: 'all', event_types: ['incident.created'], target_url: 'http://127.0.0.1:9/hook' },
    });
    expect(rule.status).toBe(201);
    const mutation =
      'mutation($input: ImportIncidentsInput!) { importIncidents(input: $input) { id state created failed errors { row externalId field message } } }';
    const res = await gqlRaw(
      t.url,
      {
        query: mutation,
        variables: {
          input: {
            rows: [
              { externalId: 'OG-9', title: 'Queue backlog', severity: 'P3', startedAt: '2025-01-01T00:00:00Z' },
              { external_id: 'OG-10' },
            ],
          },
        },
      },
      org.owner.token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.importIncidents).toMatchObject({
      state: 'done',
      created: 1,
      failed: 1,
      errors: [{ row: 2, externalId: 'OG-10', field: 'title' }],
    });
    const viewer = await org.user('viewer');
    const refused = await gqlRaw(t.url, { query: mutation, variables: { input: { rows: [ROW] } } }, viewer.token);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    const deliveries = await rest(t.url, 'GET', '/webhook-deliveries', { token: org.owner.token });
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items).toHaveLength(0);
  });
});
