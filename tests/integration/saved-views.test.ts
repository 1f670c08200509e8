import { TestApp, startTestApp } from '../support/app';
import { gqlRaw, rest } from '../support/client';
import { seedOrg } from '../support/seed';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const save = (token: string, body: Record<string, unknown>) => rest(t.url, 'POST', '/saved-views', { token, body });
const names = (res: { body: { items: Array<{ name: string }> } }) => res.body.items.map((view) => view.name).sort();

describe('saved views of the incident list', () => {
  it('are saved by anyone, viewers included, with the owner set by the server', async () => {
    const org = await seedOrg(t.url);
    const viewer = await org.user('viewer');
    const res = await save(viewer.token, {
      name: 'My P1s',
      query: 'severity=P1&status=open,acknowledged',
      owner_id: org.owner.id,
    });
    expect(res.status).toBe(400);
    const ok = await save(viewer.token, { name: 'My P1s', query: 'severity=P1&status=open,acknowledged' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      name: 'My P1s',
      query: 'severity=P1&status=open,acknowledged',
      shared: false,
      owner_id: viewer.id,
    });
  });

  it('are listed for their owner, and for everyone once shared', async () => {
    const org = await seedOrg(t.url);
    const responder = await org.user('responder');
    await save(org.owner.token, { name: 'Owner private', query: 'status=open' });
    await save(org.owner.token, { name: 'Team board', query: 'team_id=x', shared: true });
    await save(responder.token, { name: 'Mine', query: 'assignee_id=me' });
    expect(names(await rest(t.url, 'GET', '/saved-views', { token: responder.token }))).toEqual(['Mine', 'Team board']);
    expect(names(await rest(t.url, 'GET', '/saved-views', { token: org.owner.token }))).toEqual([
      'Owner private',
      'Team board',
    ]);
    expect(names(await rest(t.url, 'GET', '/saved-views?shared=true', { token: responder.token }))).toEqual([
      'Team board',
    ]);
    const viaGraphQL = await gqlRaw(
      t.url,
      { query: '{ savedViews { total items { name shared ownerId } } }' },
      responder.token,
    );
    expect(viaGraphQL.errors).toBeUndefined();
    expect(viaGraphQL.data.savedViews.total).toBe(2);
  });

  it('are changed only by their owner; an admin may remove a shared one; others see a private one as missing', async () => {
    const org = await seedOrg(t.url);
    const admin = await org.user('admin');
    const responder = await org.user('responder');
    const shared = (await save(responder.token, { name: 'Shared', query: 'severity=P1', shared: true })).body;
    const privateView = (await save(responder.token, { name: 'Private', query: 'severity=P2' })).body;

    expect(
      (await rest(t.url, 'PATCH', `/saved-views/${shared.id}`, { token: admin.token, body: { name: 'Taken' } })).status,
    ).toBe(403);
    expect(
      (await rest(t.url, 'PATCH', `/saved-views/${privateView.id}`, { token: admin.token, body: { name: 'Taken' } }))
        .status,
    ).toBe(404);
    expect((await rest(t.url, 'GET', `/saved-views/${privateView.id}`, { token: admin.token })).status).toBe(404);
    expect((await rest(t.url, 'DELETE', `/saved-views/${privateView.id}`, { token: admin.token })).status).toBe(404);

    const renamed = await rest(t.url, 'PATCH', `/saved-views/${shared.id}`, {
      token: responder.token,
      body: { name: 'Renamed' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Renamed', query: 'severity=P1' });

    const other = await org.user('responder');
    expect((await rest(t.url, 'DELETE', `/saved-views/${shared.id}`, { token: other.token })).status).toBe(403);
    expect((await rest(t.url, 'DELETE', `/saved-views/${shared.id}`, { token: admin.token })).status).toBe(204);
    expect((await rest(t.url, 'DELETE', `/saved-views/${privateView.id}`, { token: responder.token })).status).toBe(
      204,
    );
    expect((await rest(t.url, 'GET', '/saved-views', { token: responder.token })).body.items).toEqual([]);
  });

  it('refuse a query string the console cannot use, naming the field, and write nothing', async () => {
    const org = await seedOrg(t.url);
    for (const query of [
      '?status=open',
      'Status=open',
      'status=%E0%A4%A',
      Array.from({ length: 31 }, (_, i) => `p${i}=1`).join('&'),
      'x'.repeat(2001),
    ]) {
      const res = await save(org.owner.token, { name: 'Bad', query });
      expect([query.slice(0, 20), res.status, res.body.error.code, res.body.error.details?.[0]?.field]).toEqual([
        query.slice(0, 20),
        400,
        'VALIDATION_FAILED',
        'query',
      ]);
    }
    expect((await rest(t.url, 'GET', '/saved-views', { token: org.owner.token })).body.items).toEqual([]);
    const view = (await save(org.owner.token, { name: 'Good', query: 'status=open' })).body;
    const bad = await rest(t.url, 'PATCH', `/saved-views/${view.id}`, {
      token: org.owner.token,
      body: { query: 'Bad Name=1' },
    });
    expect(bad.status).toBe(400);
    expect((await rest(t.url, 'GET', `/saved-views/${view.id}`, { token: org.owner.token })).body.query).toBe(
      'status=open',
    );
  });

  it('of another organization are not found, shared or not, and never listed', async () => {
    const org = await seedOrg(t.url);
    const intruder = await seedOrg(t.url);
    const shared = (await save(org.owner.token, { name: 'Shared', query: 'severity=P1', shared: true })).body;
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'x' }],
      ['DELETE', undefined],
    ] as const) {
      expect(
        (await rest(t.url, method, `/saved-views/${shared.id}`, { token: intruder.owner.token, body })).status,
      ).toBe(404);
    }
    const listed = await rest(t.url, 'GET', '/saved-views?shared=true', { token: intruder.owner.token });
    expect(listed.body.items).toEqual([]);
    const viaGraphQL = await gqlRaw(t.url, { query: `{ savedView(id: "${shared.id}") { id } }` }, intruder.owner.token);
    expect(viaGraphQL.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('need a signed-in caller', async () => {
    expect((await rest(t.url, 'GET', '/saved-views', {})).status).toBe(401);
    expect((await save('', { name: 'x', query: '' })).status).toBe(401);
  });
});
