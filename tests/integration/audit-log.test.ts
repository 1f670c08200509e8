import { randomUUID } from 'node:crypto';
import { TestApp, startTestApp } from '../support/app';
import { errorCode, gqlRaw, rest } from '../support/client';
import { PASSWORD, SeedOrg, seedOrg } from '../support/seed';

let t: TestApp;
let org: SeedOrg;
beforeAll(async () => {
  t = await startTestApp();
  org = await seedOrg(t.url);
});
afterAll(() => t.close());

const AUDIT_EVENTS = `query($filter: AuditEventFilter, $limit: Int, $cursor: String) {
  auditEvents(filter: $filter, limit: $limit, cursor: $cursor) {
    total nextCursor
    items { id createdAt actorId action outcome errorCode recordType recordId changedFields surface ip userAgent requestId }
  }
}`;

/** The audit events of the organization matching a REST query string, newest first. */
async function events(query: string, token = org.owner.token): Promise<any[]> {
  const res = await rest(t.url, 'GET', `/audit-events?limit=100&${query}`, { token });
  expect(res.status).toBe(200);
  return res.body.items;
}

/** Rows of the audit table itself, whatever organization they belong to (for rows no organization can read). */
async function rowsOfRequest(requestId: string): Promise<any[]> {
  return t.orm.em.getConnection().execute('select * from audit_events where request_id = ?', [requestId]);
}

