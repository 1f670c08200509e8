import { randomInt } from 'node:crypto';
import { Client } from 'pg';
import { rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';
import { WebhookReceiver } from '../support/receiver';
import { RoundRobinProxy } from '../support/round-robin-proxy';
import {
  ServerProcess,
  dropOwnDatabase,
  ownDatabase,
  startServer,
  stopServer,
  waitFor,
} from '../support/server-process';
import { TEST_JWT_SECRET } from '../support/app';
import { MIGRATIONS } from '../../src/db/migrations';
import { INDEX_CHANNEL } from '../../src/ai/similar/index-changes';
import { LISTENER_APPLICATION_NAME } from '../../src/ai/similar/index-listener';

/**
 * Two real server processes (`node dist/main.js`) on one PostgreSQL database of their own, behind a round-robin proxy,
 * with every background job on and short intervals: the production shape of docker-compose.yml with plain processes.
 */
const PER_IP = 5;
let databaseUrl = '';
let a: ServerProcess;
let b: ServerProcess;
let proxy: RoundRobinProxy;
let receiver: WebhookReceiver;
let db: Client;
let org: SeedOrg;

beforeAll(async () => {
  databaseUrl = await ownDatabase('multiprocess');
  const env = {
    DATABASE_URL: databaseUrl,
    ARGUS_JWT_SECRET: TEST_JWT_SECRET,
    ARGUS_DEMO_DATA: 'false',
    ARGUS_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    ARGUS_WEBHOOK_POLL_MS: '100',
    ARGUS_WEBHOOK_TIMEOUT_MS: '2000',
    ARGUS_WEBHOOK_BACKOFF_MS: '200',
    ARGUS_SLA_CHECK_INTERVAL_SECONDS: '1',
    ARGUS_RATE_LIMIT_PER_IP: String(PER_IP),
    ARGUS_RATE_LIMIT_PER_USER: '100000',
    LOG_LEVEL: 'warn',
  };
  // Both start at once on an empty database: the migrations run under an advisory lock.
  const started = await Promise.allSettled([startServer(env), startServer(env)]);
  // One that came up is kept for afterAll to stop even when the other did not.
  [a, b] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined)) as ServerProcess[];
  for (const s of started) if (s.status === 'rejected') throw s.reason;
  proxy = await new RoundRobinProxy([a.url, b.url]).start();
  receiver = await new WebhookReceiver().start();
  db = new Client({ connectionString: databaseUrl });
  await db.connect();
  org = await seedOrg(proxy.url);
}, 180_000);

afterAll(async () => {
  await Promise.all([a && stopServer(a.child), b && stopServer(b.child)]);
  await proxy?.stop();
  await receiver?.stop();
  await db?.end();
  await dropOwnDatabase(databaseUrl);
});

