import type { EntityManager } from '@mikro-orm/postgresql';
import { TestApp, startTestApp } from '../support/app';
import { rest } from '../support/client';
import { seedOrg } from '../support/seed';
import { forkForOrganization } from '../../src/db/tenancy';
import { prepareNewRecords } from '../../src/db/fast/one-statement';
import { Incident } from '../../src/modules/incidents/incident.entity';
import { IncidentEvent } from '../../src/modules/incidents/incident-event.entity';
import { IncidentEventType, Severity } from '../../src/modules/incidents/incident.enums';
import { IncidentEmbedding } from '../../src/ai/similar/incident-embedding.entity';
import { Service } from '../../src/modules/services/service.entity';
import { User } from '../../src/modules/users/user.entity';
import { Organization } from '../../src/db/organization.entity';

let t: TestApp;
const statements: string[] = [];
beforeAll(async () => {
  t = await startTestApp({}, { onQuery: (line) => statements.push(line) });
});
afterAll(() => t.close());

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  t.orm.em.getConnection().execute<T[]>(query, params);

/** Logged statements without colours, prefix and line breaks. */
const normalized = (lines: string[]) =>
  lines.map((line) =>
    line
      .replace(/\x1b\[\d+m/g, '')
      .replace(/^\[query\]\s*/, '')
      .replace(/\s+/g, ' ')
      .replace(/ \[took .*$/, ''),
  );

async function organizationOf(userId: string): Promise<string> {
  return (await sql<{ organization_id: string }>('select organization_id from users where id = ?', [userId]))[0]
    .organization_id;
}

/** An incident with every kind of column set, its timeline entry and its embedding, created (not written) in `em`. */
function records(em: EntityManager, organizationId: string, serviceId: string, userId: string): Incident {
  const at = new Date('2026-03-04T05:06:07.089Z');
  const incident = em.create(Incident, {
    title: 'Same rows',
    description: 'either way',
    severity: Severity.P2,
    service: em.getReference(Service, serviceId),
    tags: ['a', 'b c'],
    autoClassified: true,
    suggestedSeverity: Severity.P2,
    classificationConfidence: 0.625,
    classificationModel: 'm',
    startedAt: at,
    slaStartedAt: at,
    slaBreached: false,
    createdAt: at,
    updatedAt: at,
  } as never);
  em.create(IncidentEvent, {
    incident,
    type: IncidentEventType.created,
    message: 'opened',
    data: { severity: 'P2', nested: { n: 1 } },
    actor: em.getReference(User, userId),
    occurredAt: at,
    createdAt: at,
    updatedAt: at,
  });
  em.create(IncidentEmbedding, {
    incident,
    organization: em.getReference(Organization, organizationId),
    model: 'x',
    sparse: Buffer.from([1, 2, 3]),
    vectorModel: null,
    vector: null,
    updatedAt: at,
  });
  return incident;
}

async function rowsOf(incidentId: string): Promise<unknown> {
  const strip = "- 'id' - 'number' - 'incident_id'";
  const [row] = await sql(
    `select to_jsonb(i) ${strip} as incident,
            (select jsonb_agg(to_jsonb(e) ${strip}) from incident_events e where e.incident_id = i.id) as events,
            (select jsonb_agg(to_jsonb(m) ${strip}) from incident_embeddings m where m.incident_id = i.id) as embeddings
       from incidents i where i.id = ?`,
    [incidentId],
  );
  return row;
}

describe('incident creation in one statement (prepareNewRecords)', () => {
  it('writes the same rows as a flush of the same records', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service({ name: 'payments' });
    const organizationId = await organizationOf(org.owner.id);
    const flushed = forkForOrganization(t.orm.em as EntityManager, organizationId);
    const viaFlush = await flushed.transactional(async (em) => {
      const incident = records(em as EntityManager, organizationId, service.id, org.owner.id);
      incident.number = 1000;
      return incident;
    });
    const one = forkForOrganization(t.orm.em as EntityManager, organizationId);
    const viaStatement = await one.transactional(async (em) => {
      const incident = records(em as EntityManager, organizationId, service.id, org.owner.id);
      await prepareNewRecords(em as EntityManager, { entity: incident, organizationId, prefix: 'INC' })();
      return incident;
    });
    expect(viaStatement.number).toBe(1);
    expect(await rowsOf(viaStatement.id)).toEqual(await rowsOf(viaFlush.id));
    // Managed and unchanged afterwards: the transaction's closing flush wrote nothing more.
    expect(
      (await sql('select count(*)::int as n from incidents where organization_id = ?', [organizationId]))[0],
    ).toEqual({ n: 2 });
  });

  it('keeps keys gap-free and writes every record once under concurrent creations', async () => {
    const org = await seedOrg(t.url);
    const organizationId = await organizationOf(org.owner.id);
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        rest(t.url, 'POST', '/incidents', { token: org.owner.token, body: { title: `Burst ${i} database down` } }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(created.map((r) => r.body.key).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))).toEqual(
      Array.from({ length: 12 }, (_, i) => `INC-${i + 1}`),
    );
    const [counts] = await sql(
      `select (select count(*)::int from incidents where organization_id = ?) as incidents,
              (select count(*)::int from incident_events where organization_id = ? and type = 'created') as created_entries,
              (select count(*)::int from incident_embeddings where organization_id = ?) as embeddings,
              (select version::int from similar_index_versions where organization_id = ?) as version,
              (select last from key_sequences where organization_id = ? and prefix = 'INC') as last,
              (select count(*)::int from audit_events where organization_id = ? and action = 'createIncident' and outcome = 'success') as audited`,
      Array(6).fill(organizationId),
    );
    expect(counts).toEqual({ incidents: 12, created_entries: 12, embeddings: 12, version: 12, last: 12, audited: 12 });
  });

  it('leaves nothing written, and no key used, when the statement fails after taking the key', async () => {
    const org = await seedOrg(t.url);
    const organizationId = await organizationOf(org.owner.id);
    expect((await org.incident()).key).toBe('INC-1');
    await sql(`create or replace function argus_test_refuse() returns trigger language plpgsql as $$
      begin if new.title = 'refused by a trigger' then raise exception 'refused'; end if; return new; end $$`);
    await sql(
      'create trigger argus_test_refuse before insert on incidents for each row execute function argus_test_refuse()',
    );
    try {
      const failed = await rest(t.url, 'POST', '/incidents', {
        token: org.owner.token,
        body: { title: 'refused by a trigger' },
      });
      expect(failed.status).toBe(500);
    } finally {
      await sql('drop trigger argus_test_refuse on incidents');
      await sql('drop function argus_test_refuse()');
    }
    const [state] = await sql(
      `select (select count(*)::int from incidents where organization_id = ?) as incidents,
              (select count(*)::int from incident_events where organization_id = ?) as entries,
              (select count(*)::int from incident_embeddings where organization_id = ?) as embeddings,
              (select version::int from similar_index_versions where organization_id = ?) as version,
              (select last from key_sequences where organization_id = ? and prefix = 'INC') as last`,
      Array(5).fill(organizationId),
    );
    expect(state).toEqual({ incidents: 1, entries: 1, embeddings: 1, version: 1, last: 1 });
    // The audit row shared the failed statement: no success was committed, and the failure is logged on its own.
    expect(
      await sql(
        "select outcome, error_code from audit_events where organization_id = ? and action = 'createIncident' order by created_at",
        [organizationId],
      ),
    ).toEqual([
      { outcome: 'success', error_code: null },
      { outcome: 'failure', error_code: 'INTERNAL' },
    ]);
    expect((await org.incident()).key).toBe('INC-2');
  });

  it('runs as: the service with the SLA policies and the alert rules in one message, one statement with every write and the audit row; no begin, no commit', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service({ name: 'checkout' });
    await org.incident();
    statements.length = 0;
    const created = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'Counted creation', service_id: service.id },
    });
    expect(created.status).toBe(201);
    const run = normalized(statements);
    expect(run).not.toContain('begin');
    expect(run).not.toContain('commit');
    const writes = run.filter((sql) => /\b(insert|update|delete)\b/i.test(sql));
    expect(writes).toHaveLength(1);
    for (const table of [
      'key_sequences',
      '"incidents"',
      '"incident_events"',
      '"incident_embeddings"',
      'similar_index_versions',
      'audit_events',
    ]) {
      expect(writes[0]).toContain(`insert into ${table}`);
    }
    expect(run[run.length - 1]).toBe(writes[0]);
    // The reads: (the classifier's own, for an organization this small, then) the service reference, the SLA policies
    // its team may bring and the subscribed alert rules, in one query message.
    const reads = run.slice(0, -1);
    expect(reads.every((sql) => sql.startsWith('select '))).toBe(true);
    expect(reads.filter((sql) => sql.includes('from "services"'))).toHaveLength(1);
    expect(reads[reads.length - 1]).toMatch(
      /^select .* from "services" where .*;\s*select .* from "sla_policies" where .*;\s*select .* from "alert_rules" where/,
    );
    const [audit] = await sql(
      "select outcome, record_type, record_id from audit_events where action = 'createIncident' and record_id = ?",
      [created.body.id],
    );
    expect(audit).toEqual({ outcome: 'success', record_type: 'Incident', record_id: created.body.id });
  });

  it('with a rule subscribed to incident.created: begins after the reads, takes the key, then one statement with the rest and the audit row, commit', async () => {
    const org = await seedOrg(t.url);
    const rule = await rest(t.url, 'POST', '/alert-rules', {
      token: org.owner.token,
      body: { name: 'every creation', event_types: ['incident.created'], target_url: 'http://127.0.0.1:9/argus' },
    });
    expect(rule.status).toBe(201);
    statements.length = 0;
    const created = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'Announced creation' },
    });
    expect(created.status).toBe(201);
    const run = normalized(statements);
    const begin = run.indexOf('begin');
    expect(begin).toBeGreaterThan(0);
    expect(run.slice(0, begin).every((sql) => sql.startsWith('select '))).toBe(true);
    expect(run[begin + 1]).toContain('insert into key_sequences');
    expect(run[run.length - 1]).toBe('commit');
    expect(run[run.length - 2]).toContain('insert into "incidents"');
    expect(run[run.length - 2]).toContain('insert into audit_events');
    const organizationId = await organizationOf(org.owner.id);
    const [counts] = await sql(
      `select (select count(*)::int from webhook_deliveries where organization_id = ? and event_type = 'incident.created') as deliveries,
              (select count(*)::int from audit_events where action = 'createIncident' and record_id = ? and outcome = 'success') as audited`,
      [organizationId, created.body.id],
    );
    expect(counts).toEqual({ deliveries: 1, audited: 1 });
  });

  it("with an Idempotency-Key: the claim first, its response stored by the creation's statement, and replayed", async () => {
    const org = await seedOrg(t.url);
    const send = () =>
      rest(t.url, 'POST', '/incidents', {
        token: org.owner.token,
        headers: { 'idempotency-key': 'one-statement-key' },
        body: { title: 'Once only' },
      });
    statements.length = 0;
    const first = await send();
    expect(first.status).toBe(201);
    const writes = statements.filter((line) => /\b(insert|update|delete)\b/i.test(line));
    expect(writes).toHaveLength(2);
    expect(writes[0]).toContain('insert into idempotency_keys');
    expect(writes[1]).toContain('insert into "incidents"');
    expect(writes[1]).toContain('update idempotency_keys set response');
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: first.body.id, key: first.body.key });
  });
});
