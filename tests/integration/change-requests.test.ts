import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { SeedOrg, SeedUser, seedOrg } from '../support/seed';
import {
  ApproveChangeRequestDocument,
  ChangeRequestDocument,
  ChangeRequestsDocument,
  CreateChangeRequestDocument,
  RejectChangeRequestDocument,
  UpdateChangeRequestDocument,
} from '../support/generated/graphql';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const WINDOW = { planned_start: '2030-03-01T22:00:00Z', planned_end: '2030-03-01T23:30:00Z' };

async function withTeam(): Promise<{ org: SeedOrg; admin: SeedUser; responder: SeedUser; viewer: SeedUser }> {
  const org = await seedOrg(t.url);
  return {
    org,
    admin: await org.user('admin'),
    responder: await org.user('responder'),
    viewer: await org.user('viewer'),
  };
}

const patch = (token: string, ref: string, body: Record<string, unknown>) =>
  rest(t.url, 'PATCH', `/change-requests/${ref}`, { token, body });

describe('creating and reading change requests', () => {
  it('creates a draft with a CHG key, the requester and the documented fields in snake_case', async () => {
    const { org, responder } = await withTeam();
    const service = await org.service();
    const assetA = await org.asset();
    const assetB = await org.asset({ type: 'server' });
    const res = await rest(t.url, 'POST', '/change-requests/', {
      token: responder.token,
      body: {
        title: 'Upgrade PostgreSQL',
        description: '16 → 17',
        type: 'normal',
        risk: 'high',
        ...WINDOW,
        service_id: service.id,
        asset_ids: [assetA.id, assetB.id],
        implementer_id: responder.id,
        rollback_plan: 'Restore the snapshot',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      key: 'CHG-1',
      status: 'draft',
      type: 'normal',
      risk: 'high',
      planned_start: '2030-03-01T22:00:00.000Z',
      planned_end: '2030-03-01T23:30:00.000Z',
      service_id: service.id,
      implementer_id: responder.id,
      requester_id: responder.id,
      approver_id: null,
      rollback_plan: 'Restore the snapshot',
    });
    expect([...res.body.asset_ids].sort()).toEqual([assetA.id, assetB.id].sort());
    expect((await org.changeRequest()).key).toBe('CHG-2');
    expect((await (await seedOrg(t.url)).changeRequest()).key).toBe('CHG-1');
  });

  it('defaults to a normal, medium-risk draft', async () => {
    const org = await seedOrg(t.url);
    expect(await org.changeRequest()).toMatchObject({
      type: 'normal',
      risk: 'medium',
      status: 'draft',
      asset_ids: [],
      planned_start: null,
    });
  });

  it('reads by id and key on both surfaces with nested assets and people on GraphQL', async () => {
    const org = await seedOrg(t.url);
    const asset = await org.asset({ name: 'pg-primary' });
    const change = await org.changeRequest({ asset_ids: [asset.id] });
    for (const ref of [change.id, change.key, change.key.toLowerCase()]) {
      expect((await rest(t.url, 'GET', `/change-requests/${ref}`, { token: org.owner.token })).body.id).toBe(change.id);
    }
    const res = await gql(t.url, ChangeRequestDocument, { id: change.key }, org.owner.token);
    expect(res.data?.changeRequest).toMatchObject({
      id: change.id,
      assetIds: [asset.id],
      assets: [{ name: 'pg-primary' }],
      requester: { id: org.owner.id },
      approver: null,
    });
    expect((await rest(t.url, 'GET', '/change-requests/CHG-77', { token: org.owner.token })).status).toBe(404);
  });

  it('refuses missing or foreign references, naming the field', async () => {
    const org = await seedOrg(t.url);
    const other = await seedOrg(t.url);
    const foreignAsset = await other.asset();
    const ownAsset = await org.asset();
    for (const [field, value] of [
      ['asset_ids', [ownAsset.id, foreignAsset.id]],
      ['service_id', (await other.service()).id],
      ['implementer_id', other.owner.id],
    ] as const) {
      const res = await rest(t.url, 'POST', '/change-requests', {
        token: org.owner.token,
        body: { title: 'x', [field]: value },
      });
      expect([field, res.status, res.body.error?.details?.[0]?.field]).toEqual([field, 400, field]);
    }
  });

  it('creates through GraphQL with camelCase fields', async () => {
    const org = await seedOrg(t.url);
    const res = await gql(
      t.url,
      CreateChangeRequestDocument,
      { input: { title: 'Rotate TLS certs', type: 'standard', risk: 'low', rollbackPlan: 'Old certs' } },
      org.owner.token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.createChangeRequest).toMatchObject({
      key: 'CHG-1',
      type: 'standard',
      risk: 'low',
      status: 'draft',
      rollbackPlan: 'Old certs',
      requesterId: org.owner.id,
    });
  });
});

describe('the planned window', () => {
  it('refuses a window that ends before it starts, naming the field, on create and update', async () => {
    const org = await seedOrg(t.url);
    const bad = await rest(t.url, 'POST', '/change-requests', {
      token: org.owner.token,
      body: { title: 'x', planned_start: '2030-01-02T00:00:00Z', planned_end: '2030-01-01T00:00:00Z' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'planned_end' }] });
    const equal = await rest(t.url, 'POST', '/change-requests', {
      token: org.owner.token,
      body: { title: 'x', planned_start: '2030-01-01T00:00:00Z', planned_end: '2030-01-01T00:00:00Z' },
    });
    expect(equal.status).toBe(400);

    const change = await org.changeRequest(WINDOW);
    const lateStart = await patch(org.owner.token, change.key, { planned_start: '2030-03-02T00:00:00Z' });
    expect(lateStart.status).toBe(400);
    expect(lateStart.body.error.details[0].field).toBe('planned_start');
    const earlyEnd = await gql(
      t.url,
      UpdateChangeRequestDocument,
      { id: change.key, input: { plannedEnd: '2030-03-01T21:00:00Z' } },
      org.owner.token,
    );
    expect(errorCode(earlyEnd)).toBe('VALIDATION_FAILED');
    expect(earlyEnd.errors?.[0].extensions?.details?.[0].field).toBe('plannedEnd');
    const moved = await patch(org.owner.token, change.key, {
      planned_start: '2030-04-01T22:00:00Z',
      planned_end: '2030-04-01T23:00:00Z',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      planned_start: '2030-04-01T22:00:00.000Z',
      planned_end: '2030-04-01T23:00:00.000Z',
    });
  });
});

