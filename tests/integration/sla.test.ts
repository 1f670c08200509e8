import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';
import { ManualClock } from '../../src/core/clock';
import type { SlaBreachRecord } from '../../src/modules/sla/sla-breach.job';
import {
  CreateSlaPolicyDocument,
  DeleteSlaPolicyDocument,
  IncidentSlaDocument,
  IncidentsSlaDocument,
  SlaPoliciesDocument,
  SlaPolicyDocument,
  UpdateIncidentSlaDocument,
  UpdateSlaPolicyDocument,
} from '../support/generated/graphql';

// A fixed time well after the real one, so nothing but these tests' own runs can find these clocks overdue.
const T0 = new Date('2031-03-03T09:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();

const clock = new ManualClock(T0);
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { clock });
});
afterAll(() => t.close());
beforeEach(() => clock.set(T0));

const patch = (org: SeedOrg, ref: string, body: Record<string, unknown>) =>
  rest(t.url, 'PATCH', `/incidents/${ref}`, { token: org.owner.token, body });
const read = async (org: SeedOrg, ref: string) =>
  (await rest(t.url, 'GET', `/incidents/${ref}`, { token: org.owner.token })).body;
const breachEvents = async (org: SeedOrg, ref: string) =>
  (
    await rest(t.url, 'GET', `/incident-events?incident_id=${ref}&type=sla_breached&limit=100`, {
      token: org.owner.token,
    })
  ).body.items;
/**
 * The breaches of a run that concern these incidents (the job spans every organization of the shared test database).
 */
const of = (breaches: SlaBreachRecord[], ...incidents: Array<{ id: string }>) =>
  breaches
    .filter((b) => incidents.some((i) => i.id === b.incidentId))
    .map((b) => `${b.incidentId}:${b.clock}`)
    .sort();

