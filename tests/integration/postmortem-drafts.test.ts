import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { SeedOrg, SeedUser, seedOrg } from '../support/seed';
import { DraftPostmortemDocument } from '../support/generated/graphql';
import { ManualClock } from '../../src/core/clock';

/** Times of the walked-through incident (in the past of the real clock, so comments may carry them). */
const T = (hhmm: string) => `2026-11-20T${hhmm}:00.000Z`;
const clock = new ManualClock(new Date(T('09:00')));

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { clock });
});
afterAll(() => t.close());

const draft = (token: string, body: Record<string, unknown>) =>
  rest(t.url, 'POST', '/ai/postmortem-draft', { token, body });

interface Walkthrough {
  org: SeedOrg;
  responder: SeedUser;
  incident: any;
  problem: any;
  cause: any;
  followUp: any;
}

/**
 * open (10:00, P2, Checkout) → assigned (10:03) → acknowledged late (10:08; response SLA due 10:05) → comment (10:15) →
 * raised to P1 (10:20) → linked to a problem (10:30) → mitigated (10:40) → comment with follow-ups (10:45) → resolved
 * (11:05).
 * A standard change on Checkout completed just before (possible cause), a follow-up change naming the incident, and two
 * changes that are not linked (another service; cancelled).
 */
async function walkThrough(): Promise<Walkthrough> {
  clock.set(T('09:00'));
  const org = await seedOrg(t.url);
  const responder = await org.user('responder');
  const admin = await org.user('admin');
  const checkout = await org.service({ name: 'Checkout' });
  const other = await org.service({ name: 'Search' });
  await org.slaPolicy({ severity: 'P2', response_minutes: 5, resolution_minutes: 240 });
  const problem = await org.problem({
    title: 'Connection pool exhaustion',
    description: 'The API runs out of database connections under peak load',
    root_cause: 'Connection pool too small for peak traffic',
    workaround: 'Restart the API pods',
  });
  const cause = await org.changeRequest({
    title: 'Lower pool idle timeout',
    type: 'standard',
    service_id: checkout.id,
    planned_start: T('09:30'),
    planned_end: T('09:45'),
  });
  for (const status of ['submitted', 'scheduled', 'implementing', 'completed']) {
    const moved = await rest(t.url, 'PATCH', `/change-requests/${cause.id}`, {
      token: org.owner.token,
      body: { status },
    });
    expect(moved.status).toBe(200);
  }
  await org.changeRequest({
    title: 'Reindex search',
    service_id: other.id,
    planned_start: T('09:30'),
    planned_end: T('09:45'),
  });
  const cancelled = await org.changeRequest({ title: 'Abandoned checkout tweak', service_id: checkout.id });
  await rest(t.url, 'PATCH', `/change-requests/${cancelled.id}`, {
    token: org.owner.token,
    body: { status: 'cancelled' },
  });

  const as = (token: string) => ({ token });
  clock.set(T('10:00'));
  const created = await rest(t.url, 'POST', '/incidents', {
    ...as(responder.token),
    body: {
      title: 'Checkout errors',
      severity: 'P2',
      service_id: checkout.id,
      description: 'Payments fail for a third of users',
    },
  });
  expect(created.status).toBe(201);
  const incident = created.body;
  const patch = async (at: string, body: Record<string, unknown>) => {
    clock.set(T(at));
    const res = await rest(t.url, 'PATCH', `/incidents/${incident.key}`, { ...as(responder.token), body });
    expect(res.status).toBe(200);
  };
  const comment = async (at: string, message: string) => {
    clock.set(T(at));
    const res = await rest(t.url, 'POST', '/incident-events', {
      ...as(responder.token),
      body: { incident_id: incident.key, message },
    });
    expect(res.status).toBe(201);
  };
  await patch('10:03', { assignee_id: responder.id });
  await patch('10:08', { status: 'acknowledged' });
  await comment('10:15', 'Error rate at 40%. The root cause looks like connection pool exhaustion.');
  await patch('10:20', { severity: 'P1' });
  await patch('10:30', { problem_id: problem.key });
  await patch('10:40', { status: 'mitigated' });
  await comment(
    '10:45',
    'Restarted the API pods; error rate is back to normal. TODO: alert on pool saturation. We should load-test the pool before peak season.',
  );
  await patch('11:05', { status: 'resolved' });
  const followUp = await org.changeRequest(
    {
      title: 'Raise max pool size',
      description: `Follow-up of ${incident.key}`,
      implementer_id: admin.id,
      planned_start: T('22:00'),
      planned_end: T('23:00'),
    },
    responder.token,
  );
  return { org, responder, incident, problem, cause, followUp };
}

