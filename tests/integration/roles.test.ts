import { TestApp, startTestApp } from '../support/app';
import { errorCode, gqlRaw, rest } from '../support/client';
import { ENTITY_SPECS, EntitySpec } from '../support/entities';
import { SeedOrg, SeedUser, seedOrg } from '../support/seed';

let t: TestApp;
let org: SeedOrg;
const users: Record<string, SeedUser> = {};
beforeAll(async () => {
  t = await startTestApp();
  org = await seedOrg(t.url);
  for (const role of ['admin', 'responder', 'viewer'] as const) users[role] = await org.user(role);
});
afterAll(() => t.close());

const RANK = { viewer: 0, responder: 1, admin: 2, owner: 3 };

describe.each(ENTITY_SPECS.map((spec) => [spec.name, spec] as [string, EntitySpec]))('roles on %s', (_name, spec) => {
  it(`lets ${spec.readRole ?? 'every role'} read`, async () => {
    const record = await spec.make(org);
    for (const role of ['viewer', 'responder', 'admin'] as const) {
      const res = await rest(t.url, 'GET', `${spec.path}/${record.id}`, { token: users[role].token });
      const allowed = RANK[role] >= RANK[spec.readRole ?? 'viewer'];
      expect([role, res.status]).toEqual([role, allowed ? 200 : 403]);
    }
  });

  if (spec.update)
    it(`lets only ${spec.writeRole} and above update`, async () => {
      const record = await spec.make(org);
      for (const role of ['viewer', 'responder', 'admin'] as const) {
        const res = await rest(t.url, 'PATCH', `${spec.path}/${record.id}`, {
          token: users[role].token,
          body: spec.update,
        });
        const allowed = RANK[role] >= RANK[spec.writeRole];
        expect([role, res.status]).toEqual([role, allowed ? 200 : 403]);
        if (!allowed) expect(res.body.error.code).toBe('FORBIDDEN');
      }
    });

  if (spec.deletable !== false)
    it("refuses a viewer's delete through GraphQL with FORBIDDEN", async () => {
      const record = await spec.make(org);
      const name = spec.single[0].toUpperCase() + spec.single.slice(1);
      const res = await gqlRaw(
        t.url,
        {
          query: `mutation($id: ${spec.keyed ? 'IdOrKey' : 'UUID'}!) { delete${name}(id: $id) }`,
          variables: { id: record.id },
        },
        users.viewer.token,
      );
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect((await rest(t.url, 'GET', `${spec.path}/${record.id}`, { token: org.owner.token })).status).toBe(200);
    });
});

describe('incident roles', () => {
  it('lets a responder create and work an incident, and not a viewer', async () => {
    const created = await rest(t.url, 'POST', '/incidents', {
      token: users.responder.token,
      body: { title: 'Responder made', severity: 'P3' },
    });
    expect(created.status).toBe(201);
    const denied = await rest(t.url, 'POST', '/incidents', {
      token: users.viewer.token,
      body: { title: 'Viewer made', severity: 'P3' },
    });
    expect(denied.status).toBe(403);
    const ack = await rest(t.url, 'PATCH', `/incidents/${created.body.key}`, {
      token: users.responder.token,
      body: { status: 'acknowledged' },
    });
    expect(ack.status).toBe(200);
  });

  it('keeps deleting incidents to admins', async () => {
    const incident = await org.incident();
    expect((await rest(t.url, 'DELETE', `/incidents/${incident.id}`, { token: users.responder.token })).status).toBe(
      403,
    );
    expect((await rest(t.url, 'DELETE', `/incidents/${incident.id}`, { token: users.admin.token })).status).toBe(204);
  });
});