describe('the change lifecycle and its approval', () => {
  it('walks a normal change from draft to completed with another admin approving', async () => {
    const { org, admin, responder } = await withTeam();
    const change = await org.changeRequest(WINDOW, responder.token);
    expect((await patch(responder.token, change.key, { status: 'submitted' })).body.status).toBe('submitted');
    const approved = await rest(t.url, 'POST', `/change-requests/${change.key}/approve`, {
      token: admin.token,
      body: { comment: 'Go ahead' },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      approver_id: admin.id,
      requester_id: responder.id,
      decision_comment: 'Go ahead',
    });
    expect(approved.body.decided_at).not.toBeNull();
    for (const status of ['scheduled', 'implementing', 'completed']) {
      const res = await patch(responder.token, change.id, { status });
      expect([status, res.status, res.body.status]).toEqual([status, 200, status]);
    }
  });

  it('approves and rejects through GraphQL too, and an approval needs a submitted change', async () => {
    const { org, admin } = await withTeam();
    const draft = await org.changeRequest();
    const early = await gql(t.url, ApproveChangeRequestDocument, { id: draft.key }, admin.token);
    expect(errorCode(early)).toBe('CONFLICT');
    await patch(org.owner.token, draft.key, { status: 'submitted' });
    const rejected = await gql(
      t.url,
      RejectChangeRequestDocument,
      { id: draft.key, comment: 'No rollback plan' },
      admin.token,
    );
    expect(rejected.errors).toBeUndefined();
    expect(rejected.data?.rejectChangeRequest).toMatchObject({
      status: 'rejected',
      approverId: admin.id,
      decisionComment: 'No rollback plan',
    });
    const again = await rest(t.url, 'POST', `/change-requests/${draft.id}/approve`, { token: admin.token });
    expect(again.status).toBe(409);
    const edit = await patch(org.owner.token, draft.key, { title: 'Try again' });
    expect(edit.status).toBe(409);
  });

  it('refuses self-approval, even by an owner', async () => {
    const { org, admin } = await withTeam();
    const change = await org.changeRequest({}, admin.token);
    await patch(admin.token, change.key, { status: 'submitted' });
    const self = await rest(t.url, 'POST', `/change-requests/${change.key}/approve`, { token: admin.token });
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('FORBIDDEN');
    const selfReject = await gql(t.url, RejectChangeRequestDocument, { id: change.key }, admin.token);
    expect(errorCode(selfReject)).toBe('FORBIDDEN');
    const ownersOwn = await org.changeRequest();
    await patch(org.owner.token, ownersOwn.key, { status: 'submitted' });
    expect(
      (await rest(t.url, 'POST', `/change-requests/${ownersOwn.key}/approve`, { token: org.owner.token })).status,
    ).toBe(403);
    const byOwner = await rest(t.url, 'POST', `/change-requests/${change.key}/approve`, { token: org.owner.token });
    expect(byOwner.status).toBe(200);
    expect(byOwner.body.approver_id).toBe(org.owner.id);
  });

  it('refuses approval by a responder or viewer', async () => {
    const { org, responder, viewer } = await withTeam();
    const change = await org.changeRequest();
    await patch(org.owner.token, change.key, { status: 'submitted' });
    for (const user of [responder, viewer]) {
      for (const action of ['approve', 'reject']) {
        const res = await rest(t.url, 'POST', `/change-requests/${change.key}/${action}`, { token: user.token });
        expect([user.role, action, res.status]).toEqual([user.role, action, 403]);
      }
    }
    expect((await rest(t.url, 'GET', `/change-requests/${change.key}`, { token: viewer.token })).body).toMatchObject({
      status: 'submitted',
      approver_id: null,
    });
  });

  it('approves a standard change on submission, without an approver', async () => {
    const { org, responder, admin } = await withTeam();
    const change = await org.changeRequest({ type: 'standard', ...WINDOW }, responder.token);
    const submitted = await patch(responder.token, change.key, { status: 'submitted' });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'approved', approver_id: null });
    expect(submitted.body.decided_at).not.toBeNull();
    expect((await rest(t.url, 'POST', `/change-requests/${change.key}/approve`, { token: admin.token })).status).toBe(
      409,
    );
    expect((await patch(responder.token, change.key, { status: 'scheduled' })).body.status).toBe('scheduled');
  });

  it('fixes the type once submitted, so a standard change cannot carry an approval to another type', async () => {
    const org = await seedOrg(t.url);
    const change = await org.changeRequest({ type: 'standard' });
    expect((await patch(org.owner.token, change.key, { type: 'normal' })).body.type).toBe('normal');
    await patch(org.owner.token, change.key, { type: 'standard' });
    await patch(org.owner.token, change.key, { status: 'submitted' });
    const res = await patch(org.owner.token, change.key, { type: 'emergency' });
    expect(res.status).toBe(409);
    expect(res.body.error.details[0].field).toBe('type');
  });

  it('refuses setting approved or rejected through a status update, and skipping steps, with 409', async () => {
    const org = await seedOrg(t.url);
    const change = await org.changeRequest(WINDOW);
    for (const status of ['approved', 'rejected', 'scheduled', 'implementing', 'completed']) {
      const res = await patch(org.owner.token, change.key, { status });
      expect([status, res.status, res.body.error?.code]).toEqual([status, 409, 'CONFLICT']);
    }
    await patch(org.owner.token, change.key, { status: 'submitted' });
    const approveByPatch = await gql(
      t.url,
      UpdateChangeRequestDocument,
      { id: change.key, input: { status: 'approved' } },
      org.owner.token,
    );
    expect(errorCode(approveByPatch)).toBe('CONFLICT');
    expect(approveByPatch.errors?.[0].message).toMatch(/approve/);
    const back = await patch(org.owner.token, change.key, { status: 'draft' });
    expect(back.status).toBe(409);
    expect((await rest(t.url, 'GET', `/change-requests/${change.key}`, { token: org.owner.token })).body.status).toBe(
      'submitted',
    );
  });

  it('needs a planned window to schedule', async () => {
    const { org, admin } = await withTeam();
    const change = await org.changeRequest();
    await patch(org.owner.token, change.key, { status: 'submitted' });
    await rest(t.url, 'POST', `/change-requests/${change.key}/approve`, { token: admin.token });
    const res = await patch(org.owner.token, change.key, { status: 'scheduled' });
    expect(res.status).toBe(409);
    expect(res.body.error.details[0].field).toBe('planned_start');
    // The window is part of what is approved: adding it sends the change back for a new decision.
    const withWindow = await patch(org.owner.token, change.key, { status: 'scheduled', ...WINDOW });
    expect(withWindow.status).toBe(409);
    expect((await patch(org.owner.token, change.key, WINDOW)).body.status).toBe('submitted');
    await rest(t.url, 'POST', `/change-requests/${change.key}/approve`, { token: admin.token });
    const scheduled = await patch(org.owner.token, change.key, { status: 'scheduled' });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.status).toBe('scheduled');
  });

  it('cancels from any open state, and a closed change stays closed', async () => {
    const { org, admin } = await withTeam();
    const reach = async (steps: string[]) => {
      const change = await org.changeRequest(WINDOW);
      for (const step of steps) {
        const res =
          step === 'approve'
            ? await rest(t.url, 'POST', `/change-requests/${change.key}/approve`, { token: admin.token })
            : await patch(org.owner.token, change.key, { status: step });
        expect([step, res.status]).toEqual([step, 200]);
      }
      return change;
    };
    const paths = [
      [],
      ['submitted'],
      ['submitted', 'approve'],
      ['submitted', 'approve', 'scheduled'],
      ['submitted', 'approve', 'scheduled', 'implementing'],
    ];
    for (const steps of paths) {
      const change = await reach(steps);
      const res = await patch(org.owner.token, change.key, { status: 'cancelled' });
      expect([steps.join('>'), res.status, res.body.status]).toEqual([steps.join('>'), 200, 'cancelled']);
      const reopen = await patch(org.owner.token, change.key, { status: 'draft' });
      expect(reopen.status).toBe(409);
    }
    const failed = await reach(['submitted', 'approve', 'scheduled', 'implementing', 'failed']);
    expect((await patch(org.owner.token, failed.key, { status: 'cancelled' })).status).toBe(409);
    expect((await patch(org.owner.token, failed.key, { rollback_plan: 'too late' })).status).toBe(409);
  });
});

