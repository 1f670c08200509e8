import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { seedOrg } from '../support/seed';
import { AssetDocument, AssetsDocument, CreateAssetDocument, UpdateAssetDocument } from '../support/generated/graphql';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Keys in every casing, nested objects and arrays: none of it may be renamed on either surface. */
const ATTRIBUTES = {
  osVersion: 'Ubuntu 24.04',
  cpu_count: 16,
  'Rack-Position': 'B4',
  diskGB: [500, 500],
  network: { primaryIp: '10.0.0.4', vlan_id: 12, tags: [{ ownerTeam: 'db' }] },
  active: true,
  note: null,
};

describe('assets', () => {
  it('creates with the documented fields and returns attributes exactly as sent', async () => {
    const org = await seedOrg(t.url);
    const team = await org.team();
    const service = await org.service();
    const res = await rest(t.url, 'POST', '/assets/', {
      token: org.owner.token,
      body: {
        name: 'pg-primary',
        type: 'database',
        hostname: 'pg1.internal',
        owner_team_id: team.id,
        service_id: service.id,
        attributes: ATTRIBUTES,
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'pg-primary',
      type: 'database',
      status: 'active',
      hostname: 'pg1.internal',
      owner_team_id: team.id,
      service_id: service.id,
    });
    expect(res.body.attributes).toEqual(ATTRIBUTES);
    const read = await rest(t.url, 'GET', `/assets/${res.body.id}`, { token: org.owner.token });
    expect(read.body.attributes).toEqual(ATTRIBUTES);
    const viaGraphQL = await gql(t.url, AssetDocument, { id: res.body.id }, org.owner.token);
    expect(viaGraphQL.data?.asset).toMatchObject({
      attributes: ATTRIBUTES,
      ownerTeamId: team.id,
      ownerTeam: { id: team.id },
      service: { id: service.id },
    });
  });

  it('keeps attributes sent through GraphQL unchanged on REST, and an update replaces them', async () => {
    const org = await seedOrg(t.url);
    const created = await gql(
      t.url,
      CreateAssetDocument,
      { input: { name: 'edge-lb', type: 'network', attributes: { listenPorts: [443], tls_policy: 'modern' } } },
      org.owner.token,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createAsset.id;
    expect((await rest(t.url, 'GET', `/assets/${id}`, { token: org.owner.token })).body.attributes).toEqual({
      listenPorts: [443],
      tls_policy: 'modern',
    });
    const updated = await rest(t.url, 'PATCH', `/assets/${id}`, {
      token: org.owner.token,
      body: { attributes: { maxConns: 1000 } },
    });
    expect(updated.body.attributes).toEqual({ maxConns: 1000 });
    const renamed = await gql(t.url, UpdateAssetDocument, { id, input: { name: 'edge-lb-1' } }, org.owner.token);
    expect(renamed.data?.updateAsset).toMatchObject({
      name: 'edge-lb-1',
      type: 'network',
      attributes: { maxConns: 1000 },
    });
  });

  it('defaults attributes to {} and refuses non-objects, unknown enums and null for required fields', async () => {
    const org = await seedOrg(t.url);
    const asset = await org.asset();
    expect(asset.attributes).toEqual({});
    for (const [body, field] of [
      [{ name: 'x', type: 'server', attributes: [1, 2] }, 'attributes'],
      [{ name: 'x', type: 'server', attributes: 'big' }, 'attributes'],
      [{ name: 'x', type: 'mainframe' }, 'type'],
      [{ name: 'x', type: 'server', status: 'broken' }, 'status'],
      [{ type: 'server' }, 'name'],
    ] as const) {
      const res = await rest(t.url, 'POST', '/assets', { token: org.owner.token, body });
      expect([field, res.status, res.body.error?.details?.[0]?.field]).toEqual([field, 400, field]);
    }
    const nullAttrs = await rest(t.url, 'PATCH', `/assets/${asset.id}`, {
      token: org.owner.token,
      body: { attributes: null },
    });
    expect(nullAttrs.status).toBe(400);
  });

  it("refuses another organization's team or service, naming the field", async () => {
    const org = await seedOrg(t.url);
    const other = await seedOrg(t.url);
    for (const [field, id] of [
      ['owner_team_id', (await other.team()).id],
      ['service_id', (await other.service()).id],
    ]) {
      const res = await rest(t.url, 'POST', '/assets', {
        token: org.owner.token,
        body: { name: 'x', type: 'server', [field]: id },
      });
      expect([field, res.status, res.body.error?.details?.[0]?.field]).toEqual([field, 400, field]);
    }
  });

  it('filters by type, status, service, owner team and text, and pages', async () => {
    const org = await seedOrg(t.url);
    const team = await org.team();
    const service = await org.service();
    const a = await org.asset({ name: 'app-1', type: 'server', hostname: 'app1.prod', service_id: service.id });
    const b = await org.asset({ name: 'app-2', type: 'server', status: 'maintenance', owner_team_id: team.id });
    const c = await org.asset({ name: 'orders-db', type: 'database', hostname: 'db.prod', owner_team_id: team.id });
    const ids = async (query: string) =>
      (await rest(t.url, 'GET', `/assets?${query}`, { token: org.owner.token })).body.items.map(
        (i: { id: string }) => i.id,
      );
    expect(await ids('type=server')).toEqual([a.id, b.id]);
    expect(await ids('status=maintenance')).toEqual([b.id]);
    expect(await ids('type=server,database&status=active')).toEqual([a.id, c.id]);
    expect(await ids(`service_id=${service.id}`)).toEqual([a.id]);
    expect(await ids(`owner_team_id=${team.id}`)).toEqual([b.id, c.id]);
    expect(await ids('q=prod')).toEqual([a.id, c.id]);
    const viaGraphQL = await gql(
      t.url,
      AssetsDocument,
      { filter: { type: ['database'], ownerTeamId: [team.id] } },
      org.owner.token,
    );
    expect(viaGraphQL.data?.assets.items.map((i) => i.id)).toEqual([c.id]);

    const page1 = await gql(t.url, AssetsDocument, { limit: 2 }, org.owner.token);
    expect(page1.data?.assets.items.map((i) => i.name)).toEqual(['app-1', 'app-2']);
    const page2 = await rest(t.url, 'GET', `/assets?limit=2&cursor=${page1.data?.assets.nextCursor}`, {
      token: org.owner.token,
    });
    expect(page2.body).toMatchObject({ total: 3, next_cursor: null, items: [{ name: 'orders-db' }] });
  });

  it('lets admins manage assets and everyone read them', async () => {
    const org = await seedOrg(t.url);
    const admin = await org.user('admin');
    const responder = await org.user('responder');
    const viewer = await org.user('viewer');
    expect(
      (await rest(t.url, 'POST', '/assets', { token: responder.token, body: { name: 'x', type: 'server' } })).status,
    ).toBe(403);
    const viaGraphQL = await gql(t.url, CreateAssetDocument, { input: { name: 'x', type: 'server' } }, viewer.token);
    expect(errorCode(viaGraphQL)).toBe('FORBIDDEN');
    const created = await rest(t.url, 'POST', '/assets', { token: admin.token, body: { name: 'x', type: 'server' } });
    expect(created.status).toBe(201);
    expect((await rest(t.url, 'GET', `/assets/${created.body.id}`, { token: viewer.token })).status).toBe(200);
    expect((await rest(t.url, 'DELETE', `/assets/${created.body.id}`, { token: responder.token })).status).toBe(403);
    expect((await rest(t.url, 'DELETE', `/assets/${created.body.id}`, { token: admin.token })).status).toBe(204);
    expect((await rest(t.url, 'GET', `/assets/${created.body.id}`, { token: admin.token })).status).toBe(404);
  });
});
