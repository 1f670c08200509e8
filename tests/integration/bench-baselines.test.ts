import { Client } from 'pg';
import { TestApp, startTestApp } from '../support/app';
import { gqlRaw, rest } from '../support/client';
import { seedOrg } from '../support/seed';
import { TEST_DATABASE_ENV } from '../support/database';
import { startBaselineServer, selectList } from '../../bench/baseline-server';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

// The bench compares the API with a bare node:http + pg server running the same SQL: that ceiling must answer with
// the same body as the API, or the ratio would compare different work.
describe('the bench data ceiling', () => {
  it('answers the incident list with the same body as REST and GraphQL', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service({ name: 'checkout' });
    for (let i = 0; i < 4; i++)
      await org.incident({ title: `Incident ${i}`, service_id: service.id, tags: ['a', 'b'] });
    const api = await rest(t.url, 'GET', '/incidents/?limit=3', { token: org.owner.token });
    expect(api.status).toBe(200);
    const keys = Object.keys(api.body.items[0]);
    const db = new Client({ connectionString: process.env[TEST_DATABASE_ENV] });
    await db.connect();
    const organizationId = (await db.query('select organization_id from users where id = $1', [org.owner.id])).rows[0]
      .organization_id as string;
    await db.end();
    const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
    writeFileSync(join(dir, 'rest.json'), '{}');
    writeFileSync(join(dir, 'graphql.json'), '{}');
    const baseline = await startBaselineServer({
      databaseUrl: process.env[TEST_DATABASE_ENV]!,
      organizationId,
      limit: 3,
      restColumns: selectList(keys, 'snake'),
      graphqlColumns: selectList(keys, 'camel'),
      restBytesFile: join(dir, 'rest.json'),
      graphqlBytesFile: join(dir, 'graphql.json'),
    });
    try {
      const base = `http://127.0.0.1:${baseline.port}`;
      expect(await (await fetch(`${base}/data/rest`)).json()).toEqual(api.body);
      const toCamel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
      const query = `{ incidents(limit: 3) { total nextCursor items { ${keys.map(toCamel).join(' ')} } } }`;
      const graphql = await gqlRaw(t.url, { query }, org.owner.token);
      expect(graphql.errors).toBeUndefined();
      expect(await (await fetch(`${base}/data/graphql`, { method: 'POST', body: '{}' })).json()).toEqual({
        data: graphql.data,
      });
    } finally {
      await baseline.close();
    }
  });
});