describe('listing change requests', () => {
  it('filters by status, type, risk, service, asset, people and planned start, and pages', async () => {
    const { org, admin, responder } = await withTeam();
    const service = await org.service();
    const asset = await org.asset();
    const a = await org.changeRequest({
      title: 'Kernel patch',
      type: 'standard',
      risk: 'low',
      service_id: service.id,
      planned_start: '2030-05-01T00:00:00Z',
      planned_end: '2030-05-01T01:00:00Z',
    });
    const b = await org.changeRequest(
      { title: 'Failover drill', type: 'emergency', risk: 'high', asset_ids: [asset.id], implementer_id: responder.id },
      responder.token,
    );
    const c = await org.changeRequest({
      title: 'Kernel rollback plan',
      planned_start: '2030-06-01T00:00:00Z',
      planned_end: '2030-06-01T01:00:00Z',
    });
    await patch(responder.token, b.key, { status: 'submitted' });
    await rest(t.url, 'POST', `/change-requests/${b.key}/approve`, { token: admin.token });

    const ids = async (query: string) =>
      (await rest(t.url, 'GET', `/change-requests?sort=number&${query}`, { token: org.owner.token })).body.items.map(
        (i: { id: string }) => i.id,
      );
    expect(await ids('status=approved')).toEqual([b.id]);
    expect(await ids('type=standard,emergency')).toEqual([a.id, b.id]);
    expect(await ids('risk=high')).toEqual([b.id]);
    expect(await ids(`service_id=${service.id}`)).toEqual([a.id]);
    expect(await ids(`asset_ids=${asset.id}`)).toEqual([b.id]);
    expect(await ids(`requester_id=${responder.id}`)).toEqual([b.id]);
    expect(await ids(`implementer_id=${responder.id}`)).toEqual([b.id]);
    expect(await ids(`approver_id=${admin.id}`)).toEqual([b.id]);
    expect(await ids('planned_start_after=2030-05-15T00:00:00Z')).toEqual([c.id]);
    expect(await ids('q=kernel')).toEqual([a.id, c.id]);

    const page1 = await gql(t.url, ChangeRequestsDocument, { limit: 2, sort: '-number' }, org.owner.token);
    expect(page1.data?.changeRequests.total).toBe(3);
    expect(page1.data?.changeRequests.items.map((i) => i.key)).toEqual(['CHG-3', 'CHG-2']);
    const page2 = await rest(
      t.url,
      'GET',
      `/change-requests?limit=2&sort=-number&cursor=${page1.data?.changeRequests.nextCursor}`,
      { token: org.owner.token },
    );
    expect(page2.body).toMatchObject({ total: 3, next_cursor: null, items: [{ key: 'CHG-1' }] });
  });
});

describe('change request roles', () => {
  it('lets responders create and work changes, not viewers, and keeps deletion to admins', async () => {
    const { org, admin, responder, viewer } = await withTeam();
    expect(
      (await rest(t.url, 'POST', '/change-requests', { token: viewer.token, body: { title: 'Viewer made' } })).status,
    ).toBe(403);
    const change = await org.changeRequest({}, responder.token);
    expect((await patch(viewer.token, change.key, { status: 'submitted' })).status).toBe(403);
    expect((await patch(responder.token, change.key, { status: 'cancelled' })).status).toBe(200);
    expect((await rest(t.url, 'DELETE', `/change-requests/${change.key}`, { token: responder.token })).status).toBe(
      403,
    );
    expect((await rest(t.url, 'DELETE', `/change-requests/${change.key}`, { token: admin.token })).status).toBe(204);
  });
});
