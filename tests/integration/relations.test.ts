import { TestApp, startTestApp } from '../support/app';
import { gql, rest } from '../support/client';
import { seedOrg } from '../support/seed';
import { IncidentsWithRelationsDocument, IncidentsWithTimelineDocument } from '../support/generated/graphql';

let t: TestApp;
let statements: string[] = [];
beforeAll(async () => {
  // The token check of a caller's second request is answered from memory; a loaded machine must not let that expire
  // between the two requests of a count.
  t = await startTestApp({ ARGUS_AUTH_CACHE_MS: '60000' }, { onQuery: (line) => statements.push(line) });
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
    const teams = await Promise.all(
      [0, 1, 2].map((i) => org.team({ name: `Team ${i}`, member_ids: members.map((m) => m.id) })),
    );
    const services = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => org.service({ name: `svc-${i}`, team_id: teams[i % 3].id })),
    );
    for (let i = 0; i < 50; i++) {
      await org.incident({ title: `Incident ${i}`, service_id: services[i % 5].id, assignee_id: members[i % 2].id });
    }
    const query = (limit: number) => async () => {
      const res = await gql(t.url, IncidentsWithRelationsDocument, { limit }, org.owner.token);
      expect(res.errors).toBeUndefined();
      expect(res.data!.incidents.items).toHaveLength(limit);
      expect(
        res.data!.incidents.items.every((i) => i.service?.team?.name && i.team?.members.length === 2 && i.assignee),
      ).toBe(true);
    };
    const few = await countStatements(query(5));
    const many = await countStatements(query(50));
    expect(few).toBeGreaterThan(3);
    // One statement per relation, not per incident: ten times the rows costs the same few statements (the
    // dataloader batches per tick, so a loaded machine may split one batch in two).
    expect(many).toBeLessThanOrEqual(few + 2);
    expect(many).toBeLessThanOrEqual(10);
  }, 180_000);

  it('loads 50 incidents with service, team, assignee and their last 10 timeline entries in 5 statements', async () => {
    const org = await seedOrg(t.url);
    const member = await org.user('responder');
    const team = await org.team({ name: 'Payments', member_ids: [member.id] });
    const service = await org.service({ name: 'checkout', team_id: team.id });
    const keys: string[] = [];
    for (let i = 0; i < 50; i++) {
      const incident = await org.incident({ title: `Incident ${i}`, service_id: service.id, assignee_id: member.id });
      keys.push(incident.key);
    }
    // 12 comments on the newest incident: its timeline is cut to the 10 newest, newest first.
    for (let i = 0; i < 12; i++) {
      await rest(t.url, 'POST', '/incident-events', {
        token: org.owner.token,
        body: { incident_id: keys[49], message: `Comment ${i}` },
      });
    }
    const query = () => gql(t.url, IncidentsWithTimelineDocument, { limit: 50, timeline: 10 }, org.owner.token);
    await query(); // the token check is then answered from memory, as it is for any caller's second request
    let res: Awaited<ReturnType<typeof query>> | undefined;
    const count = await countStatements(async () => {
      res = await query();
    });
    expect(res!.errors).toBeUndefined();
    const items = res!.data!.incidents.items;
    expect(items).toHaveLength(50);
    expect(
      items.every((i) => i.service?.name === 'checkout' && i.team?.name === 'Payments' && i.assignee?.id === member.id),
    ).toBe(true);
    const newest = items.find((i) => i.key === keys[49])!;
    expect(newest.timeline).toHaveLength(10);
    expect(newest.timeline[0]).toMatchObject({ type: 'comment', message: 'Comment 11' });
    expect(items.find((i) => i.key === keys[0])!.timeline.map((e) => e.type)).toEqual(['created']);
    // incidents, their timelines, services, teams, users: one statement each
    expect(count).toBeLessThanOrEqual(5);
    const other = await seedOrg(t.url);
    const foreign = await gql(t.url, IncidentsWithTimelineDocument, { limit: 50, timeline: 10 }, other.owner.token);
    expect(foreign.data!.incidents.items).toEqual([]);
  }, 180_000);
});
