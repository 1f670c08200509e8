import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { seedOrg } from '../support/seed';
import {
  CreateIncidentDocument,
  DeleteIncidentDocument,
  IncidentDocument,
  IncidentEventsDocument,
  IncidentsDocument,
  UpdateIncidentDocument,
} from '../support/generated/graphql';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('creating incidents', () => {
  it('creates with the documented curl body and answers 201 with the record', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service({ name: 'payments' });
    const res = await rest(t.url, 'POST', '/incidents/', {
      token: org.owner.token,
      body: { title: 'Payments failing', severity: 'P1', service_id: service.id },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      key: 'INC-1',
      title: 'Payments failing',
      severity: 'P1',
      status: 'open',
      service_id: service.id,
      auto_classified: false,
      classification_model: 'argus-severity-v1',
      acknowledged_at: null,
      source: 'manual',
    });
    expect(Date.parse(res.body.started_at)).toBeLessThanOrEqual(Date.now());
    expect(res.body).not.toHaveProperty('service');
    expect(res.body).not.toHaveProperty('organization');
  });

  it('numbers keys per organization', async () => {
    const a = await seedOrg(t.url);
    const b = await seedOrg(t.url);
    expect((await a.incident()).key).toBe('INC-1');
    expect((await a.incident()).key).toBe('INC-2');
    expect((await b.incident()).key).toBe('INC-1');
  });

  it('hands out distinct keys to concurrent creations', async () => {
    const org = await seedOrg(t.url);
    const created = await Promise.all(Array.from({ length: 8 }, (_, i) => org.incident({ title: `Burst ${i}` })));
    expect(new Set(created.map((i) => i.key)).size).toBe(8);
  });

  it('fills in a missing severity with the classifier and says which model did', async () => {
    const org = await seedOrg(t.url);
    const res = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'Checkout is down for all users' },
    });
    expect(res.status).toBe(201);
    expect(res.body.auto_classified).toBe(true);
    expect(res.body.severity).toBe('P1');
    expect(res.body.classification_confidence).toBeGreaterThan(0);
    expect(res.body.classification_confidence).toBeLessThanOrEqual(1);
    expect(res.body.classification_model).toBe('argus-severity-v1');
    expect(res.body.suggested_severity).toBe('P1');
  });

  it('keeps the severity the caller sent', async () => {
    const org = await seedOrg(t.url);
    const res = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'Checkout is down for all users', severity: 'P4' },
    });
    expect(res.body).toMatchObject({ severity: 'P4', auto_classified: false });
  });

  it('accepts a past started_at and refuses a future one', async () => {
    const org = await seedOrg(t.url);
    const past = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'Imported', severity: 'P3', started_at: '2024-01-02T03:04:05Z', source: 'import' },
    });
    expect(past.status).toBe(201);
    expect(past.body.started_at).toBe('2024-01-02T03:04:05.000Z');
    const future = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'Later', severity: 'P3', started_at: '2999-01-01T00:00:00Z' },
    });
    expect(future.status).toBe(400);
    expect(future.body.error.details[0].field).toBe('started_at');
  });

  it('takes the team of the service when no team is given', async () => {
    const org = await seedOrg(t.url);
    const team = await org.team();
    const service = await org.service({ team_id: team.id });
    const incident = await org.incident({ service_id: service.id });
    expect(incident.team_id).toBe(team.id);
  });

  it('refuses a reference to a missing service, naming the field', async () => {
    const org = await seedOrg(t.url);
    const res = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'x', severity: 'P3', service_id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('service_id');
  });

  it('writes a created entry on the timeline', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident();
    const events = await rest(t.url, 'GET', `/incident-events?incident_id=${incident.key}`, { token: org.owner.token });
    expect(events.status).toBe(200);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({ type: 'created', incident_id: incident.id, actor_id: org.owner.id });
  });

  it('creates through GraphQL with camelCase fields', async () => {
    const org = await seedOrg(t.url);
    const res = await gql(
      t.url,
      CreateIncidentDocument,
      { input: { title: 'GraphQL incident', severity: 'P2', tags: ['db'] } },
      org.owner.token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.createIncident).toMatchObject({
      key: 'INC-1',
      severity: 'P2',
      status: 'open',
      tags: ['db'],
      autoClassified: false,
    });
  });
});