describe('SLA policies over REST', () => {
  it('lets an admin create, read, list, update and delete a policy', async () => {
    const org = await seedOrg(t.url);
    const admin = await org.user('admin');
    const team = await org.team();
    const service = await org.service();
    const created = await rest(t.url, 'POST', '/sla-policies/', {
      token: admin.token,
      body: {
        name: 'Critical payments',
        severity: 'P1',
        response_minutes: 5,
        resolution_minutes: 60,
        service_id: service.id,
        team_id: team.id,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Critical payments',
      severity: 'P1',
      response_minutes: 5,
      resolution_minutes: 60,
      service_id: service.id,
      team_id: team.id,
    });
    expect(created.body).not.toHaveProperty('service');
    const id = created.body.id;

    expect((await rest(t.url, 'GET', `/sla-policies/${id}`, { token: admin.token })).body.name).toBe(
      'Critical payments',
    );
    const updated = await rest(t.url, 'PATCH', `/sla-policies/${id}`, {
      token: admin.token,
      body: { resolution_minutes: 90, team_id: null },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      response_minutes: 5,
      resolution_minutes: 90,
      team_id: null,
      service_id: service.id,
    });

    expect((await rest(t.url, 'DELETE', `/sla-policies/${id}`, { token: admin.token })).status).toBe(204);
    expect((await rest(t.url, 'GET', `/sla-policies/${id}`, { token: admin.token })).status).toBe(404);
  });

  it('lists with filters and keyset pagination', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service();
    await org.slaPolicy({ name: 'a-p1', severity: 'P1' });
    await org.slaPolicy({ name: 'b-p2', severity: 'P2', response_minutes: 30, resolution_minutes: 480 });
    await org.slaPolicy({ name: 'c-p1-service', severity: 'P1', service_id: service.id });
    const p1 = await rest(t.url, 'GET', '/sla-policies?severity=P1', { token: org.owner.token });
    expect(p1.body.items.map((p: { name: string }) => p.name)).toEqual(['a-p1', 'c-p1-service']);
    const byService = await rest(t.url, 'GET', `/sla-policies?service_id=${service.id}`, { token: org.owner.token });
    expect(byService.body.items.map((p: { name: string }) => p.name)).toEqual(['c-p1-service']);

    const first = await rest(t.url, 'GET', '/sla-policies?limit=2', { token: org.owner.token });
    expect(first.body.total).toBe(3);
    expect(first.body.items).toHaveLength(2);
    const second = await rest(t.url, 'GET', `/sla-policies?limit=2&cursor=${first.body.next_cursor}`, {
      token: org.owner.token,
    });
    expect(second.body.items.map((p: { name: string }) => p.name)).toEqual(['c-p1-service']);
    expect(second.body.next_cursor).toBeNull();
  });

  it('refuses targets that are not positive integers, naming the field', async () => {
    const org = await seedOrg(t.url);
    const base = { name: 'x', severity: 'P2', response_minutes: 10, resolution_minutes: 100 };
    for (const [field, value] of [
      ['response_minutes', 0],
      ['response_minutes', -5],
      ['resolution_minutes', 0],
      ['response_minutes', 1.5],
      ['resolution_minutes', '60'],
    ] as const) {
      const res = await rest(t.url, 'POST', '/sla-policies', {
        token: org.owner.token,
        body: { ...base, [field]: value },
      });
      expect([field, value, res.status]).toEqual([field, value, 400]);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details[0].field).toBe(field);
    }
  });

  it('refuses a resolution target shorter than the response target, on create and on update', async () => {
    const org = await seedOrg(t.url);
    const created = await rest(t.url, 'POST', '/sla-policies', {
      token: org.owner.token,
      body: { name: 'x', severity: 'P2', response_minutes: 60, resolution_minutes: 30 },
    });
    expect(created.status).toBe(400);
    expect(created.body.error.details[0]).toEqual({
      field: 'resolution_minutes',
      message: 'must be at least response_minutes',
    });

    const equal = await org.slaPolicy({ severity: 'P2', response_minutes: 30, resolution_minutes: 30 });
    expect(equal.resolution_minutes).toBe(30);
    const updated = await rest(t.url, 'PATCH', `/sla-policies/${equal.id}`, {
      token: org.owner.token,
      body: { response_minutes: 31 },
    });
    expect(updated.status).toBe(400);
    expect(updated.body.error.details[0].field).toBe('resolution_minutes');
    expect(
      (await rest(t.url, 'GET', `/sla-policies/${equal.id}`, { token: org.owner.token })).body.response_minutes,
    ).toBe(30);
  });

  it('refuses a missing or unknown severity and a service of no record', async () => {
    const org = await seedOrg(t.url);
    const missing = await rest(t.url, 'POST', '/sla-policies', {
      token: org.owner.token,
      body: { name: 'x', response_minutes: 1, resolution_minutes: 2 },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].field).toBe('severity');
    const unknown = await rest(t.url, 'POST', '/sla-policies', {
      token: org.owner.token,
      body: { name: 'x', severity: 'P5', response_minutes: 1, resolution_minutes: 2 },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/P1, P2, P3, P4/);
    const noService = await rest(t.url, 'POST', '/sla-policies', {
      token: org.owner.token,
      body: {
        name: 'x',
        severity: 'P1',
        response_minutes: 1,
        resolution_minutes: 2,
        service_id: '00000000-0000-4000-8000-000000000000',
      },
    });
    expect(noService.status).toBe(400);
    expect(noService.body.error.details[0].field).toBe('service_id');
  });

  it('allows one policy per severity and scope (409), and other scopes beside it', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service();
    await org.slaPolicy({ name: 'P1 everywhere', severity: 'P1' });
    const duplicate = await rest(t.url, 'POST', '/sla-policies', {
      token: org.owner.token,
      body: { name: 'Again', severity: 'P1', response_minutes: 5, resolution_minutes: 50 },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('CONFLICT');
    expect(duplicate.body.error.message).toMatch(/P1 everywhere/);
    await org.slaPolicy({ severity: 'P1', service_id: service.id });
    await org.slaPolicy({ severity: 'P2' });
    const scoped = await rest(t.url, 'POST', '/sla-policies', {
      token: org.owner.token,
      body: { name: 'Again', severity: 'P1', response_minutes: 5, resolution_minutes: 50, service_id: service.id },
    });
    expect(scoped.status).toBe(409);
    const other = await seedOrg(t.url);
    expect((await other.slaPolicy({ severity: 'P1' })).severity).toBe('P1');
  });

  it('lets only admins manage policies and everyone read them', async () => {
    const org = await seedOrg(t.url);
    const responder = await org.user('responder');
    const viewer = await org.user('viewer');
    const body = { name: 'x', severity: 'P3', response_minutes: 60, resolution_minutes: 600 };
    for (const user of [responder, viewer]) {
      const res = await rest(t.url, 'POST', '/sla-policies', { token: user.token, body });
      expect([user.role, res.status, res.body.error.code]).toEqual([user.role, 403, 'FORBIDDEN']);
    }
    const policy = await org.slaPolicy(body);
    expect((await rest(t.url, 'DELETE', `/sla-policies/${policy.id}`, { token: responder.token })).status).toBe(403);
    expect(
      (await rest(t.url, 'GET', '/sla-policies', { token: viewer.token })).body.items.map((p: { id: string }) => p.id),
    ).toEqual([policy.id]);
    const viaGraphQL = await gql(
      t.url,
      CreateSlaPolicyDocument,
      { input: { name: 'y', severity: 'P4', responseMinutes: 1, resolutionMinutes: 2 } },
      responder.token,
    );
    expect(errorCode(viaGraphQL)).toBe('FORBIDDEN');
  });
});

describe('SLA policies over GraphQL', () => {
  it('creates, reads with nested scope, updates, lists and deletes with camelCase fields', async () => {
    const org = await seedOrg(t.url);
    const team = await org.team({ name: 'Payments team' });
    const created = await gql(
      t.url,
      CreateSlaPolicyDocument,
      { input: { name: 'Team P2', severity: 'P2', responseMinutes: 30, resolutionMinutes: 480, teamId: team.id } },
      org.owner.token,
    );
    expect(created.errors).toBeUndefined();
    const policy = created.data!.createSlaPolicy;
    expect(policy).toMatchObject({
      name: 'Team P2',
      severity: 'P2',
      responseMinutes: 30,
      resolutionMinutes: 480,
      teamId: team.id,
      serviceId: null,
    });

    const one = await gql(t.url, SlaPolicyDocument, { id: policy.id }, org.owner.token);
    expect(one.data?.slaPolicy.team).toEqual({ id: team.id, name: 'Payments team' });
    expect(one.data?.slaPolicy.service).toBeNull();

    const updated = await gql(
      t.url,
      UpdateSlaPolicyDocument,
      { id: policy.id, input: { responseMinutes: 20 } },
      org.owner.token,
    );
    expect(updated.data?.updateSlaPolicy).toMatchObject({ responseMinutes: 20, resolutionMinutes: 480 });
    const invalid = await gql(
      t.url,
      UpdateSlaPolicyDocument,
      { id: policy.id, input: { resolutionMinutes: 10 } },
      org.owner.token,
    );
    expect(errorCode(invalid)).toBe('VALIDATION_FAILED');
    expect(invalid.errors?.[0].extensions?.details?.[0].field).toBe('resolutionMinutes');

    const list = await gql(t.url, SlaPoliciesDocument, { filter: { teamId: [team.id] } }, org.owner.token);
    expect(list.data?.slaPolicies.items.map((p) => p.id)).toEqual([policy.id]);

    expect((await gql(t.url, DeleteSlaPolicyDocument, { id: policy.id }, org.owner.token)).data?.deleteSlaPolicy).toBe(
      true,
    );
    expect(errorCode(await gql(t.url, SlaPolicyDocument, { id: policy.id }, org.owner.token))).toBe('NOT_FOUND');
  });
});

describe('due times of new incidents', () => {
  it('sets both due times from the matching policy, counted from the creation', async () => {
    const org = await seedOrg(t.url);
    const policy = await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const incident = await org.incident({ severity: 'P1' });
    expect(incident).toMatchObject({
      sla_policy_id: policy.id,
      sla_started_at: iso(0),
      sla_response_due_at: iso(15),
      sla_resolution_due_at: iso(240),
      sla_response_breached_at: null,
      sla_resolution_breached_at: null,
      sla_breached: false,
    });
    const viaGraphQL = await gql(t.url, IncidentSlaDocument, { id: incident.key }, org.owner.token);
    expect(viaGraphQL.data?.incident).toMatchObject({
      slaPolicyId: policy.id,
      slaPolicy: { id: policy.id, name: policy.name },
      slaResponseDueAt: iso(15),
      slaResolutionDueAt: iso(240),
      slaBreached: false,
    });
  });

  it('leaves the due times null when no policy matches', async () => {
    const org = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P1' });
    const incident = await org.incident({ severity: 'P3' });
    expect(incident).toMatchObject({
      sla_policy_id: null,
      sla_response_due_at: null,
      sla_resolution_due_at: null,
      sla_breached: false,
    });
  });

  it('applies the classified severity when the caller sends none', async () => {
    const org = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P1', response_minutes: 7, resolution_minutes: 70 });
    const incident = await org.incident({ title: 'Checkout is down for all users', severity: undefined });
    expect(incident.severity).toBe('P1');
    expect(incident.sla_response_due_at).toBe(iso(7));
  });

  it('picks the most specific policy: service and team, then service, then team, then severity alone', async () => {
    const org = await seedOrg(t.url);
    const team = await org.team();
    const otherTeam = await org.team();
    const service = await org.service({ team_id: team.id });
    const otherService = await org.service();
    const unrelated = await org.service();
    const bySeverity = await org.slaPolicy({
      name: 'severity',
      severity: 'P2',
      response_minutes: 60,
      resolution_minutes: 600,
    });
    const byTeam = await org.slaPolicy({
      name: 'team',
      severity: 'P2',
      team_id: team.id,
      response_minutes: 30,
      resolution_minutes: 300,
    });
    const byService = await org.slaPolicy({
      name: 'service',
      severity: 'P2',
      service_id: service.id,
      response_minutes: 20,
      resolution_minutes: 200,
    });
    const byBoth = await org.slaPolicy({
      name: 'both',
      severity: 'P2',
      service_id: service.id,
      team_id: team.id,
      response_minutes: 10,
      resolution_minutes: 100,
    });
    await org.slaPolicy({
      name: 'elsewhere',
      severity: 'P2',
      service_id: unrelated.id,
      response_minutes: 1,
      resolution_minutes: 1,
    });
    await org.slaPolicy({
      name: 'other severity',
      severity: 'P1',
      service_id: service.id,
      team_id: team.id,
      response_minutes: 1,
      resolution_minutes: 1,
    });

    const cases: Array<[string, Record<string, unknown>, { id: string }, number]> = [
      ['service and team (team taken from the service)', { service_id: service.id }, byBoth, 10],
      ['service with another team', { service_id: service.id, team_id: otherTeam.id }, byService, 20],
      ['team only', { team_id: team.id }, byTeam, 30],
      ['team with a service that has no policy', { team_id: team.id, service_id: otherService.id }, byTeam, 30],
      ['neither', {}, bySeverity, 60],
    ];
    for (const [label, scope, policy, responseMinutes] of cases) {
      const incident = await org.incident({ severity: 'P2', ...scope });
      expect([label, incident.sla_policy_id, incident.sla_response_due_at]).toEqual([
        label,
        policy.id,
        iso(responseMinutes),
      ]);
    }
  });

  it('counts from the creation, not from a past started_at, so imports do not arrive already breached', async () => {
    const org = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    clock.set(at(30));
    const imported = await org.incident({ severity: 'P1', started_at: '2024-01-02T03:04:05Z', source: 'import' });
    expect(imported.started_at).toBe('2024-01-02T03:04:05.000Z');
    expect(imported.sla_started_at).toBe(iso(30));
    expect(imported.sla_response_due_at).toBe(iso(45));
    expect(of(await t.app.slaBreachJob.runOnce(at(40)), imported)).toEqual([]);
  });
});

describe('the clocks of an incident', () => {
  it('stops the response clock on acknowledgement and keeps the resolution clock running', async () => {
    const org = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const incident = await org.incident({ severity: 'P1' });
    clock.set(at(5));
    expect((await patch(org, incident.key, { status: 'acknowledged' })).status).toBe(200);
    expect(of(await t.app.slaBreachJob.runOnce(at(30)), incident)).toEqual([]);
    expect(of(await t.app.slaBreachJob.runOnce(at(241)), incident)).toEqual([`${incident.id}:resolution`]);
    const after = await read(org, incident.key);
    expect(after).toMatchObject({
      sla_response_breached_at: null,
      sla_resolution_breached_at: iso(240),
      sla_breached: true,
      sla_response_due_at: iso(15),
    });
  });

  it('stops the response clock on any later status too (open → investigating)', async () => {
    const org = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const incident = await org.incident({ severity: 'P1' });
    clock.set(at(1));
    await patch(org, incident.key, { status: 'investigating' });
    expect(of(await t.app.slaBreachJob.runOnce(at(60)), incident)).toEqual([]);
  });

  it('stops the resolution clock on resolve, so nothing breaches afterwards', async () => {
    const org = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const incident = await org.incident({ severity: 'P1' });
    clock.set(at(10));
    await patch(org, incident.key, { status: 'resolved' });
    expect(of(await t.app.slaBreachJob.runOnce(at(10_000)), incident)).toEqual([]);
    expect(await read(org, incident.key)).toMatchObject({
      sla_breached: false,
      sla_response_breached_at: null,
      sla_resolution_breached_at: null,
    });
    expect(await breachEvents(org, incident.key)).toEqual([]);
  });

  it('restarts only the resolution clock on reopen, from the reopen time', async () => {
    const org = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const incident = await org.incident({ severity: 'P1' });
    clock.set(at(20));
    await patch(org, incident.key, { status: 'resolved' });
    clock.set(at(100));
    const reopened = await patch(org, incident.key, { status: 'open' });
    expect(reopened.body).toMatchObject({
      status: 'open',
      sla_started_at: iso(100),
      sla_response_due_at: iso(15),
      sla_resolution_due_at: iso(340),
    });
    expect(of(await t.app.slaBreachJob.runOnce(at(339)), incident)).toEqual([]);
    expect(of(await t.app.slaBreachJob.runOnce(at(341)), incident)).toEqual([`${incident.id}:resolution`]);
  });

  it('gives a reopened incident a new resolution clock that can breach again, once more', async () => {
    const org = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const incident = await org.incident({ severity: 'P1' });
    await patch(org, incident.key, { status: 'acknowledged' });
    expect(of(await t.app.slaBreachJob.runOnce(at(250)), incident)).toEqual([`${incident.id}:resolution`]);
    clock.set(at(260));
    await patch(org, incident.key, { status: 'resolved' });
    clock.set(at(300));
    const reopened = (await patch(org, incident.key, { status: 'open' })).body;
    expect(reopened).toMatchObject({
      sla_breached: true,
      sla_resolution_breached_at: null,
      sla_resolution_due_at: iso(540),
    });
    expect(of(await t.app.slaBreachJob.runOnce(at(541)), incident)).toEqual([`${incident.id}:resolution`]);
    expect((await breachEvents(org, incident.key)).map((e: { occurred_at: string }) => e.occurred_at)).toEqual([
      iso(240),
      iso(540),
    ]);
  });

  it('recomputes running clocks when the severity changes, and leaves stopped ones alone', async () => {
    const org = await seedOrg(t.url);
    const p1 = await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const p2 = await org.slaPolicy({ severity: 'P2', response_minutes: 60, resolution_minutes: 600 });
    const incident = await org.incident({ severity: 'P2' });
    expect(incident).toMatchObject({ sla_policy_id: p2.id, sla_response_due_at: iso(60) });

    clock.set(at(10));
    const raised = (await patch(org, incident.key, { severity: 'P1' })).body;
    expect(raised).toMatchObject({
      sla_policy_id: p1.id,
      sla_response_due_at: iso(15),
      sla_resolution_due_at: iso(240),
    });

    clock.set(at(12));
    await patch(org, incident.key, { status: 'acknowledged' });
    const lowered = (await patch(org, incident.key, { severity: 'P2' })).body;
    expect(lowered).toMatchObject({
      sla_policy_id: p2.id,
      sla_response_due_at: iso(15),
      sla_resolution_due_at: iso(600),
    });

    const unmatched = (await patch(org, incident.key, { severity: 'P4' })).body;
    expect(unmatched).toMatchObject({ sla_policy_id: null, sla_response_due_at: iso(15), sla_resolution_due_at: null });
    expect(of(await t.app.slaBreachJob.runOnce(at(10_000)), incident)).toEqual([]);
  });

  it('recomputes through GraphQL as well', async () => {
    const org = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P3', response_minutes: 120, resolution_minutes: 1440 });
    const incident = await org.incident({ severity: 'P4' });
    expect(incident.sla_response_due_at).toBeNull();
    const res = await gql(
      t.url,
      UpdateIncidentSlaDocument,
      { id: incident.key, input: { severity: 'P3' } },
      org.owner.token,
    );
    expect(res.data?.updateIncident).toMatchObject({
      severity: 'P3',
      slaResponseDueAt: iso(120),
      slaResolutionDueAt: iso(1440),
    });
  });

  it('recomputes running clocks when the service changes', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service();
    await org.slaPolicy({ severity: 'P2', response_minutes: 60, resolution_minutes: 600 });
    const strict = await org.slaPolicy({
      severity: 'P2',
      service_id: service.id,
      response_minutes: 5,
      resolution_minutes: 50,
    });
    const incident = await org.incident({ severity: 'P2' });
    clock.set(at(3));
    const moved = (await patch(org, incident.key, { service_id: service.id })).body;
    expect(moved).toMatchObject({
      sla_policy_id: strict.id,
      sla_response_due_at: iso(5),
      sla_resolution_due_at: iso(50),
    });
  });

  it('keeps the due times of existing incidents when a policy is edited or deleted', async () => {
    const org = await seedOrg(t.url);
    const policy = await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const incident = await org.incident({ severity: 'P1' });
    await rest(t.url, 'PATCH', `/sla-policies/${policy.id}`, { token: org.owner.token, body: { response_minutes: 1 } });
    expect((await read(org, incident.key)).sla_response_due_at).toBe(iso(15));
    await rest(t.url, 'DELETE', `/sla-policies/${policy.id}`, { token: org.owner.token });
    expect(await read(org, incident.key)).toMatchObject({ sla_policy_id: null, sla_response_due_at: iso(15) });
  });
});