const similar = async (
  server: { url: string },
  key: string,
): Promise<Array<{ incident_id: string; score: number }>> => {
  const res = await rest(server.url, 'GET', `/ai/similar-incidents/${key}?limit=50`, { token: org.owner.token });
  if (res.status !== 200) throw new Error(`similar-incidents ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.matches;
};
const keysOf = async (server: { url: string }, key: string) => (await similar(server, key)).map((m) => m.incident_id);
const scoreOf = async (server: { url: string }, key: string, of: string) =>
  (await similar(server, key)).find((m) => m.incident_id === of)?.score;

/** Far in the past and a year apart: matches then come from the text alone, never from time proximity. */
const past = (year: number) => `${year}-03-01T10:00:00Z`;

async function incident(server: { url: string }, body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const res = await rest(server.url, 'POST', '/incidents', {
    token: org.owner.token,
    body: { severity: 'P3', ...body },
  });
  if (res.status !== 201) throw new Error(`create ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function patch(server: { url: string }, key: string, body: Record<string, unknown>): Promise<void> {
  const res = await rest(server.url, 'PATCH', `/incidents/${key}`, { token: org.owner.token, body });
  if (res.status !== 200) throw new Error(`update ${res.status}: ${JSON.stringify(res.body)}`);
}

describe('two processes on one database', () => {
  it('applied every migration exactly once although both started together', async () => {
    const { rows } = await db.query<{ name: string; n: string }>(
      'select name, count(*) as n from mikro_orm_migrations group by name',
    );
    expect(rows.map((r) => r.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
  });

  describe('similar-incident indexes', () => {
    it('follow incidents created, changed and deleted through the other process', async () => {
      const query = await incident(a, {
        title: 'Database replication lag on the primary cluster',
        description: 'Replicas fall minutes behind the primary',
        started_at: past(2019),
      });
      await incident(a, {
        title: 'Login page shows a blank screen',
        description: 'The sign-in form does not render',
        started_at: past(2017),
      });
      // Both processes load the organization's index now, so what follows is followed, not read at the next build.
      expect(await keysOf(a, query.key)).toEqual([]);
      expect(await keysOf(b, query.key)).toEqual([]);

      const twin = await incident(a, {
        title: 'Replication lag on the database primary cluster',
        description: 'Replicas are minutes behind',
        started_at: past(2021),
      });
      await waitFor('B to find the incident created through A', async () =>
        (await keysOf(b, query.key)).includes(twin.key),
      );

      await patch(a, twin.key, {
        title: 'Office coffee machine out of beans',
        description: 'No espresso on floor three',
      });
      await waitFor('B to see the change made through A', async () => !(await keysOf(b, query.key)).includes(twin.key));

      await patch(b, twin.key, {
        title: 'Replication lag on the primary database cluster',
        description: 'Replicas fall behind',
      });
      await waitFor('A to see the change made through B', async () => (await keysOf(a, query.key)).includes(twin.key));
      await waitFor(
        'B to agree with A',
        async () => (await scoreOf(b, query.key, twin.key)) === (await scoreOf(a, query.key, twin.key)),
      );

      expect((await rest(a.url, 'DELETE', `/incidents/${twin.key}`, { token: org.owner.token })).status).toBe(204);
      await waitFor(
        'B to drop the incident deleted through A',
        async () => !(await keysOf(b, query.key)).includes(twin.key),
      );
    }, 90_000);

    /** A change written straight into the database, without the notification the API sends: only a rebuild sees it. */
    async function silentRetitle(id: string, title: string): Promise<void> {
      await db.query('update incidents set title = $1, description = null where id = $2', [title, id]);
      await db.query('delete from incident_embeddings where incident_id = $1', [id]);
    }

    it('are rebuilt from the database when the listening connection is killed', async () => {
      const query = await incident(a, {
        title: 'Webhook deliveries delayed for all customers',
        started_at: past(2015),
      });
      const other = await incident(a, { title: 'Search results missing recent documents', started_at: past(2013) });
      expect(await keysOf(b, query.key)).not.toContain(other.key);
      await silentRetitle(other.id, 'Webhook deliveries delayed for customers');
      // Without a notification B cannot know: it still answers from its index.
      expect(await keysOf(b, query.key)).not.toContain(other.key);

      const killed = await db.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database()`,
        [LISTENER_APPLICATION_NAME],
      );
      expect(killed.rowCount).toBe(2);
      await waitFor('B to rebuild after its listener reconnects', async () =>
        (await keysOf(b, query.key)).includes(other.key),
      );
      await waitFor('B to log the lost connection', () => b.output().includes('listener lost its connection'));
      await waitFor('both listeners to be back', async () => {
        const { rows } = await db.query(
          `select count(*)::int as n from pg_stat_activity where application_name = $1 and datname = current_database()`,
          [LISTENER_APPLICATION_NAME],
        );
        return rows[0].n === 2;
      });

      // And they follow notifications again afterwards.
      const third = await incident(a, {
        title: 'Webhook deliveries delayed for some customers',
        started_at: past(2011),
      });
      await waitFor('B to hear changes again after reconnecting', async () =>
        (await keysOf(b, query.key)).includes(third.key),
      );
    }, 90_000);

    it('are rebuilt when a version is missed', async () => {
      const query = await incident(a, { title: 'Status page not updating during outage', started_at: past(2009) });
      const other = await incident(a, { title: 'Billing invoices sent twice', started_at: past(2007) });
      expect(await keysOf(b, query.key)).not.toContain(other.key);
      await silentRetitle(other.id, 'Status page not updating');
      expect(await keysOf(b, query.key)).not.toContain(other.key);
      // A notification whose version skips ahead: the processes learn they missed changes of this organization.
      const { rows } = await db.query<{ organization_id: string; version: string }>(
        'select v.organization_id, v.version from similar_index_versions v join users u on u.organization_id = v.organization_id where u.id = $1',
        [org.owner.id],
      );
      expect(rows).toHaveLength(1);
      const payload = JSON.stringify({
        o: rows[0].organization_id,
        i: other.id,
        op: 'upsert',
        v: Number(rows[0].version) + 2,
      });
      await db.query('select pg_notify($1, $2)', [INDEX_CHANNEL, payload]);
      await waitFor('B to rebuild after the gap', async () => (await keysOf(b, query.key)).includes(other.key));
      await waitFor('B to log the missed version', () => b.output().includes('missed a change'));
    }, 90_000);
  });

  it('delivers every webhook once per rule while both processes run their delivery workers', async () => {
    const path = `/multi/${randomInt(1e9)}`;
    const rules = await Promise.all(
      ['first', 'second'].map((name) =>
        rest(proxy.url, 'POST', '/alert-rules', {
          token: org.owner.token,
          body: { name, event_types: ['incident.created'], target_url: `${receiver.url}${path}/${name}` },
        }),
      ),
    );
    expect(rules.map((r) => r.status)).toEqual([201, 201]);
    const keys: string[] = [];
    for (let i = 0; i < 6; i++) keys.push((await incident(proxy, { title: `Queue backlog ${i}`, severity: 'P2' })).key);
    const mine = () => receiver.received.filter((r) => r.path.startsWith(path));
    const succeeded = async () =>
      (await rest(proxy.url, 'GET', '/webhook-deliveries?limit=100&status=succeeded', { token: org.owner.token })).body
        .total;
    await waitFor('12 deliveries to succeed', async () => (await succeeded()) >= 12, 60_000);
    const sent = mine().map((r) => `${r.path.split('/').pop()} ${r.json.data.key}`);
    expect(sent.sort()).toEqual(['first', 'second'].flatMap((rule) => keys.map((key) => `${rule} ${key}`)).sort());
    // One message per event (its webhook-id), sent once to each rule.
    expect(new Set(mine().map((r) => `${r.path} ${r.headers['webhook-id']}`)).size).toBe(12);
    expect(new Set(mine().map((r) => r.headers['webhook-id'])).size).toBe(6);
    expect(await succeeded()).toBe(12);
  }, 90_000);

  it('marks each SLA breach once while both processes run the breach job', async () => {
    const policy = await rest(proxy.url, 'POST', '/sla-policies', {
      token: org.owner.token,
      body: { name: 'Fast', severity: 'P1', response_minutes: 1, resolution_minutes: 60 },
    });
    expect(policy.status).toBe(201);
    const path = `/sla/${randomInt(1e9)}`;
    const rule = await rest(proxy.url, 'POST', '/alert-rules', {
      token: org.owner.token,
      body: { name: 'SLA', event_types: ['incident.sla_breached'], target_url: `${receiver.url}${path}` },
    });
    expect(rule.status).toBe(201);
    const created: Array<{ id: string; key: string }> = [];
    for (let i = 0; i < 4; i++) created.push(await incident(proxy, { title: `Payments failing ${i}`, severity: 'P1' }));
    // A minute is the shortest target: the due times are moved into the past instead of waiting for them.
    await db.query(
      `update incidents set sla_response_due_at = now() - interval '1 second' where id = any($1::uuid[])`,
      [created.map((c) => c.id)],
    );
    const breachedEvents = async () => {
      const lists = await Promise.all(
        created.map((c) =>
          rest(proxy.url, 'GET', `/incident-events?incident_id=${c.key}&type=sla_breached&limit=10`, {
            token: org.owner.token,
          }),
        ),
      );
      return lists.map((l) => l.body.items.length as number);
    };
    await waitFor('every breach to be marked', async () => (await breachedEvents()).every((n) => n >= 1), 30_000);
    await waitFor(
      'every breach webhook to arrive',
      () => receiver.received.filter((r) => r.path === path).length >= created.length,
      30_000,
    );
    expect(await breachedEvents()).toEqual(created.map(() => 1));
    const announced = receiver.received.filter((r) => r.path === path).map((r) => r.json.data.key);
    expect(announced.sort()).toEqual(created.map((c) => c.key).sort());
  }, 90_000);

  it('shares sessions: a refresh token rotated by one process is spent for the other, and its replay there ends the family', async () => {
    const user = await org.user('responder');
    const headers = () => ({ 'x-forwarded-for': `192.0.2.${randomInt(1, 255)}` });
    const rotated = await rest(a.url, 'POST', '/auth/refresh', {
      headers: headers(),
      body: { refresh_token: user.refreshToken },
    });
    expect(rotated.status).toBe(200);
    expect((await rest(b.url, 'GET', '/auth/me', { token: rotated.body.access_token })).body.id).toBe(user.id);
    const replay = await rest(b.url, 'POST', '/auth/refresh', {
      headers: headers(),
      body: { refresh_token: user.refreshToken },
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toMatch(/reuse/i);
    expect(
      (
        await rest(a.url, 'POST', '/auth/refresh', {
          headers: headers(),
          body: { refresh_token: rotated.body.refresh_token },
        })
      ).status,
    ).toBe(401);
  });

  it("shares rate limits: one address's budget is counted across both processes", async () => {
    const headers = { 'x-forwarded-for': `198.51.100.${randomInt(1, 255)}` };
    const before = proxy.served.length;
    const statuses = [];
    for (let i = 0; i <= PER_IP; i++) statuses.push((await rest(proxy.url, 'GET', '/auth/me', { headers })).status);
    expect(statuses).toEqual([...Array(PER_IP).fill(401), 429]);
    // The proxy alternated: each process alone saw about half of the requests, fewer than the budget.
    expect(new Set(proxy.served.slice(before))).toEqual(new Set([0, 1]));
  });
});