describe('reading incidents', () => {
  it('reads by id and by key on both surfaces', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident({ title: 'Read me' });
    for (const ref of [incident.id, incident.key, incident.key.toLowerCase()]) {
      const res = await rest(t.url, 'GET', `/incidents/${ref}`, { token: org.owner.token });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(incident.id);
      const viaGraphQL = await gql(t.url, IncidentDocument, { id: ref }, org.owner.token);
      expect(viaGraphQL.data?.incident.id).toBe(incident.id);
    }
  });

  it('answers an unknown key or id with 404', async () => {
    const org = await seedOrg(t.url);
    expect((await rest(t.url, 'GET', '/incidents/INC-999', { token: org.owner.token })).status).toBe(404);
    expect(
      (await rest(t.url, 'GET', '/incidents/6c1e5bd4-1f7e-4b0a-9f59-3f0a4c5f2a11', { token: org.owner.token })).status,
    ).toBe(404);
    const viaGraphQL = await gql(t.url, IncidentDocument, { id: 'INC-999' }, org.owner.token);
    expect(errorCode(viaGraphQL)).toBe('NOT_FOUND');
  });

  it('answers a key of another kind (PRB-1) with 400', async () => {
    const org = await seedOrg(t.url);
    const res = await rest(t.url, 'GET', '/incidents/PRB-1', { token: org.owner.token });
    expect(res.status).toBe(400);
  });
});

describe('the incident lifecycle', () => {
  it('stamps each status it reaches and writes a timeline entry for it', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident();
    for (const status of ['acknowledged', 'investigating', 'mitigated', 'resolved', 'closed']) {
      const res = await rest(t.url, 'PATCH', `/incidents/${incident.key}`, {
        token: org.owner.token,
        body: { status },
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(status);
    }
    const done = (await rest(t.url, 'GET', `/incidents/${incident.id}`, { token: org.owner.token })).body;
    for (const field of ['acknowledged_at', 'mitigated_at', 'resolved_at', 'closed_at'])
      expect(done[field]).not.toBeNull();
    const events = await rest(t.url, 'GET', `/incident-events?incident_id=${incident.id}&type=status_changed`, {
      token: org.owner.token,
    });
    expect(events.body.items.map((e: { data: { to: string } }) => e.data.to)).toEqual([
      'acknowledged',
      'investigating',
      'mitigated',
      'resolved',
      'closed',
    ]);
  });

  it('allows skipping ahead', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident();
    const res = await rest(t.url, 'PATCH', `/incidents/${incident.id}`, {
      token: org.owner.token,
      body: { status: 'resolved' },
    });
    expect(res.body).toMatchObject({ status: 'resolved', acknowledged_at: null });
    expect(res.body.resolved_at).not.toBeNull();
  });

  it('refuses going back with 409, except reopening a resolved incident', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident();
    await rest(t.url, 'PATCH', `/incidents/${incident.id}`, { token: org.owner.token, body: { status: 'mitigated' } });
    const back = await rest(t.url, 'PATCH', `/incidents/${incident.id}`, {
      token: org.owner.token,
      body: { status: 'acknowledged' },
    });
    expect(back.status).toBe(409);
    expect(back.body.error.code).toBe('CONFLICT');
    await rest(t.url, 'PATCH', `/incidents/${incident.id}`, { token: org.owner.token, body: { status: 'resolved' } });
    const reopened = await rest(t.url, 'PATCH', `/incidents/${incident.id}`, {
      token: org.owner.token,
      body: { status: 'open' },
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'open', resolved_at: null });
    await rest(t.url, 'PATCH', `/incidents/${incident.id}`, { token: org.owner.token, body: { status: 'closed' } });
    const fromClosed = await rest(t.url, 'PATCH', `/incidents/${incident.id}`, {
      token: org.owner.token,
      body: { status: 'open' },
    });
    expect(fromClosed.status).toBe(409);
  });

  it('leaves the record unchanged when a transition is refused', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident();
    await rest(t.url, 'PATCH', `/incidents/${incident.id}`, { token: org.owner.token, body: { status: 'mitigated' } });
    const res = await rest(t.url, 'PATCH', `/incidents/${incident.id}`, {
      token: org.owner.token,
      body: { status: 'open', title: 'Renamed' },
    });
    expect(res.status).toBe(409);
    const after = await rest(t.url, 'GET', `/incidents/${incident.id}`, { token: org.owner.token });
    expect(after.body).toMatchObject({ status: 'mitigated', title: incident.title });
  });

  it('records severity changes, assignment and edits, and a person-set severity is no longer auto-classified', async () => {
    const org = await seedOrg(t.url);
    const responder = await org.user('responder');
    const created = (
      await rest(t.url, 'POST', '/incidents', { token: org.owner.token, body: { title: 'Elevated error rates' } })
    ).body;
    expect(created.auto_classified).toBe(true);
    const res = await rest(t.url, 'PATCH', `/incidents/${created.id}`, {
      token: responder.token,
      body: { severity: 'P1', assignee_id: responder.id, description: 'DB primary lost' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      severity: 'P1',
      assignee_id: responder.id,
      auto_classified: false,
      description: 'DB primary lost',
    });
    const events = await gql(t.url, IncidentEventsDocument, { filter: { incidentId: [created.key] } }, org.owner.token);
    const types = events.data!.incidentEvents.items.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['created', 'severity_changed', 'assigned', 'updated']));
    const severityEvent = events.data!.incidentEvents.items.find((e) => e.type === 'severity_changed')!;
    expect(severityEvent).toMatchObject({ actorId: responder.id, data: { from: created.severity, to: 'P1' } });
  });

  it('changes only the fields sent', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident({ description: 'keep me', tags: ['a'] });
    const res = await rest(t.url, 'PATCH', `/incidents/${incident.id}`, {
      token: org.owner.token,
      body: { title: 'New title' },
    });
    expect(res.body).toMatchObject({
      title: 'New title',
      description: 'keep me',
      tags: ['a'],
      severity: incident.severity,
    });
  });

  it('refuses null for a required field', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident();
    const res = await rest(t.url, 'PATCH', `/incidents/${incident.id}`, {
      token: org.owner.token,
      body: { title: null },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('title');
  });

  it('moves along the lifecycle through GraphQL too', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident();
    const ack = await gql(
      t.url,
      UpdateIncidentDocument,
      { id: incident.key, input: { status: 'acknowledged' } },
      org.owner.token,
    );
    expect(ack.data?.updateIncident.acknowledgedAt).toBeTruthy();
    const back = await gql(
      t.url,
      UpdateIncidentDocument,
      { id: incident.key, input: { status: 'open' } },
      org.owner.token,
    );
    expect(errorCode(back)).toBe('CONFLICT');
  });
});

