import { Incident } from '../../src/modules/incidents/incident.entity';
import { forkForOrganization } from '../../src/db/tenancy';
import { countRows, listRows, listRowsAndCount } from '../../src/db/fast/list-queries';
import { rowMapper, servesRows, toRow } from '../../src/db/fast/rows';
import { TestApp, startTestApp } from '../support/app';
import { gqlRaw, rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';

let t: TestApp;
let a: SeedOrg;
let b: SeedOrg;
const ids = (body: { items: Array<{ id: string }> }) => body.items.map((i) => i.id);

beforeAll(async () => {
  t = await startTestApp();
  a = await seedOrg(t.url);
  b = await seedOrg(t.url);
  for (const severity of ['P1', 'P2', 'P2', 'P3'])
    await a.incident({ severity, tags: severity === 'P2' ? ['db'] : [] });
  await b.incident({ severity: 'P2', tags: ['db'] });
});
afterAll(() => t.close());

describe('lists read with SQL built once per shape of the request', () => {
  it('keep each organization to its own rows and total when another organization asked the same shape first', async () => {
    for (let round = 0; round < 2; round++) {
      const fromA = await rest(t.url, 'GET', '/incidents?limit=7&severity=P2', { token: a.owner.token });
      const fromB = await rest(t.url, 'GET', '/incidents?limit=7&severity=P2', { token: b.owner.token });
      expect([fromA.body.items.length, fromA.body.total]).toEqual([2, 2]);
      expect([fromB.body.items.length, fromB.body.total]).toEqual([1, 1]);
      expect(ids(fromA.body)).not.toEqual(expect.arrayContaining(ids(fromB.body)));
    }
  });

  it("answer a reused shape with the request's own values", async () => {
    const p1 = await rest(t.url, 'GET', '/incidents?limit=7&severity=P1', { token: a.owner.token });
    const p3 = await rest(t.url, 'GET', '/incidents?limit=7&severity=P3', { token: a.owner.token });
    expect(p1.body.items.map((i: { severity: string }) => i.severity)).toEqual(['P1']);
    expect(p3.body.items.map((i: { severity: string }) => i.severity)).toEqual(['P3']);
    const both = await rest(t.url, 'GET', '/incidents?limit=7&severity=P1,P3', { token: a.owner.token });
    expect(both.body.total).toBe(2);
  });

  it('page with cursors (dates among the values) exactly as one long page', async () => {
    const all = await rest(t.url, 'GET', '/incidents?limit=10', { token: a.owner.token });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; next_cursor: string | null } } = await rest(
        t.url,
        'GET',
        `/incidents?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        { token: a.owner.token },
      );
      seen.push(...ids(page.body));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids(all.body));
    expect(seen).toHaveLength(4);
  });

  it('match em.find and em.count for filters the builder rewrites (array containment) and for plain ones, repeatedly', async () => {
    const orgId = (
      await t.orm.em.fork().getConnection().execute('select organization_id from users where id = ?', [a.owner.id])
    )[0].organization_id as string;
    const em = forkForOrganization(t.orm.em.fork() as never, orgId);
    const meta = em.getMetadata().get(Incident.name);
    const wheres = [
      {},
      { tags: { $contains: ['db'] } },
      { severity: { $in: ['P2', 'P3'] } },
      { title: { $ilike: '%latency%' } },
      { severity: 'P4' },
    ];
    for (let round = 0; round < 2; round++) {
      for (const where of wheres) {
        const expected = await em.find(Incident, where as never, {
          orderBy: { createdAt: 'desc', id: 'desc' } as never,
          limit: 10,
        });
        const rows = await listRows(em, meta, where as never, { createdAt: 'desc', id: 'desc' } as never, 10);
        expect({ where, ids: rows.map((r) => r.id) }).toEqual({ where, ids: expected.map((r) => r.id) });
        expect(await countRows(em, meta, where as never)).toBe(await em.count(Incident, where as never));
      }
    }
  });

  it('read a page with the total of another filter in one message, equal to em.find and em.count', async () => {
    const orgId = (
      await t.orm.em.fork().getConnection().execute('select organization_id from users where id = ?', [a.owner.id])
    )[0].organization_id as string;
    const em = forkForOrganization(t.orm.em.fork() as never, orgId);
    const meta = em.getMetadata().get(Incident.name);
    const pages = [{}, { severity: { $in: ['P2', 'P3'] } }, { tags: { $contains: ['db'] } }];
    const counted = [{}, { severity: 'P2' }, { tags: { $contains: ['db'] } }];
    for (let round = 0; round < 2; round++) {
      for (const where of pages) {
        for (const countWhere of counted) {
          const got = await listRowsAndCount(
            em,
            meta,
            where as never,
            countWhere as never,
            { createdAt: 'desc', id: 'desc' } as never,
            10,
          );
          const expected = await em.find(Incident, where as never, {
            orderBy: { createdAt: 'desc', id: 'desc' } as never,
            limit: 10,
          });
          expect({ where, countWhere, ids: got.rows.map((r) => r.id), total: got.total }).toEqual({
            where,
            countWhere,
            ids: expected.map((r) => r.id),
            total: await em.count(Incident, countWhere as never),
          });
        }
      }
    }
  });

  it('give GraphQL the same total whether it is selected directly or through fragments', async () => {
    const queries = [
      '{ incidents(limit: 1) { total items { id } } }',
      '{ incidents(limit: 1) { items { id } ... on IncidentPage { total } } }',
      'query { incidents(limit: 1) { ...P } } fragment P on IncidentPage { total nextCursor }',
    ];
    for (const query of queries) {
      const res = await gqlRaw<{ incidents: { total: number } }>(t.url, { query }, a.owner.token);
      expect({ query, errors: res.errors, total: res.data?.incidents.total }).toEqual({
        query,
        errors: undefined,
        total: 4,
      });
    }
  });
});

describe('read-only rows', () => {
  it("equal MikroORM's own mapping of the same rows, for every entity served as rows", async () => {
    const em = t.orm.em.fork();
    const driver = em.getDriver();
    let compared = 0;
    for (const meta of Object.values(em.getMetadata().getAll())) {
      if (!servesRows(meta) || meta.embeddable || meta.virtual || !meta.tableName) continue;
      const rows = await em
        .getConnection()
        .execute<Record<string, unknown>[]>(`select * from "${meta.tableName}" limit 20`);
      for (const row of rows) {
        const record = rowMapper(meta, driver)({ ...row });
        const expected = toRow(meta, driver.mapResult({ ...row } as never, meta) as Record<string, unknown>);
        expect(Object.getPrototypeOf(record)).toBe(meta.prototype);
        // Plain values of its own: no accessor of the entity's prototype (a managed entity's) ran while it was built.
        const accessors = Object.entries(Object.getOwnPropertyDescriptors(record))
          .filter(([, d]) => !('value' in d))
          .map(([k]) => k);
        expect({ entity: meta.className, accessors }).toEqual({ entity: meta.className, accessors: [] });
        expect({ entity: meta.className, ...record }).toEqual({ entity: meta.className, ...expected });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });
});
