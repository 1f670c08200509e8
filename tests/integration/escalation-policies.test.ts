import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { SeedOrg, SeedUser, seedOrg } from '../support/seed';
import { ManualClock } from '../../src/core/clock';
import {
  CreateEscalationPolicyDocument,
  DeleteEscalationPolicyDocument,
  EscalationPlanDocument,
  EscalationPoliciesDocument,
  EscalationPolicyDocument,
  UpdateEscalationPolicyDocument,
} from '../support/generated/graphql';

let t: TestApp;
const clock = new ManualClock(new Date('2026-03-29T12:00:00Z'));
beforeAll(async () => {
  t = await startTestApp({}, { clock });
});
afterAll(() => t.close());

interface World {
  org: SeedOrg;
  alice: SeedUser;
  bob: SeedUser;
  carol: SeedUser;
  /** Berlin, daily from Friday 2026-03-27 09:00 CET: alice, bob, carol; Sunday's handoff is 09:00 CEST = 07:00Z. */
  schedule: { id: string };
}

async function world(): Promise<World> {
  const org = await seedOrg(t.url);
  const [alice, bob, carol] = [await org.user('responder'), await org.user('responder'), await org.user('responder')];
  const schedule = await org.onCallSchedule({
    rotations: [
      {
        name: 'Primary',
        participant_ids: [alice.id, bob.id, carol.id],
        start_at: '2026-03-27T08:00:00Z',
        length_hours: 24,
        handoff_time: '09:00',
      },
    ],
  });
  return { org, alice, bob, carol, schedule };
}

/** Level 1 pages the schedule and has 30 minutes; level 2 pages the owner and the schedule and has 60; one repeat. */
const twoLevels = (w: World) => ({
  name: 'Payments',
  levels: [
    { delay_minutes: 30, target_ids: [w.schedule.id] },
    { delay_minutes: 60, target_ids: [w.org.owner.id, w.schedule.id] },
  ],
  repeat: 1,
});