describe('comments', () => {
  it('adds a comment by incident key and lists it on the timeline', async () => {
    const org = await seedOrg(t.url);
    const responder = await org.user('responder');
    const incident = await org.incident();
    const res = await rest(t.url, 'POST', '/incident-events', {
      token: responder.token,
      body: { incident_id: incident.key, message: 'Rolled back deploy 42' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      type: 'comment',
      incident_id: incident.id,
      actor_id: responder.id,
      message: 'Rolled back deploy 42',
    });
    const edited = await rest(t.url, 'PATCH', `/incident-events/${res.body.id}`, {
      token: responder.token,
      body: { message: 'Rolled back deploy 43' },
    });
    expect(edited.body.message).toBe('Rolled back deploy 43');
  });

  it('keeps system entries immutable and comments editable only by their author or an admin', async () => {
    const org = await seedOrg(t.url);
    const author = await org.user('responder');
    const other = await org.user('responder');
    const incident = await org.incident();
    const created = (
      await rest(t.url, 'GET', `/incident-events?incident_id=${incident.id}`, { token: org.owner.token })
    ).body.items[0];
    expect((await rest(t.url, 'DELETE', `/incident-events/${created.id}`, { token: org.owner.token })).status).toBe(
      409,
    );
    const comment = (
      await rest(t.url, 'POST', '/incident-events', {
        token: author.token,
        body: { incident_id: incident.id, message: 'mine' },
      })
    ).body;
    expect(
      (
        await rest(t.url, 'PATCH', `/incident-events/${comment.id}`, {
          token: other.token,
          body: { message: 'theirs' },
        })
      ).status,
    ).toBe(403);
    expect((await rest(t.url, 'DELETE', `/incident-events/${comment.id}`, { token: org.owner.token })).status).toBe(
      204,
    );
  });

  it('refuses a comment on a missing incident with 400 naming incident_id', async () => {
    const org = await seedOrg(t.url);
    const res = await rest(t.url, 'POST', '/incident-events', {
      token: org.owner.token,
      body: { incident_id: 'INC-77', message: 'hello' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('incident_id');
  });
});

describe('listing incidents', () => {
  it('pages with keyset cursors, stable under inserts', async () => {
    const org = await seedOrg(t.url);
    for (let i = 0; i < 5; i++) await org.incident({ title: `Incident ${i}` });
    const first = await rest(t.url, 'GET', '/incidents?limit=2', { token: org.owner.token });
    expect(first.body.total).toBe(5);
    expect(first.body.items.map((i: { key: string }) => i.key)).toEqual(['INC-5', 'INC-4']);
    await org.incident({ title: 'Inserted while paging' });
    const second = await rest(t.url, 'GET', `/incidents?limit=2&cursor=${first.body.next_cursor}`, {
      token: org.owner.token,
    });
    expect(second.body.items.map((i: { key: string }) => i.key)).toEqual(['INC-3', 'INC-2']);
    const third = await rest(t.url, 'GET', `/incidents?limit=2&cursor=${second.body.next_cursor}`, {
      token: org.owner.token,
    });
    expect(third.body.items.map((i: { key: string }) => i.key)).toEqual(['INC-1']);
    expect(third.body.next_cursor).toBeNull();
  });

  it('filters by any-of severity, status, service, tags, text and time range', async () => {
    const org = await seedOrg(t.url);
    const payments = await org.service({ name: 'payments' });
    const p1 = await org.incident({
      title: 'Payments down',
      severity: 'P1',
      service_id: payments.id,
      tags: ['db', 'eu'],
    });
    const p2 = await org.incident({ title: 'Search slow', severity: 'P2' });
    await org.incident({ title: 'Typo on status page', severity: 'P4' });
    await rest(t.url, 'PATCH', `/incidents/${p2.id}`, { token: org.owner.token, body: { status: 'resolved' } });
    const keys = async (qs: string) =>
      (await rest(t.url, 'GET', `/incidents?${qs}`, { token: org.owner.token })).body.items
        .map((i: { key: string }) => i.key)
        .sort();
    expect(await keys('severity=P1,P2')).toEqual([p1.key, p2.key].sort());
    expect(await keys('severity=P1&severity=P2')).toEqual([p1.key, p2.key].sort());
    expect(await keys('status=resolved')).toEqual([p2.key]);
    expect(await keys(`service_id=${payments.id}`)).toEqual([p1.key]);
    expect(await keys('tags=db,eu')).toEqual([p1.key]);
    expect(await keys('q=payments')).toEqual([p1.key]);
    expect(await keys('q=%25')).toEqual([]);
    expect(await keys(`created_after=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
    expect(
      await keys(`created_before=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}&severity=P4`),
    ).toHaveLength(1);
  });

  it('sorts by an allowed field in either direction', async () => {
    const org = await seedOrg(t.url);
    await org.incident({ severity: 'P3' });
    await org.incident({ severity: 'P1' });
    await org.incident({ severity: 'P2' });
    const asc = await rest(t.url, 'GET', '/incidents?sort=severity', { token: org.owner.token });
    expect(asc.body.items.map((i: { severity: string }) => i.severity)).toEqual(['P1', 'P2', 'P3']);
    const desc = await rest(t.url, 'GET', '/incidents?sort=-severity&limit=1', { token: org.owner.token });
    expect(desc.body.items[0].severity).toBe('P3');
    const next = await rest(t.url, 'GET', `/incidents?sort=-severity&limit=1&cursor=${desc.body.next_cursor}`, {
      token: org.owner.token,
    });
    expect(next.body.items[0].severity).toBe('P2');
    const mismatched = await rest(t.url, 'GET', `/incidents?sort=severity&cursor=${desc.body.next_cursor}`, {
      token: org.owner.token,
    });
    expect(mismatched.status).toBe(400);
  });

  it('lists through GraphQL with the same filter and envelope', async () => {
    const org = await seedOrg(t.url);
    await org.incident({ severity: 'P1' });
    await org.incident({ severity: 'P3' });
    const res = await gql(t.url, IncidentsDocument, { filter: { severity: ['P1'] }, limit: 10 }, org.owner.token);
    expect(res.data?.incidents).toMatchObject({ total: 1, nextCursor: null });
    expect(res.data?.incidents.items[0].severity).toBe('P1');
  });
});

describe('deleting incidents', () => {
  it('deletes with 204 and the incident is gone', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident();
    const res = await rest(t.url, 'DELETE', `/incidents/${incident.key}`, { token: org.owner.token });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect((await rest(t.url, 'GET', `/incidents/${incident.id}`, { token: org.owner.token })).status).toBe(404);
    const again = await gql(t.url, DeleteIncidentDocument, { id: incident.id }, org.owner.token);
    expect(errorCode(again)).toBe('NOT_FOUND');
  });
});
