import { TestApp, startTestApp } from '../support/app';
import { gqlRaw, rest } from '../support/client';
import { SeedOrg, SeedUser, seedOrg } from '../support/seed';

/**
 * A material edit of an approved or scheduled change request sends it back to submitted, the decision cleared, with a
 * status_changed event and an audit row; while implementing it is refused; editing a submitted change keeps it there.
 * Over every material field, on both surfaces.
 */
let t: TestApp;
let org: SeedOrg;
let admin: SeedUser;
let responder: SeedUser;
let otherService: { id: string };
let asset: { id: string };
beforeAll(async () => {
  t = await startTestApp();
  org = await seedOrg(t.url);
  admin = await org.user('admin');
  responder = await org.user('responder');
  otherService = await org.service();
  asset = await org.asset();
  const rule = await rest(t.url, 'POST', '/alert-rules/', {
    token: org.owner.token,
    body: { name: 'changes', event_types: ['change_request.status_changed'], target_url: 'http://127.0.0.1:9/changes' },
  });
  expect(rule.status).toBe(201);
});
afterAll(() => t.close());

const MATERIAL: Array<[string, () => unknown]> = [
  ['title', () => 'Another title'],
  ['description', () => 'Another description'],
  ['risk', () => 'high'],
  ['planned_start', () => '2030-03-01T21:00:00Z'],
  ['planned_end', () => '2030-03-02T01:00:00Z'],
  ['service_id', () => otherService.id],
  ['asset_ids', () => [asset.id]],
  ['implementer_id', () => admin.id],
  ['rollback_plan', () => 'Another rollback plan'],
];

async function approvedChange(scheduled: boolean) {
  const created = await rest(t.url, 'POST', '/change-requests/', {
    token: responder.token,
    body: {
      title: 'Raise max_connections',
      rollback_plan: 'Restore the config',
      planned_start: '2030-03-01T22:00:00Z',
      planned_end: '2030-03-01T23:00:00Z',
    },
  });
  expect(created.status).toBe(201);
  const key = created.body.key as string;
  expect(
    (await rest(t.url, 'PATCH', `/change-requests/${key}`, { token: responder.token, body: { status: 'submitted' } }))
      .status,
  ).toBe(200);
  expect(
    (await rest(t.url, 'POST', `/change-requests/${key}/approve`, { token: admin.token, body: { comment: 'ok' } }))
      .status,
  ).toBe(200);
  if (scheduled)
    expect(
      (await rest(t.url, 'PATCH', `/change-requests/${key}`, { token: responder.token, body: { status: 'scheduled' } }))
        .status,
    ).toBe(200);
  return created.body as { id: string; key: string };
}

const toCamel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

describe.each([
  ['approved', false],
  ['scheduled', true],
] as const)('a material edit of a %s change request', (_status, scheduled) => {
  it.each(MATERIAL)(
    'of %s returns it to submitted with the decision cleared, an event and an audit row (REST)',
    async (field, value) => {
      const change = await approvedChange(scheduled);
      const res = await rest(t.url, 'PATCH', `/change-requests/${change.key}`, {
        token: responder.token,
        body: { [field]: value() },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'submitted',
        approver_id: null,
        decided_at: null,
        decision_comment: null,
      });
      // It cannot be scheduled until approved again.
      const schedule = await rest(t.url, 'PATCH', `/change-requests/${change.key}`, {
        token: responder.token,
        body: { status: 'scheduled' },
      });
      expect(schedule.status).toBe(409);
      const connection = t.orm.em.getConnection();
      const events = await connection.execute<
        Array<{ payload: { data: { status: string; previous: { status: string } } } }>
      >(
        "select payload from webhook_deliveries where event_type = 'change_request.status_changed' and payload->'data'->>'id' = ? order by created_at desc limit 1",
        [change.id],
      );
      expect(events[0].payload.data).toMatchObject({
        status: 'submitted',
        previous: { status: scheduled ? 'scheduled' : 'approved' },
      });
      const audit = await connection.execute<Array<{ changed_fields: string[]; outcome: string }>>(
        "select changed_fields, outcome from audit_events where action = 'updateChangeRequest' and record_id = ? order by created_at desc limit 1",
        [change.id],
      );
      expect(audit[0].outcome).toBe('success');
      expect(audit[0].changed_fields.join(',')).toMatch(new RegExp(toCamel(field) + '|' + field));
    },
  );

  it('through GraphQL too, and the same values sent again are not an edit', async () => {
    const change = await approvedChange(scheduled);
    const same = await rest(t.url, 'PATCH', `/change-requests/${change.key}`, {
      token: responder.token,
      body: { title: 'Raise max_connections' },
    });
    expect(same.body.status).toBe(scheduled ? 'scheduled' : 'approved');
    const res = await gqlRaw(
      t.url,
      {
        query: `mutation { updateChangeRequest(id: "${change.key}", input: { risk: high }) { status approver { id } decidedAt } }`,
      },
      responder.token,
    );
    expect(res.data.updateChangeRequest).toEqual({ status: 'submitted', approver: null, decidedAt: null });
  });
});

describe('while implementing', () => {
  it.each(MATERIAL)('refuses an edit of %s with 409 and changes nothing', async (field, value) => {
    const change = await approvedChange(true);
    expect(
      (
        await rest(t.url, 'PATCH', `/change-requests/${change.key}`, {
          token: responder.token,
          body: { status: 'implementing' },
        })
      ).status,
    ).toBe(200);
    const before = await rest(t.url, 'GET', `/change-requests/${change.key}`, { token: responder.token });
    const res = await rest(t.url, 'PATCH', `/change-requests/${change.key}`, {
      token: responder.token,
      body: { [field]: value() },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT');
    const after = await rest(t.url, 'GET', `/change-requests/${change.key}`, { token: responder.token });
    expect(after.body).toEqual(before.body);
  });
});
