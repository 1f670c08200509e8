import { TestApp, startTestApp } from '../support/app';
import { gql } from '../support/client';
import { seedOrg } from '../support/seed';
import { IncidentsWithRelationsDocument } from '../support/generated/graphql';

let t: TestApp;
let statements: string[] = [];
beforeAll(async () => {
  t = await startTestApp({}, { onQuery: (line) => statements.push(line) });
});
afterAll(() => t.close());

/** Statements run while `fn` runs (the per-request token check included). */
async function countStatements(fn: () => Promise<unknown>): Promise<number> {
  statements = [];
  await fn();
  return statements.filter((l) => l.includes('[query]')).length;
}

describe('nested relations on GraphQL', () => {
  it('loads 50 incidents with service, team, members and assignee in a constant number of statements', async () => {
    const org = await seedOrg(t.url);
    const members = [await org.user('responder'), await org.user('responder')];
    const teams = await Promise.all([0, 1, 2].map((i) => org.team({ name: `Team ${i}`, member_ids: members.map((m) => m.id) })));
    const services = await Promise.all([0, 1, 2, 3, 4].map((i) => org.service({ name: `svc-${i}`, team_id: teams[i % 3].id })));
    for (let i = 0; i < 50; i++) {
      await org.incident({ title: `Incident ${i}`, service_id: services[i % 5].id, assignee_id: members[i % 2].id });
    }
    const query = (limit: number) => async () => {
      const res = await gql(t.url, IncidentsWithRelationsDocument, { limit }, org.owner.token);
      expect(res.errors).toBeUndefined();
      expect(res.data!.incidents.items).toHaveLength(limit);
      expect(res.data!.incidents.items.every((i) => i.service?.team?.name && i.team?.members.length === 2 && i.assignee)).toBe(true);
    };
    const few = await countStatements(query(5));
    const many = await countStatements(query(50));
    expect(few).toBeGreaterThan(3);
    // One statement per relation, not per incident: ten times the rows costs the same few statements (the
    // dataloader batches per tick, so a loaded machine may split one batch in two).
    expect(many).toBeLessThanOrEqual(few + 2);
    expect(many).toBeLessThanOrEqual(10);
  }, 180_000);
});
