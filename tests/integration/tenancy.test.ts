import { TestApp, startTestApp } from '../support/app';
import { errorCode, gqlRaw, rest } from '../support/client';
import { ENTITY_SPECS, EntitySpec } from '../support/entities';
import { SeedOrg, seedOrg } from '../support/seed';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findInOrganization, forkForOrganization, organizationRead, readInOrganization } from '../../src/db/tenancy';
import { AlertRule } from '../../src/modules/alert-rules/alert-rule.entity';
import { Service } from '../../src/modules/services/service.entity';

let t: TestApp;
let owner: SeedOrg;
let intruder: SeedOrg;
beforeAll(async () => {
  t = await startTestApp();
  owner = await seedOrg(t.url);
  intruder = await seedOrg(t.url);
});
afterAll(() => t.close());

describe.each(ENTITY_SPECS.map((spec) => [spec.name, spec] as [string, EntitySpec]))(
  "another organization's %s",
  (_name, spec) => {
    let record: { id: string; key?: string };
    beforeAll(async () => {
      record = await spec.make(owner);
    });

    const refs = () => [record.id, ...(spec.keyed && record.key ? [record.key] : [])];

    it('is answered as not found on REST read, update and delete', async () => {
      for (const ref of refs()) {
        const calls: Array<[string, unknown?]> = [
          ['GET'],
          ...(spec.update ? [['PATCH', spec.update] as [string, unknown]] : []),
          ...(spec.deletable === false ? [] : [['DELETE'] as [string]]),
        ];
        for (const [method, body] of calls) {
          const res = await rest(t.url, method, `${spec.path}/${ref}`, { token: intruder.owner.token, body });
          expect([method, res.status, res.body?.error?.code]).toEqual([method, 404, 'NOT_FOUND']);
        }
      }
      const stillThere = await rest(t.url, 'GET', `${spec.path}/${record.id}`, { token: owner.owner.token });
      expect(stillThere.status).toBe(200);
    });

    it('is answered exactly like a missing one', async () => {
      const missing = await rest(t.url, 'GET', `${spec.path}/00000000-0000-4000-8000-000000000001`, {
        token: intruder.owner.token,
      });
      const foreign = await rest(t.url, 'GET', `${spec.path}/${record.id}`, { token: intruder.owner.token });
      expect(foreign.status).toBe(missing.status);
      expect(foreign.body).toEqual(missing.body);
    });

    it('is answered as not found through GraphQL', async () => {
      const idType = spec.keyed ? 'IdOrKey' : 'UUID';
      for (const ref of refs()) {
        const read = await gqlRaw(
          t.url,
          { query: `query($id: ${idType}!) { ${spec.single}(id: $id) { id } }`, variables: { id: ref } },
          intruder.owner.token,
        );
        expect(errorCode(read)).toBe('NOT_FOUND');
        if (spec.deletable === false) continue;
        const name = spec.single[0].toUpperCase() + spec.single.slice(1);
        const del = await gqlRaw(
          t.url,
          { query: `mutation($id: ${idType}!) { delete${name}(id: $id) }`, variables: { id: ref } },
          intruder.owner.token,
        );
        expect(errorCode(del)).toBe('NOT_FOUND');
      }
    });

    it('never appears in a list or its total', async () => {
      const res = await rest(t.url, 'GET', `${spec.path}?limit=100`, { token: intruder.owner.token });
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { id: string }) => i.id)).not.toContain(record.id);
      const viaGraphQL = await gqlRaw(
        t.url,
        { query: `{ ${spec.plural}(limit: 100) { total items { id } } }` },
        intruder.owner.token,
      );
      expect(viaGraphQL.data[spec.plural].items.map((i: { id: string }) => i.id)).not.toContain(record.id);
      expect(viaGraphQL.data[spec.plural].total).toBe(res.body.total);
    });
  },
);

describe('references across organizations', () => {
  it("refuses linking another organization's service, team or user, naming the field", async () => {
    const service = await owner.service();
    const team = await owner.team();
    for (const [field, id] of [
      ['service_id', service.id],
      ['team_id', team.id],
      ['assignee_id', owner.owner.id],
    ]) {
      const res = await rest(t.url, 'POST', '/incidents', {
        token: intruder.owner.token,
        body: { title: 'x', severity: 'P3', [field]: id },
      });
      expect([field, res.status]).toEqual([field, 400]);
      expect(res.body.error.details[0].field).toBe(field);
    }
    const members = await rest(t.url, 'POST', '/teams', {
      token: intruder.owner.token,
      body: { name: 'Raiders', member_ids: [owner.owner.id] },
    });
    expect(members.status).toBe(400);
    expect(members.body.error.details[0].field).toBe('member_ids');
  });

  it("refuses a comment on another organization's incident", async () => {
    const incident = await owner.incident();
    const res = await rest(t.url, 'POST', '/incident-events', {
      token: intruder.owner.token,
      body: { incident_id: incident.key, message: 'hi' },
    });
    expect(res.status).toBe(400);
    const byFilter = await rest(t.url, 'GET', `/incident-events?incident_id=${incident.id}`, {
      token: intruder.owner.token,
    });
    expect(byFilter.body.items).toEqual([]);
  });
});

describe('hand-written hot reads (findInOrganization)', () => {
  const organizationOf = async (org: SeedOrg): Promise<string> =>
    (
      await t.orm.em
        .getConnection()
        .execute<Array<{ organization_id: string }>>('select organization_id from users where id = ?', [org.owner.id])
    )[0].organization_id;

  it("return only the organization's records, as managed entities without lazy columns, and refuse without an organization", async () => {
    const mine = await owner.alertRule({ name: 'mine', event_types: ['incident.created'] });
    const theirs = await intruder.alertRule({ name: 'theirs', event_types: ['incident.created'] });
    const em = forkForOrganization(t.orm.em.fork() as EntityManager, await organizationOf(owner));
    const found = await findInOrganization(em, AlertRule, '"id" in (?)', [[mine.id, theirs.id]]);
    expect(found.map((r) => r.id)).toEqual([mine.id]);
    expect(found[0]).toBeInstanceOf(AlertRule);
    expect(em.getUnitOfWork().getById(AlertRule.name, mine.id)).toBe(found[0]);
    expect(found[0].eventTypes).toEqual(['incident.created']);
    expect(found[0].signingSecret).toBeUndefined();
    await expect(findInOrganization(t.orm.em.fork() as EntityManager, AlertRule, 'true', [])).rejects.toThrow(
      /without an organization/,
    );
  });

  it("read together in one round trip, each with its own answer and parameters, still only the organization's", async () => {
    const mine = await owner.alertRule({ name: 'together', event_types: ['incident.resolved'] });
    const theirs = await intruder.alertRule({ name: 'together', event_types: ['incident.resolved'] });
    const service = await owner.service({ name: 'together-service' });
    const em = forkForOrganization(t.orm.em.fork() as EntityManager, await organizationOf(owner));
    const [rules, names, none] = await readInOrganization(
      em,
      organizationRead(AlertRule, '"name" = ? and "id" in (?)', ['together', [mine.id, theirs.id]]),
      organizationRead(Service, '"id" = ?', [service.id], (services) => services.map((s) => s.name)),
      organizationRead(AlertRule, '"id" = ?', [theirs.id]),
    );
    expect(rules.map((r) => r.id)).toEqual([mine.id]);
    expect(rules[0]).toBeInstanceOf(AlertRule);
    expect(names).toEqual(['together-service']);
    expect(none).toEqual([]);
  });
});
