import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';
import { ClassifyIncidentDocument, CreateIncidentDocument } from '../support/generated/graphql';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t.close();
});

const classify = (org: SeedOrg, body: Record<string, unknown>, token = org.owner.token) =>
  rest(t.url, 'POST', '/ai/classify', { token, body });

const LAG = 'Kafka consumer lag on the ledger pipeline';

/** A history in which one kind of incident is always P1 and another always P4, as people labelled them. */
async function teachHistory(org: SeedOrg): Promise<void> {
  for (let i = 0; i < 12; i++) {
    await org.incident({
      title: `${LAG} (partition ${i})`,
      description: 'Ledger consumers fall behind; balances are stale.',
      severity: 'P1',
    });
  }
  for (let i = 0; i < 6; i++)
    await org.incident({ title: `Dashboard widget ${i} misaligned in the footer`, severity: 'P4' });
}

describe('POST /ai/classify', () => {
  it('answers the documented shape, names its model and reads day-one cues', async () => {
    const org = await seedOrg(t.url);
    const res = await classify(org, { title: 'Checkout is down for all users', description: 'Customers cannot pay.' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([
      'confidence',
      'fallback_reason',
      'model',
      'reasoning',
      'refit_pending',
      'severity',
      'suggested_service_id',
      'suggested_team_id',
    ]);
    expect(res.body).toMatchObject({
      severity: 'P1',
      model: 'argus-severity-v1',
      fallback_reason: null,
      suggested_service_id: null,
      suggested_team_id: null,
    });
    // A new organization: the prior's confidence, which claims at most 0.75 for an organization it was not measured on.
    expect(res.body.confidence).toBe(0.75);
    expect(res.body.reasoning).toContain('all users');
    expect(res.body.reasoning).toContain('No labelled history');
    expect(res.body.reasoning).toContain('and at most 75%: how this organization uses the scale is not known yet');
  });

  it('tells a cosmetic problem from an outage', async () => {
    const org = await seedOrg(t.url);
    const cosmetic = await classify(org, {
      title: 'Typo on the pricing page',
      description: 'Cosmetic only, a misaligned label.',
    });
    expect(cosmetic.body.severity).toBe('P4');
    const loss = await classify(org, { title: 'Data loss for all customers after the migration' });
    expect(loss.body.severity).toBe('P1');
  });

  it('answers the same through GraphQL', async () => {
    const org = await seedOrg(t.url);
    const input = { title: 'Checkout is down for all users', description: 'Customers cannot pay.' };
    const viaRest = await classify(org, input);
    const viaGraphQL = await gql(t.url, ClassifyIncidentDocument, { input }, org.owner.token);
    expect(viaGraphQL.errors).toBeUndefined();
    expect(viaGraphQL.data?.classifyIncident).toEqual({
      severity: viaRest.body.severity,
      confidence: viaRest.body.confidence,
      reasoning: viaRest.body.reasoning,
      suggestedTeamId: null,
      suggestedServiceId: null,
      model: 'argus-severity-v1',
      fallbackReason: null,
    });
  });

  it('lets every signed-in role classify and refuses anonymous callers', async () => {
    const org = await seedOrg(t.url);
    const viewer = await org.user('viewer');
    expect((await classify(org, { title: 'Search is slow' }, viewer.token)).status).toBe(200);
    const anonymous = await rest(t.url, 'POST', '/ai/classify', { body: { title: 'Search is slow' } });
    expect(anonymous.status).toBe(401);
    const viaGraphQL = await gql(t.url, ClassifyIncidentDocument, { input: { title: 'Search is slow' } });
    expect(errorCode(viaGraphQL)).toBe('UNAUTHENTICATED');
  });

  it('refuses a bad body with 400 naming the field', async () => {
    const org = await seedOrg(t.url);
    const other = await seedOrg(t.url);
    const foreign = await other.service({ name: 'Ledger' });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ description: 'no title' }, 'title'],
      [{ title: '' }, 'title'],
      [{ title: 'x'.repeat(301) }, 'title'],
      [{ title: 'ok', description: 'x'.repeat(20001) }, 'description'],
      [{ title: 'ok', severity: 'P1' }, 'severity'],
      [{ title: 'ok', service_id: 'not-a-uuid' }, 'service_id'],
      [{ title: 'ok', service_id: foreign.id }, 'service_id'],
    ];
    for (const [body, field] of cases) {
      const res = await classify(org, body);
      expect({ body, status: res.status, code: res.body.error.code }).toEqual({
        body,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('suggests the service named in the text, with its team', async () => {
    const org = await seedOrg(t.url);
    const team = await org.team({ name: 'Payments' });
    const service = await org.service({ name: 'Billing API', team_id: team.id });
    await org.service({ name: 'Billing' });
    const res = await classify(org, {
      title: 'Billing API returns 500 errors',
      description: 'Invoices cannot be created.',
    });
    expect(res.body).toMatchObject({ suggested_service_id: service.id, suggested_team_id: team.id });
    expect(res.body.reasoning).toContain('Billing API');
  });
});

describe('classification on incident creation', () => {
  it('keeps the severity the caller sent and stores the suggestion beside it', async () => {
    const org = await seedOrg(t.url);
    const res = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'Data loss for all customers', severity: 'P4' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      severity: 'P4',
      auto_classified: false,
      suggested_severity: 'P1',
      classification_model: 'argus-severity-v1',
    });
    expect(res.body.classification_confidence).toBeGreaterThan(0);
  });

  it('classifies inside the creating transaction, so more concurrent creations than pooled connections all succeed', async () => {
    const org = await seedOrg(t.url);
    const created = await Promise.all(
      Array.from({ length: 16 }, (_, i) => org.incident({ title: `Burst ${i}`, severity: i % 2 ? 'P2' : undefined })),
    );
    expect(new Set(created.map((i) => i.key)).size).toBe(16);
    expect(created.every((i) => i.suggested_severity)).toBe(true);
  });

  it('fills in a missing severity on both surfaces', async () => {
    const org = await seedOrg(t.url);
    const res = await gql(
      t.url,
      CreateIncidentDocument,
      { input: { title: 'Typo on the status page footer, cosmetic only' } },
      org.owner.token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.createIncident).toMatchObject({
      severity: 'P4',
      suggestedSeverity: 'P4',
      autoClassified: true,
      classificationModel: 'argus-severity-v1',
    });
  });
});

describe("learning from the organization's history", () => {
  it('gives a new incident of a kind the severity people gave that kind', async () => {
    const org = await seedOrg(t.url);
    const before = await classify(org, { title: `${LAG} again` });
    expect(before.body.severity).not.toBe('P1');
    await teachHistory(org);
    const after = await classify(org, { title: `${LAG} again` });
    expect(after.body.severity).toBe('P1');
    expect(after.body.reasoning).toMatch(/Similar past incidents: INC-\d+ "Kafka consumer lag/);
    expect(after.body.reasoning).toContain('Learned from 18 labelled incidents');
    const created = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: `${LAG} on partition 40` },
    });
    expect(created.body).toMatchObject({ severity: 'P1', auto_classified: true });
    const widget = await classify(org, { title: 'Dashboard widget 9 misaligned in the footer' });
    expect(widget.body.severity).toBe('P4');
  });

  it('suggests the service and team that similar past incidents had', async () => {
    const org = await seedOrg(t.url);
    const team = await org.team({ name: 'Money movement' });
    const service = await org.service({ name: 'Ledger', team_id: team.id });
    for (let i = 0; i < 4; i++)
      await org.incident({ title: `Consumer lag on partition ${i}`, severity: 'P2', service_id: service.id });
    const res = await classify(org, { title: 'Consumer lag on partition 9' });
    expect(res.body).toMatchObject({ suggested_service_id: service.id, suggested_team_id: team.id });
  });

  it('follows new, changed and deleted incidents at once, reading only what changed when it can', async () => {
    const statements: string[] = [];
    const counted = await startTestApp({}, { onQuery: (line) => statements.push(line) });
    try {
      const org = await seedOrg(counted.url);
      for (let i = 0; i < 3; i++)
        await org.incident({ title: `Dashboard widget ${i} misaligned in the footer`, severity: 'P4' });
      const text = { title: 'Replication slot overflow on the billing replica' };
      const ask = async () => {
        statements.length = 0;
        const res = await rest(counted.url, 'POST', '/ai/classify', { token: org.owner.token, body: text });
        expect(res.status).toBe(200);
        return {
          reasoning: res.body.reasoning as string,
          fullReads: statements.filter((s) => /order by i\.started_at desc/.test(s)).length,
          changeReads: statements.filter((s) => /json_agg/.test(s)).length,
        };
      };
      expect((await ask()).reasoning).not.toMatch(/Replication slot/);
      const labelled = await org.incident({
        title: 'Replication slot overflow on the billing replica (wal)',
        severity: 'P2',
      });

      const added = await ask();
      expect(added.reasoning).toMatch(
        new RegExp(`${labelled.key} "Replication slot overflow on the billing replica \\(wal\\)" \\(P2, similarity`),
      );
      expect(added.reasoning).toContain('Learned from 4 labelled incidents');
      expect(added.reasoning).toContain("The confidence is the prior's");
      expect(added).toMatchObject({ fullReads: 0, changeReads: 1 });

      const patched = await rest(counted.url, 'PATCH', `/incidents/${labelled.id}`, {
        token: org.owner.token,
        body: { severity: 'P4' },
      });
      expect(patched.status).toBe(200);
      const changed = await ask();
      expect(changed.reasoning).toMatch(new RegExp(`${labelled.key} "Replication slot[^"]*" \\(P4, similarity`));
      expect(changed).toMatchObject({ fullReads: 0, changeReads: 1 });

      expect((await rest(counted.url, 'DELETE', `/incidents/${labelled.id}`, { token: org.owner.token })).status).toBe(
        204,
      );
      const deleted = await ask();
      expect(deleted.reasoning).not.toContain(labelled.key);
      expect(deleted.reasoning).toContain('Learned from 3 labelled incidents');
      // A delete is not a change the database can list: the count differs, so the whole history is read again.
      expect(deleted.fullReads).toBe(1);
    } finally {
      await counted.close();
    }
  });

  it("never lets another organization's history influence or appear", async () => {
    const teacher = await seedOrg(t.url);
    const learner = await seedOrg(t.url);
    const control = await seedOrg(t.url);
    const text = { title: `${LAG} again` };
    const beforeTeaching = await classify(learner, text);
    await teachHistory(teacher);
    expect((await classify(teacher, text)).body.severity).toBe('P1');
    const learnerAfter = await classify(learner, text);
    const controlAfter = await classify(control, text);
    expect(learnerAfter.body).toEqual(beforeTeaching.body);
    expect(controlAfter.body).toEqual(beforeTeaching.body);
    expect(learnerAfter.body.reasoning).not.toMatch(/INC-|Kafka/);
    const created = await rest(t.url, 'POST', '/incidents', {
      token: learner.owner.token,
      body: { title: text.title },
    });
    expect(created.body.suggested_severity).toBe(beforeTeaching.body.severity);
  });
});
