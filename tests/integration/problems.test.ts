import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { seedOrg } from '../support/seed';
import {
  CreateProblemDocument,
  DeleteProblemDocument,
  IncidentWithProblemDocument,
  IncidentsDocument,
  ProblemDocument,
  ProblemsDocument,
  UpdateIncidentDocument,
  UpdateProblemDocument,
} from '../support/generated/graphql';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const timeline = async (token: string, incident: string) =>
  (await rest(t.url, 'GET', `/incident-events?incident_id=${incident}&type=problem_linked,problem_unlinked`, { token }))
    .body.items as Array<{
    type: string;
    message: string;
    actor_id: string;
    data: Record<string, unknown>;
  }>;

describe('creating and reading problems', () => {
  it('creates with PRB keys per organization and the documented fields in snake_case', async () => {
    const org = await seedOrg(t.url);
    const other = await seedOrg(t.url);
    const service = await org.service();
    const res = await rest(t.url, 'POST', '/problems/', {
      token: org.owner.token,
      body: {
        title: 'Pool exhaustion',
        description: 'Pods run out of DB connections',
        priority: 'P2',
        root_cause: 'Leak in the retry path',
        workaround: 'Restart',
        service_id: service.id,
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      key: 'PRB-1',
      number: 1,
      title: 'Pool exhaustion',
      status: 'open',
      priority: 'P2',
      root_cause: 'Leak in the retry path',
      workaround: 'Restart',
      service_id: service.id,
      incident_ids: [],
      resolved_at: null,
    });
    expect(res.body).not.toHaveProperty('incidents');
    expect((await org.problem()).key).toBe('PRB-2');
    expect((await other.problem()).key).toBe('PRB-1');
    expect((await org.incident()).key).toBe('INC-1');
  });

  it('defaults the priority to P3 and refuses an unknown one', async () => {
    const org = await seedOrg(t.url);
    expect((await org.problem()).priority).toBe('P3');
    const bad = await rest(t.url, 'POST', '/problems', {
      token: org.owner.token,
      body: { title: 'x', priority: 'P9' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('priority');
  });

  it('reads by id and by key on both surfaces, and 404s an unknown key', async () => {
    const org = await seedOrg(t.url);
    const problem = await org.problem();
    for (const ref of [problem.id, problem.key, problem.key.toLowerCase()]) {
      expect((await rest(t.url, 'GET', `/problems/${ref}`, { token: org.owner.token })).body.id).toBe(problem.id);
      expect((await gql(t.url, ProblemDocument, { id: ref }, org.owner.token)).data?.problem.id).toBe(problem.id);
    }
    expect((await rest(t.url, 'GET', '/problems/PRB-99', { token: org.owner.token })).status).toBe(404);
    expect((await rest(t.url, 'GET', '/problems/INC-1', { token: org.owner.token })).status).toBe(400);
  });

  it('refuses a missing service, naming the field', async () => {
    const org = await seedOrg(t.url);
    const res = await rest(t.url, 'POST', '/problems', {
      token: org.owner.token,
      body: { title: 'x', service_id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('service_id');
  });

  it('creates through GraphQL with camelCase fields', async () => {
    const org = await seedOrg(t.url);
    const res = await gql(
      t.url,
      CreateProblemDocument,
      { input: { title: 'GraphQL problem', priority: 'P1', rootCause: 'DNS' } },
      org.owner.token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.createProblem).toMatchObject({
      key: 'PRB-1',
      priority: 'P1',
      rootCause: 'DNS',
      status: 'open',
      incidentIds: [],
    });
  });
});

describe('the problem lifecycle', () => {
  it('walks open → investigating → known_error → resolved → closed, stamping resolved_at and closed_at', async () => {
    const org = await seedOrg(t.url);
    const responder = await org.user('responder');
    const problem = await org.problem();
    for (const status of ['investigating', 'known_error', 'resolved', 'closed']) {
      const res = await rest(t.url, 'PATCH', `/problems/${problem.key}`, { token: responder.token, body: { status } });
      expect([status, res.status, res.body.status]).toEqual([status, 200, status]);
    }
    const done = (await rest(t.url, 'GET', `/problems/${problem.id}`, { token: org.owner.token })).body;
    expect(done.resolved_at).not.toBeNull();
    expect(done.closed_at).not.toBeNull();
  });

  it('allows skipping ahead, and reopening a resolved problem clears resolved_at', async () => {
    const org = await seedOrg(t.url);
    const problem = await org.problem();
    const skipped = await rest(t.url, 'PATCH', `/problems/${problem.id}`, {
      token: org.owner.token,
      body: { status: 'resolved', root_cause: 'Bad config' },
    });
    expect(skipped.status).toBe(200);
    expect(skipped.body).toMatchObject({ status: 'resolved', root_cause: 'Bad config' });
    expect(skipped.body.resolved_at).not.toBeNull();
    const reopened = await rest(t.url, 'PATCH', `/problems/${problem.id}`, {
      token: org.owner.token,
      body: { status: 'open' },
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'open', resolved_at: null });
  });

  it('refuses going back and leaving closed with 409, leaving the record unchanged', async () => {
    const org = await seedOrg(t.url);
    const problem = await org.problem();
    await rest(t.url, 'PATCH', `/problems/${problem.id}`, { token: org.owner.token, body: { status: 'known_error' } });
    const back = await rest(t.url, 'PATCH', `/problems/${problem.id}`, {
      token: org.owner.token,
      body: { status: 'investigating', title: 'Renamed' },
    });
    expect(back.status).toBe(409);
    expect(back.body.error).toMatchObject({ code: 'CONFLICT', details: [{ field: 'status' }] });
    expect((await rest(t.url, 'GET', `/problems/${problem.id}`, { token: org.owner.token })).body).toMatchObject({
      status: 'known_error',
      title: problem.title,
    });
    await rest(t.url, 'PATCH', `/problems/${problem.id}`, { token: org.owner.token, body: { status: 'closed' } });
    for (const status of ['open', 'resolved']) {
      const res = await gql(
        t.url,
        UpdateProblemDocument,
        { id: problem.key, input: { status: status as 'open' } },
        org.owner.token,
      );
      expect(errorCode(res)).toBe('CONFLICT');
    }
  });
});

describe('linking incidents and problems', () => {
  it('links incidents from the problem by id or key, visible from both sides, with timeline entries', async () => {
    const org = await seedOrg(t.url);
    const responder = await org.user('responder');
    const a = await org.incident({ title: 'Checkout 500s' });
    const b = await org.incident({ title: 'Login 500s' });
    const created = await rest(t.url, 'POST', '/problems', {
      token: responder.token,
      body: { title: 'DB pool', incident_ids: [a.key, b.id] },
    });
    expect(created.status).toBe(201);
    expect([...created.body.incident_ids].sort()).toEqual([a.id, b.id].sort());

    const incident = await rest(t.url, 'GET', `/incidents/${a.key}`, { token: org.owner.token });
    expect(incident.body.problem_id).toBe(created.body.id);
    const viaGraphQL = await gql(t.url, IncidentWithProblemDocument, { id: b.key }, org.owner.token);
    expect(viaGraphQL.data?.incident).toMatchObject({
      problemId: created.body.id,
      problem: { key: 'PRB-1', title: 'DB pool' },
    });
    const problem = await gql(t.url, ProblemDocument, { id: 'PRB-1' }, org.owner.token);
    expect(problem.data?.problem.incidents.map((i) => i.key).sort()).toEqual([a.key, b.key].sort());

    const events = await timeline(org.owner.token, a.key);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'problem_linked',
        actor_id: responder.id,
        data: { problem_id: created.body.id, problem_key: 'PRB-1' },
      }),
    ]);
  });

  it('replaces the linked incidents on update, unlinking the others with a timeline entry', async () => {
    const org = await seedOrg(t.url);
    const a = await org.incident();
    const b = await org.incident();
    const problem = await org.problem({ incident_ids: [a.id] });
    const res = await rest(t.url, 'PATCH', `/problems/${problem.key}`, {
      token: org.owner.token,
      body: { incident_ids: [b.key] },
    });
    expect(res.status).toBe(200);
    expect(res.body.incident_ids).toEqual([b.id]);
    expect((await rest(t.url, 'GET', `/incidents/${a.id}`, { token: org.owner.token })).body.problem_id).toBeNull();
    expect((await timeline(org.owner.token, a.id)).map((e) => e.type)).toEqual(['problem_linked', 'problem_unlinked']);
    const cleared = await rest(t.url, 'PATCH', `/problems/${problem.key}`, {
      token: org.owner.token,
      body: { incident_ids: [] },
    });
    expect(cleared.body.incident_ids).toEqual([]);
    expect((await rest(t.url, 'GET', `/incidents/${b.id}`, { token: org.owner.token })).body.problem_id).toBeNull();
  });

  it('links from the incident by PRB key or id, on create and update, and the problem lists it', async () => {
    const org = await seedOrg(t.url);
    const first = await org.problem();
    const second = await org.problem();
    const incident = await org.incident({ problem_id: first.key });
    expect(incident.problem_id).toBe(first.id);
    expect((await rest(t.url, 'GET', `/problems/${first.id}`, { token: org.owner.token })).body.incident_ids).toEqual([
      incident.id,
    ]);

    const moved = await gql(
      t.url,
      UpdateIncidentDocument,
      { id: incident.key, input: { problemId: second.id } },
      org.owner.token,
    );
    expect(moved.errors).toBeUndefined();
    expect((await rest(t.url, 'GET', `/problems/${first.id}`, { token: org.owner.token })).body.incident_ids).toEqual(
      [],
    );
    expect((await rest(t.url, 'GET', `/problems/${second.key}`, { token: org.owner.token })).body.incident_ids).toEqual(
      [incident.id],
    );

    const unlinked = await rest(t.url, 'PATCH', `/incidents/${incident.id}`, {
      token: org.owner.token,
      body: { problem_id: null },
    });
    expect(unlinked.body.problem_id).toBeNull();
    const events = await timeline(org.owner.token, incident.id);
    // The move writes two entries in the same instant, so their relative order is not asserted.
    const pairs = events.map((e) => `${e.type} ${e.data.problem_key}`);
    expect(pairs[0]).toBe('problem_linked PRB-1');
    expect(pairs.slice(1, 3).sort()).toEqual(['problem_linked PRB-2', 'problem_unlinked PRB-1']);
    expect(pairs[3]).toBe('problem_unlinked PRB-2');
    expect(events[0].message).toContain('PRB-1');
  });

  it('moves an incident linked to another problem when a problem claims it', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident();
    const first = await org.problem({ incident_ids: [incident.key] });
    const second = await org.problem({ incident_ids: [incident.key] });
    expect((await rest(t.url, 'GET', `/incidents/${incident.id}`, { token: org.owner.token })).body.problem_id).toBe(
      second.id,
    );
    expect((await rest(t.url, 'GET', `/problems/${first.id}`, { token: org.owner.token })).body.incident_ids).toEqual(
      [],
    );
  });

  it('filters incidents by problem, by id or key', async () => {
    const org = await seedOrg(t.url);
    const problem = await org.problem();
    const linked = await org.incident({ problem_id: problem.id });
    await org.incident();
    const byKey = await rest(t.url, 'GET', `/incidents?problem_id=${problem.key}`, { token: org.owner.token });
    expect(byKey.body.items.map((i: { id: string }) => i.id)).toEqual([linked.id]);
    const byId = await gql(t.url, IncidentsDocument, { filter: { problemId: [problem.id] } }, org.owner.token);
    expect(byId.data?.incidents.items.map((i) => i.id)).toEqual([linked.id]);
    const unknown = await rest(t.url, 'GET', '/incidents?problem_id=PRB-404', { token: org.owner.token });
    expect(unknown.body).toMatchObject({ items: [], total: 0 });
  });

  it('refuses missing or foreign references on both sides with 400 naming the field', async () => {
    const org = await seedOrg(t.url);
    const other = await seedOrg(t.url);
    const foreignIncident = await other.incident();
    const foreignProblem = await other.problem();
    const ownIncident = await org.incident();
    for (const ref of [foreignIncident.id, 'INC-99', 'PRB-1']) {
      const res = await rest(t.url, 'POST', '/problems', {
        token: org.owner.token,
        body: { title: 'x', incident_ids: [ownIncident.id, ref] },
      });
      expect([ref, res.status, res.body.error?.details?.[0]?.field]).toEqual([ref, 400, 'incident_ids']);
    }
    expect(
      (await rest(t.url, 'GET', `/incidents/${ownIncident.id}`, { token: org.owner.token })).body.problem_id,
    ).toBeNull();
    for (const ref of [foreignProblem.id, foreignProblem.key, 'INC-1']) {
      const res = await rest(t.url, 'PATCH', `/incidents/${ownIncident.id}`, {
        token: org.owner.token,
        body: { problem_id: ref },
      });
      expect([ref, res.status, res.body.error?.details?.[0]?.field]).toEqual([ref, 400, 'problem_id']);
    }
    const viaGraphQL = await gql(
      t.url,
      CreateProblemDocument,
      { input: { title: 'x', incidentIds: [foreignIncident.id] } },
      org.owner.token,
    );
    expect(errorCode(viaGraphQL)).toBe('VALIDATION_FAILED');
    expect(viaGraphQL.errors?.[0].extensions?.details?.[0].field).toBe('incidentIds');
  });

  it('unlinks the incidents of a deleted problem, on their timelines', async () => {
    const org = await seedOrg(t.url);
    const admin = await org.user('admin');
    const incident = await org.incident();
    const problem = await org.problem({ incident_ids: [incident.id] });
    const del = await gql(t.url, DeleteProblemDocument, { id: problem.key }, admin.token);
    expect(del.data?.deleteProblem).toBe(true);
    expect(
      (await rest(t.url, 'GET', `/incidents/${incident.id}`, { token: org.owner.token })).body.problem_id,
    ).toBeNull();
    expect((await timeline(org.owner.token, incident.id)).map((e) => e.type)).toEqual([
      'problem_linked',
      'problem_unlinked',
    ]);
    expect((await rest(t.url, 'GET', `/problems/${problem.id}`, { token: org.owner.token })).status).toBe(404);
  });
});

describe('listing problems', () => {
  it('filters by status, priority, service and text, and pages with a cursor', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service();
    const p1 = await org.problem({ title: 'Disk fills up', priority: 'P1', service_id: service.id });
    const p2 = await org.problem({ title: 'Cache stampede', priority: 'P2', workaround: 'warm the disk cache' });
    const p3 = await org.problem({ title: 'Cert expiry', priority: 'P1' });
    await rest(t.url, 'PATCH', `/problems/${p3.id}`, { token: org.owner.token, body: { status: 'investigating' } });

    const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((i) => i.id);
    expect(ids(await rest(t.url, 'GET', '/problems?priority=P1&status=open', { token: org.owner.token }))).toEqual([
      p1.id,
    ]);
    expect(ids(await rest(t.url, 'GET', `/problems?service_id=${service.id}`, { token: org.owner.token }))).toEqual([
      p1.id,
    ]);
    expect(ids(await rest(t.url, 'GET', '/problems?q=disk&sort=number', { token: org.owner.token }))).toEqual([
      p1.id,
      p2.id,
    ]);
    expect(
      ids(await rest(t.url, 'GET', '/problems?status=open,investigating&sort=number', { token: org.owner.token })),
    ).toEqual([p1.id, p2.id, p3.id]);

    const page1 = await gql(t.url, ProblemsDocument, { limit: 2, sort: 'number' }, org.owner.token);
    expect(page1.data?.problems).toMatchObject({ total: 3 });
    expect(page1.data?.problems.items.map((p) => p.key)).toEqual(['PRB-1', 'PRB-2']);
    const page2 = await rest(t.url, 'GET', `/problems?limit=2&sort=number&cursor=${page1.data?.problems.nextCursor}`, {
      token: org.owner.token,
    });
    expect(page2.body).toMatchObject({ total: 3, next_cursor: null });
    expect(ids(page2)).toEqual([p3.id]);
  });
});

describe('problem roles', () => {
  it('lets responders create and work problems, viewers only read, and keeps deletion to admins', async () => {
    const org = await seedOrg(t.url);
    const responder = await org.user('responder');
    const viewer = await org.user('viewer');
    const admin = await org.user('admin');
    const created = await rest(t.url, 'POST', '/problems', {
      token: responder.token,
      body: { title: 'Responder made' },
    });
    expect(created.status).toBe(201);
    expect(
      (await rest(t.url, 'POST', '/problems', { token: viewer.token, body: { title: 'Viewer made' } })).status,
    ).toBe(403);
    expect((await rest(t.url, 'GET', `/problems/${created.body.key}`, { token: viewer.token })).status).toBe(200);
    expect((await rest(t.url, 'DELETE', `/problems/${created.body.key}`, { token: responder.token })).status).toBe(403);
    expect((await rest(t.url, 'DELETE', `/problems/${created.body.key}`, { token: admin.token })).status).toBe(204);
  });
});
