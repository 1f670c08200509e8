import { randomInt } from 'node:crypto';
import { TestApp, startTestApp } from '../support/app';
import { rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';
import { Delivery, StormLog, StormSource, firingStorm, resolvingStorm, storm } from '../support/storm';

/**
 * An alert storm at a small scale, against one real server: 6 sources of the three kinds, 24 dedup keys and
 * notification groups, 12 concurrent senders from one address, 5% exact replays. The anonymous per-address limit is
 * set to 5 requests a minute: verified sources must never meet it.
 */
let t: TestApp;
const PER_IP = 5;
beforeAll(async () => {
  t = await startTestApp({ ARGUS_RATE_LIMIT_PER_IP: String(PER_IP), ARGUS_RATE_LIMIT_PER_USER: '100000' });
});
afterAll(() => t.close());

const sql = <T = any>(query: string, params: unknown[] = []) => t.orm.em.getConnection().execute<T[]>(query, params);
/** A PostgreSQL array literal (the query builder would spread a JavaScript array into a list). */
const array = (items: string[]) => `{${items.join(',')}}`;

async function sourcesOf(org: SeedOrg, kinds: StormSource['kind'][]): Promise<StormSource[]> {
  const out: StormSource[] = [];
  for (const kind of kinds) {
    const s = await org.webhookSource({ kind });
    out.push({
      id: s.id,
      kind,
      signingSecret: s.signing_secret ?? undefined,
      bearerToken: s.bearer_token ?? undefined,
    });
  }
  return out;
}

/** Per source and dedup key: how many distinct acknowledged notifications reported it firing. */
function firingCounts(log: StormLog): Map<string, number> {
  const counts = new Map<string, number>();
  for (const answer of log.acknowledged.values()) {
    for (const key of answer.delivery.firing)
      counts.set(`${answer.delivery.source.id} ${key}`, (counts.get(`${answer.delivery.source.id} ${key}`) ?? 0) + 1);
  }
  return counts;
}

const PLAN = { keysPerSource: 4, alertsPerGroup: 3, rounds: 5, seed: 23 };
const address = () => ({ 'x-forwarded-for': `203.0.113.${randomInt(1, 255)}` });

describe('an alert storm', () => {
  let org: SeedOrg;
  let other: SeedOrg;
  let sources: StormSource[];
  let otherSources: StormSource[];
  let firing: StormLog;
  let deliveries: Delivery[];

  beforeAll(async () => {
    org = await seedOrg(t.url);
    other = await seedOrg(t.url);
    sources = await sourcesOf(org, ['generic', 'generic', 'alertmanager', 'alertmanager', 'grafana', 'grafana']);
    // Another organization whose source uses the very same dedup keys and group keys, in the same storm.
    otherSources = await sourcesOf(other, ['generic', 'alertmanager']);
    deliveries = firingStorm(sources, PLAN);
    const others = firingStorm(otherSources, { ...PLAN, rounds: 2, seed: 5 });
    const headers = address();
    firing = await storm(t.url, [...deliveries, ...others], { senders: 12, headers });
  }, 120_000);

  it('answers every notification 202 from one address over the anonymous limit, replays with the first answer', () => {
    const statuses = new Set(firing.answers.map((a) => a.status));
    expect([...statuses]).toEqual([202]);
    expect(firing.answers.length).toBeGreaterThan(PER_IP * 20);
    const byId = new Map<string, unknown[]>();
    for (const a of firing.answers) byId.set(a.delivery.webhookId, [...(byId.get(a.delivery.webhookId) ?? []), a.body]);
    const replayed = [...byId.values()].filter((bodies) => bodies.length === 2);
    expect(replayed.length).toBeGreaterThan(0);
    for (const [first, second] of replayed.map((b) => [b[0], b[1]] as any[])) {
      // Whichever of the two committed first, the other is its replay.
      const [original, replay] = first.replayed ? [second, first] : [first, second];
      expect(replay).toEqual({ ...original, replayed: true });
    }
  });

  it('keeps exactly one open incident per dedup key and per notification group', async () => {
    const sourceIds = sources.map((s) => s.id);
    const perKey = await sql(
      `select a.source_id, coalesce(a.group_key, a.dedup_key) as k, count(distinct a.incident_id)::int as incidents
         from alerts a join incidents i on i.id = a.incident_id
        where a.source_id = any(?::uuid[]) and i.status not in ('resolved', 'closed') group by 1, 2`,
      [array(sourceIds)],
    );
    expect(perKey).toHaveLength(sources.length * PLAN.keysPerSource);
    expect(perKey.every((r) => r.incidents === 1)).toBe(true);
    const incidents = await rest(t.url, 'GET', '/incidents?limit=100', { token: org.owner.token });
    expect(incidents.body.total).toBe(sources.length * PLAN.keysPerSource);
  });

  it('counts every alert on its incident once, replays not again', async () => {
    const rows = await sql(
      `select source_id, dedup_key, sum(occurrences)::int as n from alerts where source_id = any(?::uuid[]) group by 1, 2`,
      [array(sources.map((s) => s.id))],
    );
    const expected = firingCounts(firing);
    const stored = new Map(rows.map((r) => [`${r.source_id} ${r.dedup_key}`, r.n]));
    const mine = new Map([...expected].filter(([k]) => sources.some((s) => k.startsWith(s.id))));
    expect(stored).toEqual(mine);
    // Each generic key fired once per round; each group's alert once per round.
    expect([...stored.values()].every((n) => n === PLAN.rounds)).toBe(true);
  });

  it("never touches another organization's incidents, though it uses the same keys", async () => {
    const crossed = await sql(
      `select count(*)::int as n from alerts a join incidents i on i.id = a.incident_id join webhook_sources s on s.id = a.source_id
        where i.organization_id <> s.organization_id or a.organization_id <> s.organization_id`,
    );
    expect(crossed[0].n).toBe(0);
    const theirs = await rest(t.url, 'GET', '/incidents?limit=100', { token: other.owner.token });
    expect(theirs.body.total).toBe(otherSources.length * PLAN.keysPerSource);
  });

  it('resolves each incident once when its alerts resolve, under the same storm of senders', async () => {
    const resolving = await storm(t.url, resolvingStorm(sources, { ...PLAN, seed: 77 }), {
      senders: 12,
      headers: address(),
    });
    expect(new Set(resolving.answers.map((a) => a.status))).toEqual(new Set([202]));
    const open = await rest(t.url, 'GET', '/incidents?limit=100&status=open,acknowledged,investigating,mitigated', {
      token: org.owner.token,
    });
    expect(open.body.total).toBe(0);
    const resolvedEntries = await sql(
      `select e.incident_id, count(*)::int as n from incident_events e
        where e.organization_id = (select organization_id from webhook_sources where id = ?) and e.type = 'status_changed' and e.data->>'to' = 'resolved'
        group by 1`,
      [sources[0].id],
    );
    expect(resolvedEntries).toHaveLength(sources.length * PLAN.keysPerSource);
    expect(resolvedEntries.every((r) => r.n === 1)).toBe(true);
    // And in the answers: one `resolved` per incident, replays aside.
    const resolvedActions = resolving.answers
      .filter((a) => a.status === 202 && !a.body.replayed)
      .flatMap((a) => a.body.incidents.filter((i: { action: string }) => i.action === 'resolved'));
    expect(resolvedActions).toHaveLength(sources.length * PLAN.keysPerSource);
  });
});