describe('the audit log', () => {
  it('records a REST create: who, what, which record, from where, and the outcome', async () => {
    const requestId = `req-${randomUUID()}`;
    const created = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'Audited incident', severity: 'P2' },
      headers: { 'user-agent': 'audit-test/1.0', 'x-request-id': requestId },
    });
    expect(created.status).toBe(201);
    const [event] = await events(`record_id=${created.body.id}`);
    expect(event).toMatchObject({
      actor_id: org.owner.id,
      action: 'createIncident',
      outcome: 'success',
      error_code: null,
      record_type: 'Incident',
      record_id: created.body.id,
      changed_fields: ['severity', 'title'],
      surface: 'rest',
      ip: '127.0.0.1',
      user_agent: 'audit-test/1.0',
      request_id: requestId,
    });
  });

  it('takes the client address the way rate limits do: X-Forwarded-For only from the loopback proxy', async () => {
    const team = await rest(t.url, 'POST', '/teams', {
      token: org.owner.token,
      body: { name: `Proxied ${randomUUID()}` },
      headers: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(team.status).toBe(201);
    const [event] = await events(`record_id=${team.body.id}`);
    expect(event.ip).toBe('203.0.113.7');
  });

  it('records GraphQL mutations, read through the paginated auditEvents query with filters', async () => {
    const incident = await org.incident();
    for (const title of ['First change', 'Second change']) {
      const res = await gqlRaw(
        t.url,
        {
          query: `mutation($id: IdOrKey!, $title: String!) { updateIncident(id: $id, input: { title: $title }) { id } }`,
          variables: { id: incident.key, title },
        },
        org.owner.token,
      );
      expect(res.errors).toBeUndefined();
    }
    const filter = { recordId: [incident.id][0], action: ['updateIncident'] };
    const first = await gqlRaw(t.url, { query: AUDIT_EVENTS, variables: { filter, limit: 1 } }, org.owner.token);
    expect(first.errors).toBeUndefined();
    expect(first.data.auditEvents.total).toBe(2);
    const second = await gqlRaw(
      t.url,
      { query: AUDIT_EVENTS, variables: { filter, limit: 1, cursor: first.data.auditEvents.nextCursor } },
      org.owner.token,
    );
    const both = [...first.data.auditEvents.items, ...second.data.auditEvents.items];
    expect(new Set(both.map((e: { id: string }) => e.id)).size).toBe(2);
    for (const event of both) {
      expect(event).toMatchObject({
        action: 'updateIncident',
        outcome: 'success',
        recordType: 'Incident',
        recordId: incident.id,
        changedFields: ['title'],
        surface: 'graphql',
        actorId: org.owner.id,
      });
    }
    // Filters by actor, outcome, record type and time.
    const since = new Date(Date.now() - 60_000).toISOString();
    const mine = await gqlRaw(
      t.url,
      {
        query: AUDIT_EVENTS,
        variables: {
          filter: { actorId: [org.owner.id], outcome: ['success'], recordType: ['Incident'], createdAfter: since },
          limit: 100,
        },
      },
      org.owner.token,
    );
    expect(mine.data.auditEvents.items.map((e: { recordId: string }) => e.recordId)).toContain(incident.id);
    const future = await events(`created_after=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`);
    expect(future).toEqual([]);
  });

  it('records failures (validation, role, missing record) with their code, and nothing of the refused change', async () => {
    const viewer = await org.user('viewer');
    const invalid = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'x', severity: 'P9' },
    });
    expect(invalid.status).toBe(400);
    const forbidden = await rest(t.url, 'POST', '/incidents', {
      token: viewer.token,
      body: { title: 'Viewer made', severity: 'P3' },
    });
    expect(forbidden.status).toBe(403);
    const missing = await rest(t.url, 'DELETE', '/teams/00000000-0000-4000-8000-000000000009', {
      token: org.owner.token,
    });
    expect(missing.status).toBe(404);
    const failures = await events('outcome=failure&limit=100');
    expect(failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'createIncident',
          actor_id: org.owner.id,
          error_code: 'VALIDATION_FAILED',
          record_type: 'Incident',
          record_id: null,
        }),
        expect.objectContaining({ action: 'createIncident', actor_id: viewer.id, error_code: 'FORBIDDEN' }),
        expect.objectContaining({
          action: 'deleteTeam',
          error_code: 'NOT_FOUND',
          record_type: 'Team',
          record_id: '00000000-0000-4000-8000-000000000009',
        }),
      ]),
    );
    expect(await events('action=createIncident&outcome=success&actor_id=' + viewer.id)).toEqual([]);
    // Refused by GraphQL's own validation, before the mutation ran.
    const badEnum = await gqlRaw(
      t.url,
      {
        query: 'mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }',
        variables: { input: { title: 'Bad enum', severity: 'P0' } },
      },
      viewer.token,
    );
    expect(errorCode(badEnum)).toBe('VALIDATION_FAILED');
    expect(await events(`actor_id=${viewer.id}&outcome=failure&surface=graphql`)).toEqual([
      expect.objectContaining({
        action: 'createIncident',
        error_code: 'VALIDATION_FAILED',
        changed_fields: ['severity', 'title'],
      }),
    ]);
  });

  it('commits a change only with its audit row: a mutation failing after its service committed leaves neither', async () => {
    const teams = t.app.services.teams as unknown as { create: (...args: unknown[]) => Promise<unknown> };
    const original = teams.create;
    // The service's own transaction completes; without the audit transaction around it, the team would stay.
    teams.create = async function (this: unknown, ...args: unknown[]) {
      await original.apply(this, args);
      throw new Error('fails after the create');
    };
    const name = `Rolled back ${randomUUID()}`;
    let res;
    try {
      res = await rest(t.url, 'POST', '/teams', { token: org.owner.token, body: { name } });
    } finally {
      teams.create = original;
    }
    expect(res.status).toBe(500);
    const listed = await rest(t.url, 'GET', `/teams?q=${encodeURIComponent(name)}`, { token: org.owner.token });
    expect(listed.body.total).toBe(0);
    const requestId = res.headers.get('x-request-id')!;
    const rows = await rowsOfRequest(requestId);
    expect(rows.map((r) => [r.action, r.outcome, r.error_code])).toEqual([['createTeam', 'failure', 'INTERNAL']]);
  });

  it('records failed logins, for an unknown account too, answering both alike and storing no password', async () => {
    const admin = await org.user('admin');
    const wrong = await rest(t.url, 'POST', '/auth/login', {
      body: { email: admin.email, password: 'guessed password 1' },
      headers: { 'user-agent': 'stuffer/2' },
    });
    const unknownEmail = `nobody-${randomUUID()}@example.test`;
    const unknown = await rest(t.url, 'POST', '/auth/login', {
      body: { email: unknownEmail, password: 'guessed password 2' },
      headers: { 'user-agent': 'stuffer/2' },
    });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(unknown.body).toEqual(wrong.body);
    const [attempt] = await events(`action=login&actor_id=${admin.id}&outcome=failure`);
    expect(attempt).toMatchObject({
      action: 'login',
      outcome: 'failure',
      error_code: 'UNAUTHENTICATED',
      actor_id: admin.id,
      user_agent: 'stuffer/2',
      surface: 'rest',
    });
    const [unknownRow] = await rowsOfRequest(unknown.headers.get('x-request-id')!);
    expect(unknownRow).toMatchObject({
      action: 'login',
      outcome: 'failure',
      organization_id: null,
      actor_id: null,
      user_agent: 'stuffer/2',
    });
    const everything = JSON.stringify([attempt, unknownRow]);
    for (const secret of ['guessed password 1', 'guessed password 2', unknownEmail])
      expect(everything).not.toContain(secret);
    // A successful login is attributed to the account and its organization.
    const ok = await rest(t.url, 'POST', '/auth/login', { body: { email: admin.email, password: PASSWORD } });
    expect(ok.status).toBe(200);
    expect(await events(`action=login&actor_id=${admin.id}&outcome=success`)).toHaveLength(1);
  });

  it('records secret rotations and password and MFA changes by the fields changed, never the secrets', async () => {
    const user = await org.user('admin');
    const rule = await org.alertRule();
    const source = await org.webhookSource();
    const rotatedRule = await rest(t.url, 'POST', `/alert-rules/${rule.id}/rotate-secret`, { token: user.token });
    const rotatedSource = await rest(t.url, 'POST', `/webhook-sources/${source.id}/rotate-secret`, {
      token: user.token,
      body: { verification: 'bearer' },
    });
    const enrolled = await rest(t.url, 'POST', '/auth/mfa/enroll', { token: user.token, body: { password: PASSWORD } });
    const newPassword = `new password ${randomUUID()}`;
    const changed = await rest(t.url, 'POST', '/auth/change-password', {
      token: user.token,
      body: { current_password: PASSWORD, new_password: newPassword },
    });
    expect([rotatedRule.status, rotatedSource.status, enrolled.status, changed.status]).toEqual([200, 200, 200, 200]);
    const mine = await events(`actor_id=${user.id}`);
    const byAction = Object.fromEntries(mine.map((e) => [e.action, e]));
    expect(byAction.rotateAlertRuleSecret).toMatchObject({
      outcome: 'success',
      record_type: 'AlertRule',
      record_id: rule.id,
      changed_fields: [],
    });
    expect(byAction.rotateWebhookSourceSecret).toMatchObject({
      outcome: 'success',
      record_type: 'WebhookSource',
      record_id: source.id,
      changed_fields: ['verification'],
    });
    expect(byAction.enrollMfa).toMatchObject({ outcome: 'success', changed_fields: ['password'] });
    expect(byAction.changePassword).toMatchObject({
      outcome: 'success',
      record_type: 'User',
      record_id: user.id,
      changed_fields: ['currentPassword', 'newPassword'],
    });
    const stored = JSON.stringify(
      await t.orm.em.getConnection().execute('select * from audit_events where actor_id = ?', [user.id]),
    );
    for (const secret of [
      rotatedRule.body.signing_secret,
      rotatedSource.body.bearer_token,
      enrolled.body.secret,
      newPassword,
      PASSWORD,
      changed.body.access_token,
      changed.body.refresh_token,
    ]) {
      expect(secret).toBeTruthy();
      expect(stored).not.toContain(secret);
    }
  });

  it('is read by admins and owners only', async () => {
    const admin = await org.user('admin');
    expect((await rest(t.url, 'GET', '/audit-events', { token: admin.token })).status).toBe(200);
    for (const role of ['responder', 'viewer'] as const) {
      const user = await org.user(role);
      const res = await rest(t.url, 'GET', '/audit-events', { token: user.token });
      expect([role, res.status, res.body.error.code]).toEqual([role, 403, 'FORBIDDEN']);
      expect(errorCode(await gqlRaw(t.url, { query: AUDIT_EVENTS }, user.token))).toBe('FORBIDDEN');
    }
    expect((await rest(t.url, 'GET', '/audit-events')).status).toBe(401);
  });

  it("never shows another organization's events", async () => {
    const other = await seedOrg(t.url);
    const team = await other.team();
    const [theirs] = await events(`record_id=${team.id}`, other.owner.token);
    expect(theirs.action).toBe('createTeam');
    expect(await events(`record_id=${team.id}`)).toEqual([]);
    expect((await rest(t.url, 'GET', `/audit-events/${theirs.id}`, { token: org.owner.token })).status).toBe(404);
    const mine = await rest(t.url, 'GET', '/audit-events?limit=100', { token: other.owner.token });
    const ids = new Set((await events('limit=100')).map((e) => e.id));
    expect(mine.body.items.some((e: { id: string }) => ids.has(e.id))).toBe(false);
  });

  it('is append-only: no mutation and no REST write touches it', async () => {
    const schema = await gqlRaw(t.url, { query: '{ __type(name: "Mutation") { fields { name } } }' }, org.owner.token);
    expect(
      schema.data.__type.fields.map((f: { name: string }) => f.name).filter((n: string) => /audit/i.test(n)),
    ).toEqual([]);
    const [event] = await events('limit=1');
    expect((await rest(t.url, 'POST', '/audit-events', { token: org.owner.token, body: {} })).status).toBe(405);
    expect(
      (
        await rest(t.url, 'PATCH', `/audit-events/${event.id}`, {
          token: org.owner.token,
          body: { outcome: 'success' },
        })
      ).status,
    ).toBe(405);
    expect((await rest(t.url, 'DELETE', `/audit-events/${event.id}`, { token: org.owner.token })).status).toBe(405);
  });
});

describe("the audit log's cost", () => {
  it("adds one INSERT to the mutation's own transaction: no second transaction, no savepoint", async () => {
    const statements: string[] = [];
    const counted = await startTestApp({}, { onQuery: (line) => statements.push(line) });
    try {
      const owner = await seedOrg(counted.url);
      const incident = await owner.incident();
      statements.length = 0;
      const res = await rest(counted.url, 'PATCH', `/incidents/${incident.id}`, {
        token: owner.owner.token,
        body: { title: 'Counted' },
      });
      expect(res.status).toBe(200);
      const kinds = statements
        .map((s) =>
          /\[query\]\s*(?:\x1b\[\d+m)?\s*(begin|commit|rollback|savepoint|release savepoint|insert into "?audit_events)/i
            .exec(s)?.[1]
            ?.toLowerCase(),
        )
        .filter(Boolean);
      expect(kinds).toEqual(['begin', 'insert into audit_events', 'commit']);
    } finally {
      await counted.close();
    }
  });
});
