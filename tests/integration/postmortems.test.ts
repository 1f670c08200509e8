import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { seedOrg } from '../support/seed';
import { CreatePostmortemDocument, PostmortemsDocument } from '../support/generated/graphql';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('postmortems', () => {
  it('creates one for an incident by key, with nested timeline and action items in snake_case', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident({ started_at: '2026-01-01T10:00:00Z', title: 'DB failover' });
    await rest(t.url, 'PATCH', `/incidents/${incident.id}`, { token: org.owner.token, body: { status: 'resolved' } });
    const res = await rest(t.url, 'POST', '/postmortems', {
      token: org.owner.token,
      body: {
        incident_id: incident.key,
        title: 'DB failover postmortem',
        severity_impact: 'Checkout unavailable for EU users',
        timeline: [{ at: '2026-01-01T10:00:00Z', description: 'Primary lost' }],
        contributing_factors: ['No automated failover test'],
        action_items: [{ description: 'Add a failover drill', owner_id: org.owner.id, due_at: '2026-02-01T00:00:00Z' }],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      incident_id: incident.id,
      status: 'draft',
      ai_generated: false,
      timeline: [{ at: '2026-01-01T10:00:00.000Z', description: 'Primary lost' }],
      contributing_factors: ['No automated failover test'],
      action_items: [
        {
          description: 'Add a failover drill',
          owner_id: org.owner.id,
          due_at: '2026-02-01T00:00:00.000Z',
          done: false,
        },
      ],
    });
    expect(res.body.duration_minutes).toBeGreaterThan(0);
  });

  it('keeps one postmortem per incident', async () => {
    const org = await seedOrg(t.url);
    const pm = await org.postmortem();
    const again = await rest(t.url, 'POST', '/postmortems', {
      token: org.owner.token,
      body: { incident_id: pm.incident_id, title: 'Second' },
    });
    expect(again.status).toBe(409);
  });

  it('moves draft → in_review → published, and a published one is final', async () => {
    const org = await seedOrg(t.url);
    const pm = await org.postmortem();
    expect(
      (await rest(t.url, 'PATCH', `/postmortems/${pm.id}`, { token: org.owner.token, body: { status: 'in_review' } }))
        .status,
    ).toBe(200);
    expect(
      (await rest(t.url, 'PATCH', `/postmortems/${pm.id}`, { token: org.owner.token, body: { status: 'published' } }))
        .status,
    ).toBe(200);
    const edit = await rest(t.url, 'PATCH', `/postmortems/${pm.id}`, {
      token: org.owner.token,
      body: { title: 'Rewritten' },
    });
    expect(edit.status).toBe(409);
  });

  it('refuses an unknown action-item owner, a missing incident and a bad nested value', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident();
    const owner = await rest(t.url, 'POST', '/postmortems', {
      token: org.owner.token,
      body: {
        incident_id: incident.id,
        title: 'x',
        action_items: [{ description: 'y', owner_id: '00000000-0000-4000-8000-000000000000' }],
      },
    });
    expect(owner.status).toBe(400);
    const missing = await rest(t.url, 'POST', '/postmortems', {
      token: org.owner.token,
      body: { incident_id: 'INC-999', title: 'x' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].field).toBe('incident_id');
    const nested = await rest(t.url, 'POST', '/postmortems', {
      token: org.owner.token,
      body: { incident_id: incident.id, title: 'x', timeline: [{ at: 'yesterday', description: 'z' }] },
    });
    expect(nested.status).toBe(400);
  });

  it('works through GraphQL, with the incident nested', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident({ title: 'Queue backlog' });
    const created = await gql(
      t.url,
      CreatePostmortemDocument,
      { input: { incidentId: incident.key, title: 'Backlog review' } },
      org.owner.token,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.createPostmortem).toMatchObject({
      incidentId: incident.id,
      incident: { key: incident.key, title: 'Queue backlog' },
      status: 'draft',
    });
    const listed = await gql(
      t.url,
      PostmortemsDocument,
      { filter: { incidentId: [incident.key], status: ['draft'] } },
      org.owner.token,
    );
    expect(listed.data?.postmortems.total).toBe(1);
    const viewer = await org.user('viewer');
    const denied = await gql(
      t.url,
      CreatePostmortemDocument,
      { input: { incidentId: incident.key, title: 'Nope' } },
      viewer.token,
    );
    expect(errorCode(denied)).toBe('FORBIDDEN');
  });

  it('filters by incident key and status on REST', async () => {
    const org = await seedOrg(t.url);
    const a = await org.postmortem();
    await org.postmortem();
    const incident = (await rest(t.url, 'GET', `/incidents/${a.incident_id}`, { token: org.owner.token })).body;
    const res = await rest(t.url, 'GET', `/postmortems?incident_id=${incident.key}&status=draft`, {
      token: org.owner.token,
    });
    expect(res.body.items.map((p: { id: string }) => p.id)).toEqual([a.id]);
    expect((await rest(t.url, 'GET', '/postmortems?ai_generated=false', { token: org.owner.token })).body.total).toBe(
      2,
    );
  });
});