describe('escalation policies over REST', () => {
  it('creates with snake_case levels and answers 201, reads, updates only what is sent, lists and deletes', async () => {
    const w = await world();
    const team = await w.org.team();
    const created = await rest(t.url, 'POST', '/escalation-policies/', {
      token: w.org.owner.token,
      body: { ...twoLevels(w), team_id: team.id },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Payments',
      team_id: team.id,
      repeat: 1,
      levels: [
        { delay_minutes: 30, target_ids: [w.schedule.id] },
        { delay_minutes: 60, target_ids: [w.org.owner.id, w.schedule.id] },
      ],
    });
    const read = await rest(t.url, 'GET', `/escalation-policies/${created.body.id}`, { token: w.alice.token });
    expect(read.body).toEqual(created.body);

    const updated = await rest(t.url, 'PATCH', `/escalation-policies/${created.body.id}`, {
      token: w.org.owner.token,
      body: { repeat: 3 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ repeat: 3, levels: created.body.levels, team_id: team.id });

    await w.org.escalationPolicy({ name: 'Other' });
    const listed = await rest(t.url, 'GET', `/escalation-policies?team_id=${team.id}`, { token: w.org.owner.token });
    expect(listed.body).toMatchObject({ total: 1, next_cursor: null });
    expect(listed.body.items[0].id).toBe(created.body.id);
    const paged = await rest(t.url, 'GET', '/escalation-policies?limit=1', { token: w.org.owner.token });
    expect(paged.body.items.map((p: { name: string }) => p.name)).toEqual(['Other']);
    expect(paged.body.next_cursor).toEqual(expect.any(String));

    expect(
      (await rest(t.url, 'DELETE', `/escalation-policies/${created.body.id}`, { token: w.org.owner.token })).status,
    ).toBe(204);
    expect(
      (await rest(t.url, 'GET', `/escalation-policies/${created.body.id}`, { token: w.org.owner.token })).status,
    ).toBe(404);
  });

  it('lets only admins manage policies', async () => {
    const w = await world();
    const viewer = await w.org.user('viewer');
    const admin = await w.org.user('admin');
    expect(
      (await rest(t.url, 'POST', '/escalation-policies', { token: w.alice.token, body: twoLevels(w) })).status,
    ).toBe(403);
    expect(
      (await rest(t.url, 'POST', '/escalation-policies', { token: viewer.token, body: twoLevels(w) })).status,
    ).toBe(403);
    const created = await rest(t.url, 'POST', '/escalation-policies', { token: admin.token, body: twoLevels(w) });
    expect(created.status).toBe(201);
    const plan = await rest(t.url, 'GET', `/escalation-policies/${created.body.id}/plan?start=2026-03-29T06:45:00Z`, {
      token: viewer.token,
    });
    expect(plan.status).toBe(200);
  });
});

describe('escalation policy validation', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  const create = (body: Record<string, unknown>) =>
    rest(t.url, 'POST', '/escalation-policies', {
      token: w.org.owner.token,
      body: { name: `Invalid ${Math.random()}`, ...body },
    });

  it('refuses a target that is neither a user nor a schedule of the organization, naming the field', async () => {
    const other = await seedOrg(t.url);
    const foreignSchedule = await other.onCallSchedule();
    const team = await w.org.team();
    for (const id of [other.owner.id, foreignSchedule.id, team.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await create({
        levels: [
          { delay_minutes: 5, target_ids: [w.alice.id] },
          { delay_minutes: 5, target_ids: [w.schedule.id, id] },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('levels.1.target_ids');
      expect(res.body.error.message).toContain(id);
    }
  });

  it('refuses repeat outside 0–5, delays under a minute, and empty levels', async () => {
    const level = { delay_minutes: 5, target_ids: [w.alice.id] };
    for (const [body, field] of [
      [{ levels: [level], repeat: 6 }, 'repeat'],
      [{ levels: [level], repeat: -1 }, 'repeat'],
      [{ levels: [{ ...level, delay_minutes: 0 }] }, 'levels.0.delay_minutes'],
      [{ levels: [{ ...level, target_ids: [] }] }, 'levels.0.target_ids'],
      [{ levels: [] }, 'levels'],
    ] as const) {
      const res = await create(body);
      expect([field, res.status]).toEqual([field, 400]);
      expect(res.body.error.details[0].field).toBe(field);
    }
    const missing = await create({});
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].field).toBe('levels');
  });

  it('answers GraphQL with VALIDATION_FAILED naming the camelCase field', async () => {
    const res = await gql(
      t.url,
      CreateEscalationPolicyDocument,
      {
        input: {
          name: 'GraphQL invalid',
          levels: [{ delayMinutes: 5, targetIds: ['00000000-0000-4000-8000-000000000000'] }],
        },
      },
      w.org.owner.token,
    );
    expect(errorCode(res)).toBe('VALIDATION_FAILED');
    expect(res.errors?.[0].extensions?.details?.[0].field).toBe('levels.0.targetIds');
  });

  it('keeps a schedule that a policy pages from being deleted (409) until the policy lets go of it', async () => {
    const policy = await w.org.escalationPolicy({ levels: [{ delay_minutes: 5, target_ids: [w.schedule.id] }] });
    const refused = await rest(t.url, 'DELETE', `/on-call-schedules/${w.schedule.id}`, { token: w.org.owner.token });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(policy.name);
    await rest(t.url, 'PATCH', `/escalation-policies/${policy.id}`, {
      token: w.org.owner.token,
      body: { levels: [{ delay_minutes: 5, target_ids: [w.alice.id] }] },
    });
    expect(
      (await rest(t.url, 'DELETE', `/on-call-schedules/${w.schedule.id}`, { token: w.org.owner.token })).status,
    ).toBe(204);
  });
});

describe('the escalation plan', () => {
  let w: World;
  let policy: { id: string };
  beforeAll(async () => {
    w = await world();
    policy = await w.org.escalationPolicy(twoLevels(w));
  });

  it("resolves the schedule to whoever is on call at each step's time, and repeats the sequence", async () => {
    // T = 06:45Z: bob's turn until 07:00Z, carol's after. Level 1 at T, level 2 at T+30, the repeat at T+90 and T+120.
    const res = await rest(t.url, 'GET', `/escalation-policies/${policy.id}/plan?start=2026-03-29T06:45:00Z`, {
      token: w.org.owner.token,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      policy_id: policy.id,
      incident_id: null,
      start: '2026-03-29T06:45:00.000Z',
      stopped_at: null,
      steps: [
        {
          level: 1,
          repetition: 0,
          at: '2026-03-29T06:45:00.000Z',
          target_ids: [w.schedule.id],
          user_ids: [w.bob.id],
          suppressed: false,
        },
        {
          level: 2,
          repetition: 0,
          at: '2026-03-29T07:15:00.000Z',
          target_ids: [w.org.owner.id, w.schedule.id],
          user_ids: [w.org.owner.id, w.carol.id],
          suppressed: false,
        },
        {
          level: 1,
          repetition: 1,
          at: '2026-03-29T08:15:00.000Z',
          target_ids: [w.schedule.id],
          user_ids: [w.carol.id],
          suppressed: false,
        },
        {
          level: 2,
          repetition: 1,
          at: '2026-03-29T08:45:00.000Z',
          target_ids: [w.org.owner.id, w.schedule.id],
          user_ids: [w.org.owner.id, w.carol.id],
          suppressed: false,
        },
      ],
    });
  });

  it("starts from the incident's started_at and suppresses the steps after its acknowledgement", async () => {
    clock.set('2026-03-29T06:50:00Z');
    const incident = await w.org.incident({ started_at: '2026-03-29T06:45:00Z' });
    const open = await rest(t.url, 'GET', `/escalation-policies/${policy.id}/plan?incident_id=${incident.key}`, {
      token: w.org.owner.token,
    });
    expect(open.body).toMatchObject({ incident_id: incident.id, start: '2026-03-29T06:45:00.000Z', stopped_at: null });
    expect(open.body.steps.map((s: { suppressed: boolean }) => s.suppressed)).toEqual([false, false, false, false]);

    clock.set('2026-03-29T07:40:00Z');
    const ack = await rest(t.url, 'PATCH', `/incidents/${incident.key}`, {
      token: w.alice.token,
      body: { status: 'acknowledged' },
    });
    expect(ack.body.acknowledged_at).toBe('2026-03-29T07:40:00.000Z');
    const acked = await rest(t.url, 'GET', `/escalation-policies/${policy.id}/plan?incident_id=${incident.id}`, {
      token: w.org.owner.token,
    });
    expect(acked.body).toMatchObject({ stopped_at: '2026-03-29T07:40:00.000Z' });
    expect(
      acked.body.steps.map((s: { at: string; suppressed: boolean; user_ids: string[] }) => [
        s.at,
        s.suppressed,
        s.user_ids,
      ]),
    ).toEqual([
      ['2026-03-29T06:45:00.000Z', false, [w.bob.id]],
      ['2026-03-29T07:15:00.000Z', false, [w.org.owner.id, w.carol.id]],
      ['2026-03-29T08:15:00.000Z', true, [w.carol.id]],
      ['2026-03-29T08:45:00.000Z', true, [w.org.owner.id, w.carol.id]],
    ]);
  });

  it('stops escalating when the incident skips ahead without an acknowledgement', async () => {
    clock.set('2026-03-29T06:50:00Z');
    const incident = await w.org.incident({ started_at: '2026-03-29T06:45:00Z' });
    clock.set('2026-03-29T07:10:00Z');
    await rest(t.url, 'PATCH', `/incidents/${incident.key}`, { token: w.alice.token, body: { status: 'resolved' } });
    const res = await rest(t.url, 'GET', `/escalation-policies/${policy.id}/plan?incident_id=${incident.key}`, {
      token: w.org.owner.token,
    });
    expect(res.body.stopped_at).toBe('2026-03-29T07:10:00.000Z');
    expect(res.body.steps.map((s: { suppressed: boolean }) => s.suppressed)).toEqual([false, true, true, true]);
  });

  it('starts now (the server clock) without incident or start', async () => {
    clock.set('2026-03-29T06:59:00Z');
    const res = await rest(t.url, 'GET', `/escalation-policies/${policy.id}/plan`, { token: w.org.owner.token });
    expect(res.body.start).toBe('2026-03-29T06:59:00.000Z');
    expect(res.body.steps[0].user_ids).toEqual([w.bob.id]);
    expect(res.body.steps[1].user_ids).toEqual([w.org.owner.id, w.carol.id]);
  });

  it('refuses an incident together with a start, and an unknown incident', async () => {
    const both = await rest(
      t.url,
      'GET',
      `/escalation-policies/${policy.id}/plan?incident_id=INC-1&start=2026-03-29T06:45:00Z`,
      { token: w.org.owner.token },
    );
    expect(both.status).toBe(400);
    expect(both.body.error.details[0].field).toBe('start');
    const missing = await rest(t.url, 'GET', `/escalation-policies/${policy.id}/plan?incident_id=INC-999`, {
      token: w.org.owner.token,
    });
    expect(missing.status).toBe(404);
  });

  it('gives the same plan through GraphQL, by incident key', async () => {
    clock.set('2026-03-29T06:50:00Z');
    const incident = await w.org.incident({ started_at: '2026-03-29T06:45:00Z' });
    const res = await gql(
      t.url,
      EscalationPlanDocument,
      { policyId: policy.id, incidentId: incident.key },
      w.org.owner.token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.escalationPlan).toMatchObject({
      policyId: policy.id,
      incidentId: incident.id,
      start: '2026-03-29T06:45:00.000Z',
      stoppedAt: null,
    });
    expect(res.data?.escalationPlan.steps.map((s) => [s.level, s.repetition, s.at, s.userIds])).toEqual([
      [1, 0, '2026-03-29T06:45:00.000Z', [w.bob.id]],
      [2, 0, '2026-03-29T07:15:00.000Z', [w.org.owner.id, w.carol.id]],
      [1, 1, '2026-03-29T08:15:00.000Z', [w.carol.id]],
      [2, 1, '2026-03-29T08:45:00.000Z', [w.org.owner.id, w.carol.id]],
    ]);
  });

  it("hides another organization's policy and incident", async () => {
    const other = await seedOrg(t.url);
    expect(
      (await rest(t.url, 'GET', `/escalation-policies/${policy.id}/plan`, { token: other.owner.token })).status,
    ).toBe(404);
    const theirs = await other.escalationPolicy();
    const incident = await w.org.incident();
    expect(
      (
        await rest(t.url, 'GET', `/escalation-policies/${theirs.id}/plan?incident_id=${incident.id}`, {
          token: other.owner.token,
        })
      ).status,
    ).toBe(404);
  });
});

describe('escalation policies through GraphQL', () => {
  it('creates, reads with the team, updates, lists and deletes with camelCase fields', async () => {
    const w = await world();
    const team = await w.org.team({ name: 'Payments' });
    const created = await gql(
      t.url,
      CreateEscalationPolicyDocument,
      {
        input: {
          name: 'GraphQL policy',
          teamId: team.id,
          levels: [{ delayMinutes: 10, targetIds: [w.schedule.id, w.alice.id] }],
        },
      },
      w.org.owner.token,
    );
    expect(created.errors).toBeUndefined();
    const policy = created.data!.createEscalationPolicy;
    expect(policy).toMatchObject({
      name: 'GraphQL policy',
      teamId: team.id,
      repeat: 0,
      levels: [{ delayMinutes: 10, targetIds: [w.schedule.id, w.alice.id] }],
    });
    const read = await gql(t.url, EscalationPolicyDocument, { id: policy.id }, w.bob.token);
    expect(read.data?.escalationPolicy.team).toEqual({ id: team.id, name: 'Payments' });
    const updated = await gql(
      t.url,
      UpdateEscalationPolicyDocument,
      { id: policy.id, input: { repeat: 5, name: 'Renamed' } },
      w.org.owner.token,
    );
    expect(updated.data?.updateEscalationPolicy).toMatchObject({ name: 'Renamed', repeat: 5, levels: policy.levels });
    const denied = await gql(
      t.url,
      UpdateEscalationPolicyDocument,
      { id: policy.id, input: { repeat: 1 } },
      w.bob.token,
    );
    expect(errorCode(denied)).toBe('FORBIDDEN');
    const listed = await gql(t.url, EscalationPoliciesDocument, { filter: { q: 'renamed' } }, w.org.owner.token);
    expect(listed.data?.escalationPolicies.items.map((p) => p.id)).toEqual([policy.id]);
    expect(
      (await gql(t.url, DeleteEscalationPolicyDocument, { id: policy.id }, w.org.owner.token)).data
        ?.deleteEscalationPolicy,
    ).toBe(true);
    expect(errorCode(await gql(t.url, EscalationPolicyDocument, { id: policy.id }, w.org.owner.token))).toBe(
      'NOT_FOUND',
    );
  });
});