async function ownerName(org: SeedOrg): Promise<string> {
  const me = await rest(t.url, 'GET', `/users/${org.owner.id}`, { token: org.owner.token });
  return me.body.name;
}

describe('POST /ai/postmortem-draft', () => {
  it('drafts a walked-through incident with its exact duration, timeline and links', async () => {
    const w = await walkThrough();
    const res = await draft(w.responder.token, { incident_id: w.incident.key });
    expect(res.status).toBe(200);
    expect(res.body.model).toBe('argus-postmortem-drafter-v1');
    expect(res.body.fallback_reason).toBeNull();
    expect(res.body.postmortem).toBeNull();
    const d = res.body.draft;
    expect(d).toMatchObject({
      title: 'Postmortem: Checkout errors (' + w.incident.key + ')',
      duration_minutes: 65,
      ongoing: false,
      started_at: T('10:00'),
      ended_at: T('11:05'),
      incident_id: w.incident.id,
      incident_key: w.incident.key,
      problem_id: w.problem.id,
      change_request_ids: [w.cause.id, w.followUp.id],
      root_cause: `Connection pool too small for peak traffic (${w.problem.key})`,
    });
    expect(d.timeline).toEqual([
      { at: T('10:00'), description: 'Incident opened by A responder: Checkout errors (P2)' },
      { at: T('10:03'), description: 'Assigned to A responder by A responder' },
      { at: T('10:05'), description: 'Response SLA breached: not acknowledged by 2026-11-20 10:05 UTC' },
      { at: T('10:08'), description: 'Acknowledged by A responder' },
      {
        at: T('10:15'),
        description: 'A responder: Error rate at 40%. The root cause looks like connection pool exhaustion.',
      },
      { at: T('10:20'), description: 'Severity changed from P2 to P1 by A responder' },
      { at: T('10:30'), description: `Linked to problem ${w.problem.key}: Connection pool exhaustion` },
      { at: T('10:40'), description: 'Mitigated by A responder' },
      {
        at: T('10:45'),
        description:
          'A responder: Restarted the API pods; error rate is back to normal. TODO: alert on pool saturation. We should load-test the pool before peak season.',
      },
      { at: T('11:05'), description: 'Resolved by A responder' },
    ]);
    expect(d.action_items).toEqual([
      {
        description: `${w.followUp.key}: Raise max pool size (draft, planned 2026-11-20 22:00 UTC)`,
        owner_id: w.followUp.implementer_id,
        due_at: T('23:00'),
        done: false,
      },
      {
        description: `Replace the workaround of ${w.problem.key} with a permanent fix (workaround: Restart the API pods)`,
        owner_id: null,
        due_at: null,
        done: false,
      },
      { description: 'Alert on pool saturation.', owner_id: w.responder.id, due_at: null, done: false },
      { description: 'Load-test the pool before peak season.', owner_id: w.responder.id, due_at: null, done: false },
    ]);
    expect(d.contributing_factors).toEqual([
      `${w.problem.key} (Connection pool exhaustion): The API runs out of database connections under peak load`,
      `Change ${w.cause.key} “Lower pool idle timeout” (standard, completed, planned 2026-11-20 09:30 UTC – 2026-11-20 09:45 UTC) touched the affected service shortly before the incident started.`,
      'The incident was first rated P2 and only raised to P1 at 2026-11-20 10:20 UTC.',
      'Nobody acknowledged the incident within the response SLA.',
    ]);
    expect(d.severity_impact).toContain('P1 incident on Checkout');
    expect(d.severity_impact).toContain('Lasted 1 h 5 min, from 2026-11-20 10:00 UTC to 2026-11-20 11:05 UTC.');
    expect(d.severity_impact).toContain('The response SLA was breached (due 2026-11-20 10:05 UTC).');
    expect(d.resolution).toBe('Restarted the API pods; error rate is back to normal.');

    // The same incident drafted again gives the same draft (deterministic), and through GraphQL the same facts.
    const again = await draft(w.responder.token, { incident_id: w.incident.id });
    expect(again.body.draft).toEqual(d);
    const viaGraphql = await gql(
      t.url,
      DraftPostmortemDocument,
      { input: { incidentId: w.incident.key } },
      w.responder.token,
    );
    expect(viaGraphql.errors).toBeUndefined();
    const g = viaGraphql.data!.draftPostmortem;
    expect(g.model).toBe('argus-postmortem-drafter-v1');
    expect(g.draft).toMatchObject({
      durationMinutes: 65,
      ongoing: false,
      problemId: w.problem.id,
      changeRequestIds: [w.cause.id, w.followUp.id],
    });
    expect(g.draft.timeline).toEqual(d.timeline);
    expect(g.postmortem).toBeNull();
  });

  it('persists the draft as one postmortem, then updates that AI draft rather than adding another', async () => {
    const w = await walkThrough();
    const first = await draft(w.responder.token, { incident_id: w.incident.key, persist: true });
    expect(first.status).toBe(200);
    const pm = first.body.postmortem;
    expect(pm).toMatchObject({
      incident_id: w.incident.id,
      status: 'draft',
      ai_generated: true,
      title: first.body.draft.title,
      duration_minutes: 65,
    });
    expect(pm.timeline).toEqual(first.body.draft.timeline);
    expect(pm.action_items).toEqual(first.body.draft.action_items);
    expect(pm.contributing_factors).toEqual(first.body.draft.contributing_factors);
    expect(pm.root_cause).toBe(first.body.draft.root_cause);

    clock.set(T('12:00'));
    // Back-dated: an owner importing history.
    await rest(t.url, 'POST', '/incident-events', {
      token: w.org.owner.token,
      body: { incident_id: w.incident.key, message: 'Action item: document the pool sizing', occurred_at: T('11:30') },
    });
    const second = await gql(
      t.url,
      DraftPostmortemDocument,
      { input: { incidentId: w.incident.key, persist: true } },
      w.responder.token,
    );
    expect(second.errors).toBeUndefined();
    const saved = second.data!.draftPostmortem.postmortem!;
    expect(saved.id).toBe(pm.id);
    expect(saved).toMatchObject({ status: 'draft', aiGenerated: true, incident: { key: w.incident.key } });
    expect(saved.timeline).toHaveLength(pm.timeline.length + 1);
    expect(saved.actionItems.map((a) => a.description)).toContain('Document the pool sizing');
    const listed = await rest(t.url, 'GET', `/postmortems?incident_id=${w.incident.key}`, { token: w.responder.token });
    expect(listed.body.total).toBe(1);
    expect(listed.body.items[0].timeline).toHaveLength(pm.timeline.length + 1);
  });

  it('does not overwrite a postmortem a person wrote, edited or took past draft', async () => {
    const org = await seedOrg(t.url);
    clock.set(new Date());
    const written = await org.postmortem();
    const refused = await draft(org.owner.token, { incident_id: written.incident_id, persist: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details[0].field).toBe('incident_id');
    // Drafting without persist still works, and the person's postmortem is unchanged.
    expect((await draft(org.owner.token, { incident_id: written.incident_id })).status).toBe(200);
    expect((await rest(t.url, 'GET', `/postmortems/${written.id}`, { token: org.owner.token })).body.title).toBe(
      written.title,
    );

    const edited = await org.incident();
    const ai = (await draft(org.owner.token, { incident_id: edited.key, persist: true })).body.postmortem;
    const patched = await rest(t.url, 'PATCH', `/postmortems/${ai.id}`, {
      token: org.owner.token,
      body: { root_cause: 'A person wrote this' },
    });
    expect(patched.body.ai_generated).toBe(false);
    expect((await draft(org.owner.token, { incident_id: edited.key, persist: true })).status).toBe(409);

    const reviewed = await org.incident();
    const ai2 = (await draft(org.owner.token, { incident_id: reviewed.key, persist: true })).body.postmortem;
    const moved = await rest(t.url, 'PATCH', `/postmortems/${ai2.id}`, {
      token: org.owner.token,
      body: { status: 'in_review' },
    });
    expect(moved.body).toMatchObject({ status: 'in_review', ai_generated: true });
    const again = await draft(org.owner.token, { incident_id: reviewed.key, persist: true });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/in review/);
  });

  it('proposes the root cause a comment states, attributed, and makes follow-up comments action items, when no problem is linked', async () => {
    clock.set(T('09:00'));
    const org = await seedOrg(t.url);
    const responder = await org.user('responder');
    clock.set(T('10:00'));
    const incident = await org.incident({ title: 'Checkout latency', severity: 'P2' });
    // Comments are stamped by the server: the clock stands at each comment's time when it is posted.
    const comment = async (at: string, message: string, token = responder.token) => {
      clock.set(T(at));
      const res = await rest(t.url, 'POST', '/incident-events', {
        token,
        body: { incident_id: incident.key, message },
      });
      expect(res.status).toBe(201);
    };
    await comment('10:05', 'Looking at the dashboards now.');
    await comment('10:15', 'The p99 graph points to the new cache layer evicting hot keys.');
    await comment('10:40', 'Follow-up: alert on cache eviction rate. We should add a load test for the cache.');
    clock.set(T('11:00'));
    const res = await draft(org.owner.token, { incident_id: incident.key });
    expect(res.status).toBe(200);
    expect(res.body.draft.root_cause).toBe(
      'The p99 graph points to the new cache layer evicting hot keys. (proposed from a comment by A responder at 10:15 UTC)',
    );
    expect(res.body.draft.action_items.map((a: { description: string }) => a.description)).toEqual([
      'Alert on cache eviction rate.',
      'Add a load test for the cache.',
    ]);
    expect(res.body.draft.action_items.every((a: { owner_id: string | null }) => a.owner_id === responder.id)).toBe(
      true,
    );

    const viaGraphql = await gql(
      t.url,
      DraftPostmortemDocument,
      { input: { incidentId: incident.key } },
      org.owner.token,
    );
    expect(viaGraphql.errors).toBeUndefined();
    expect(viaGraphql.data!.draftPostmortem.draft.rootCause).toBe(res.body.draft.root_cause);
    expect(viaGraphql.data!.draftPostmortem.draft.actionItems.map((a) => a.description)).toEqual([
      'Alert on cache eviction rate.',
      'Add a load test for the cache.',
    ]);

    // "because" and "due to" state a cause too; each comment keeps its own attribution.
    await comment('10:50', 'Evictions spiked because the cache was resized to half.', org.owner.token);
    clock.set(T('11:00'));
    const again = await draft(org.owner.token, { incident_id: incident.key });
    expect(again.body.draft.root_cause).toBe(
      'The p99 graph points to the new cache layer evicting hot keys. (proposed from a comment by A responder at 10:15 UTC) ' +
        'Evictions spiked because the cache was resized to half. (proposed from a comment by ' +
        (await ownerName(org)) +
        ' at 10:50 UTC)',
    );
  });

  it('flags an open incident as ongoing, its duration running to now', async () => {
    const org = await seedOrg(t.url);
    clock.set(T('08:00'));
    const incident = await org.incident({ title: 'Queue backlog', started_at: T('07:30') });
    clock.set(T('09:15'));
    const res = await draft(org.owner.token, { incident_id: incident.key });
    expect(res.body.draft).toMatchObject({ ongoing: true, duration_minutes: 105, ended_at: null });
    expect(res.body.draft.severity_impact).toContain('Not resolved yet: ongoing for 1 h 45 min');
    expect(res.body.draft.root_cause).toBeNull();
  });

  it('hides another organization’s incident as not found and checks the id', async () => {
    const mine = await seedOrg(t.url);
    const theirs = await seedOrg(t.url);
    clock.set(new Date());
    const incident = await theirs.incident();
    const byId = await draft(mine.owner.token, { incident_id: incident.id });
    expect(byId.status).toBe(404);
    expect(byId.body.error.code).toBe('NOT_FOUND');
    expect((await draft(mine.owner.token, { incident_id: incident.key, persist: true })).status).toBe(404);
    expect((await draft(mine.owner.token, { incident_id: 'PRB-1' })).status).toBe(400);
    expect((await draft(mine.owner.token, { incident_id: 'not-an-id' })).status).toBe(400);
    expect((await draft(mine.owner.token, { incident_id: incident.key, tone: 'friendly' })).status).toBe(400);
    const gqlMissing = await gql(
      t.url,
      DraftPostmortemDocument,
      { input: { incidentId: incident.id } },
      mine.owner.token,
    );
    expect(errorCode(gqlMissing)).toBe('NOT_FOUND');
    expect((await rest(t.url, 'GET', '/postmortems', { token: theirs.owner.token })).body.total).toBe(0);
  });

  it('lets viewers preview a draft but not save it; anonymous callers get nothing', async () => {
    const org = await seedOrg(t.url);
    clock.set(new Date());
    const incident = await org.incident();
    const viewer = await org.user('viewer');
    expect((await draft(viewer.token, { incident_id: incident.key })).status).toBe(200);
    expect((await draft(viewer.token, { incident_id: incident.key, persist: false })).status).toBe(200);
    const denied = await draft(viewer.token, { incident_id: incident.key, persist: true });
    expect(denied.status).toBe(403);
    expect(
      errorCode(
        await gql(t.url, DraftPostmortemDocument, { input: { incidentId: incident.key, persist: true } }, viewer.token),
      ),
    ).toBe('FORBIDDEN');
    expect((await rest(t.url, 'GET', '/postmortems', { token: org.owner.token })).body.total).toBe(0);
    expect((await draft('', { incident_id: incident.key })).status).toBe(401);
    const responder = await org.user('responder');
    expect((await draft(responder.token, { incident_id: incident.key, persist: true })).status).toBe(200);
  });
});