describe('the breach job', () => {
  it('marks a breach once, at its due time, with one timeline entry saying which clock', async () => {
    const org = await seedOrg(t.url);
    const policy = await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const incident = await org.incident({ severity: 'P1' });
    expect(of(await t.app.slaBreachJob.runOnce(at(15)), incident)).toEqual([]);

    const run = await t.app.slaBreachJob.runOnce(at(16));
    expect(of(run, incident)).toEqual([`${incident.id}:response`]);
    const breach = run.find((b) => b.incidentId === incident.id)!;
    expect(breach).toMatchObject({ clock: 'response', dueAt: at(15), policyId: policy.id });

    expect(await read(org, incident.key)).toMatchObject({
      sla_breached: true,
      sla_response_breached_at: iso(15),
      sla_resolution_breached_at: null,
    });
    const events = await breachEvents(org, incident.key);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: breach.eventId,
      type: 'sla_breached',
      actor_id: null,
      occurred_at: iso(15),
      data: { clock: 'response', due_at: iso(15), detected_at: iso(16), policy_id: policy.id },
    });
    expect(events[0].message).toMatch(/Response SLA breached/);

    expect(of(await t.app.slaBreachJob.runOnce(at(17)), incident)).toEqual([]);
    expect(await breachEvents(org, incident.key)).toHaveLength(1);
  });

  it('marks both clocks of an incident left alone, each once', async () => {
    const org = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const incident = await org.incident({ severity: 'P1' });
    expect(of(await t.app.slaBreachJob.runOnce(at(300)), incident)).toEqual([
      `${incident.id}:resolution`,
      `${incident.id}:response`,
    ]);
    expect(of(await t.app.slaBreachJob.runOnce(at(301)), incident)).toEqual([]);
    const events = await breachEvents(org, incident.key);
    expect(events.map((e: { data: { clock: string } }) => e.data.clock).sort()).toEqual(['resolution', 'response']);
  });

  it('never marks or logs a breach twice when runs overlap', async () => {
    const org = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P2', response_minutes: 10, resolution_minutes: 20 });
    const incidents = await Promise.all(
      Array.from({ length: 12 }, (_, i) => org.incident({ severity: 'P2', title: `Overdue ${i}` })),
    );
    const runs = await Promise.all(Array.from({ length: 4 }, () => t.app.slaBreachJob.runOnce(at(30))));
    const marked = runs.flatMap((run) => of(run, ...incidents));
    expect(marked).toHaveLength(24);
    expect(new Set(marked).size).toBe(24);
    for (const incident of incidents) {
      const events = await breachEvents(org, incident.key);
      expect([incident.key, events.length]).toEqual([incident.key, 2]);
    }
    const listed = await rest(t.url, 'GET', '/incident-events?type=sla_breached&limit=100', { token: org.owner.token });
    expect(listed.body.total).toBe(24);
  });

  it('records a breach found by a late acknowledgement, and the job does not mark it again', async () => {
    const org = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const incident = await org.incident({ severity: 'P1' });
    clock.set(at(20));
    const acked = (await patch(org, incident.key, { status: 'acknowledged' })).body;
    expect(acked).toMatchObject({ sla_breached: true, sla_response_breached_at: iso(15) });
    expect(of(await t.app.slaBreachJob.runOnce(at(21)), incident)).toEqual([]);
    const events = await breachEvents(org, incident.key);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      occurred_at: iso(15),
      actor_id: null,
      data: { clock: 'response', detected_at: iso(20) },
    });
  });

  it('does not count an acknowledgement exactly at the due time as a breach', async () => {
    const org = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const incident = await org.incident({ severity: 'P1' });
    clock.set(at(15));
    expect((await patch(org, incident.key, { status: 'acknowledged' })).body.sla_breached).toBe(false);
  });

  it("keeps breach entries to the incident's organization and immutable", async () => {
    const org = await seedOrg(t.url);
    const intruder = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const incident = await org.incident({ severity: 'P1' });
    await t.app.slaBreachJob.runOnce(at(16));
    const [event] = await breachEvents(org, incident.key);
    const foreign = await rest(t.url, 'GET', '/incident-events?type=sla_breached&limit=100', {
      token: intruder.owner.token,
    });
    expect(foreign.body.items).toEqual([]);
    expect((await rest(t.url, 'GET', `/incident-events/${event.id}`, { token: intruder.owner.token })).status).toBe(
      404,
    );
    const edit = await rest(t.url, 'PATCH', `/incident-events/${event.id}`, {
      token: org.owner.token,
      body: { message: 'never happened' },
    });
    expect(edit.status).toBe(409);
  });
});

