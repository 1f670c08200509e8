import { ManualClock } from '../../src/core/clock';
import { TestApp, startTestApp } from '../support/app';
import { gqlRaw, rest } from '../support/client';
import { SeedOrg, SeedUser, seedOrg } from '../support/seed';

/**
 * People's comments are stamped by the server when written; setting occurred_at is importing history, for admins and
 * owners only, between the incident's start and now. Every role, both surfaces.
 */
const NOW = '2030-05-01T12:00:00.000Z';
const clock = new ManualClock(new Date(NOW));
let t: TestApp;
let org: SeedOrg;
let users: Record<'owner' | 'admin' | 'responder', SeedUser>;
let incident: { key: string };
beforeAll(async () => {
  t = await startTestApp({}, { clock });
  org = await seedOrg(t.url);
  users = { owner: org.owner as SeedUser, admin: await org.user('admin'), responder: await org.user('responder') };
  const created = await rest(t.url, 'POST', '/incidents/', {
    token: org.owner.token,
    body: { title: 'Queue stuck', severity: 'P2', started_at: '2030-05-01T11:00:00Z' },
  });
  expect(created.status).toBe(201);
  incident = created.body;
});
afterAll(() => t.close());

const viaRest = async (token: string, occurredAt?: string) => {
  const res = await rest(t.url, 'POST', '/incident-events/', {
    token,
    body: { incident_id: incident.key, message: 'note', ...(occurredAt ? { occurred_at: occurredAt } : {}) },
  });
  return {
    status: res.status,
    occurredAt: res.body?.occurred_at as string | undefined,
    code: res.body?.error?.code as string | undefined,
  };
};
const viaGraphql = async (token: string, occurredAt?: string) => {
  const res = await gqlRaw(
    t.url,
    {
      query: 'mutation($i: CreateIncidentEventInput!) { createIncidentEvent(input: $i) { occurredAt } }',
      variables: { i: { incidentId: incident.key, message: 'note', ...(occurredAt ? { occurredAt } : {}) } },
    },
    token,
  );
  const code = res.errors?.[0]?.extensions?.code;
  return {
    status: code ? (({ FORBIDDEN: 403, VALIDATION_FAILED: 400 } as Record<string, number>)[code] ?? 500) : 201,
    occurredAt: res.data?.createIncidentEvent?.occurredAt,
    code,
  };
};

describe.each([
  ['REST', viaRest],
  ['GraphQL', viaGraphql],
] as const)('%s', (_surface, send) => {
  it.each(['owner', 'admin', 'responder'] as const)('stamps a comment by %s with the server time', async (role) => {
    const res = await send(users[role].token);
    expect(res).toMatchObject({ status: 201, occurredAt: NOW });
  });

  it('refuses occurred_at from a responder', async () => {
    expect(await send(users.responder.token, '2030-05-01T11:30:00Z')).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it.each(['owner', 'admin'] as const)(
    'lets %s import history between the start of the incident and now, and no earlier or later',
    async (role) => {
      expect(await send(users[role].token, '2030-05-01T11:30:00.000Z')).toMatchObject({
        status: 201,
        occurredAt: '2030-05-01T11:30:00.000Z',
      });
      expect(await send(users[role].token, '2026-01-01T00:00:00Z')).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(await send(users[role].token, '2030-05-01T13:00:00Z')).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    },
  );
});
