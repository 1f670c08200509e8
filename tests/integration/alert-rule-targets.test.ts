import { TestApp, startTestApp } from '../support/app';
import { gqlRaw, rest } from '../support/client';
import { seedOrg } from '../support/seed';

/** An alert rule's target URL (often a bearer secret) is shown whole to admins and owners, as its origin to others. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it.each([
  ['owner', true],
  ['admin', true],
  ['responder', false],
  ['viewer', false],
] as const)('%s sees the full URL: %s (REST and GraphQL, one and many)', async (role, full) => {
  const org = await seedOrg(t.url);
  const url = 'http://127.0.0.1:9/hooks/secret-path?token=s3cret';
  const created = await rest(t.url, 'POST', '/alert-rules/', {
    token: org.owner.token,
    body: { name: 'r', event_types: ['incident.created'], target_url: url },
  });
  expect(created.status).toBe(201);
  const token = role === 'owner' ? org.owner.token : (await org.user(role)).token;
  const expected = full ? url : 'http://127.0.0.1:9';
  expect((await rest(t.url, 'GET', `/alert-rules/${created.body.id}`, { token })).body.target_url).toBe(expected);
  expect((await rest(t.url, 'GET', '/alert-rules/', { token })).body.items[0].target_url).toBe(expected);
  const gql = await gqlRaw(
    t.url,
    { query: `{ alertRule(id: "${created.body.id}") { targetUrl } alertRules { items { targetUrl } } }` },
    token,
  );
  expect(gql.data.alertRule.targetUrl).toBe(expected);
  expect(gql.data.alertRules.items[0].targetUrl).toBe(expected);
});