describe('filtering incidents by sla_breached', () => {
  it('lists breached or unbreached incidents on both surfaces', async () => {
    const org = await seedOrg(t.url);
    await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const late = await org.incident({ severity: 'P1', title: 'late' });
    const fine = await org.incident({ severity: 'P1', title: 'fine' });
    const none = await org.incident({ severity: 'P4', title: 'no policy' });
    clock.set(at(1));
    await patch(org, fine.key, { status: 'acknowledged' });
    await t.app.slaBreachJob.runOnce(at(16));

    const breached = await rest(t.url, 'GET', '/incidents?sla_breached=true', { token: org.owner.token });
    expect(breached.status).toBe(200);
    expect(breached.body.items.map((i: { key: string }) => i.key)).toEqual([late.key]);
    const unbreached = await rest(t.url, 'GET', '/incidents?sla_breached=false', { token: org.owner.token });
    expect(unbreached.body.items.map((i: { key: string }) => i.key).sort()).toEqual([fine.key, none.key].sort());
    const bad = await rest(t.url, 'GET', '/incidents?sla_breached=maybe', { token: org.owner.token });
    expect(bad.status).toBe(400);

    const viaGraphQL = await gql(t.url, IncidentsSlaDocument, { filter: { slaBreached: true } }, org.owner.token);
    expect(viaGraphQL.data?.incidents.items.map((i) => i.key)).toEqual([late.key]);
    expect(viaGraphQL.data?.incidents.total).toBe(1);
  });
});

describe('the breach runner started by the app', () => {
  it('checks on its interval and stops with the app', async () => {
    const ownClock = new ManualClock(T0);
    const app = await startTestApp({ ARGUS_SLA_CHECK_INTERVAL_SECONDS: '1' }, { clock: ownClock });
    try {
      const org = await seedOrg(app.url);
      await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
      const incident = await org.incident({ severity: 'P1' });
      ownClock.set(at(16));
      let breached = false;
      for (let i = 0; i < 40 && !breached; i++) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        breached = (await rest(app.url, 'GET', `/incidents/${incident.key}`, { token: org.owner.token })).body
          .sla_breached;
      }
      expect(breached).toBe(true);
    } finally {
      await app.close();
    }
  });
});
