import { Client } from 'pg';
import { SeedOrg, seedOrg } from '../support/seed';
import { RoundRobinProxy } from '../support/round-robin-proxy';
import { ServerProcess, dropOwnDatabase, ownDatabase, startServer, stopServer } from '../support/server-process';
import { TEST_JWT_SECRET } from '../support/app';
import { StormLog, StormSource, firingStorm, storm } from '../support/storm';

/**
 * An alert storm shared by two real server processes (`node dist/main.js`) behind a round-robin proxy, on a database
 * of their own; then one of them is killed with SIGKILL in the middle of a second storm and started again, while the
 * senders retry whatever was not acknowledged.
 */
let databaseUrl = '';
let a: ServerProcess;
let b: ServerProcess;
let proxy: RoundRobinProxy;
let db: Client;
let org: SeedOrg;
let sources: StormSource[];
let env: Record<string, string>;

beforeAll(async () => {
  databaseUrl = await ownDatabase('storm');
  env = {
    DATABASE_URL: databaseUrl,
    ARGUS_JWT_SECRET: TEST_JWT_SECRET,
    ARGUS_DEMO_DATA: 'false',
    ARGUS_WEBHOOK_POLL_MS: '0',
    ARGUS_SLA_CHECK_INTERVAL_SECONDS: '0',
    ARGUS_EMBEDDING_JOB_INTERVAL_SECONDS: '0',
    ARGUS_RATE_LIMIT_PER_IP: '10',
    ARGUS_RATE_LIMIT_PER_USER: '100000',
    LOG_LEVEL: 'warn',
  };
  const started = await Promise.allSettled([startServer(env), startServer(env)]);
  [a, b] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined)) as ServerProcess[];
  for (const s of started) if (s.status === 'rejected') throw s.reason;
  proxy = await new RoundRobinProxy([a.url, b.url]).start();
  db = new Client({ connectionString: databaseUrl });
  await db.connect();
  org = await seedOrg(proxy.url);
  sources = [];
  for (const kind of ['generic', 'generic', 'alertmanager', 'grafana'] as const) {
    const s = await org.webhookSource({ kind, default_severity: 'P2' });
    sources.push({
      id: s.id,
      kind,
      signingSecret: s.signing_secret ?? undefined,
      bearerToken: s.bearer_token ?? undefined,
    });
  }
}, 180_000);

afterAll(async () => {
  await Promise.all([a && stopServer(a.child), b && stopServer(b.child)]);
  await proxy?.stop();
  await db?.end();
  await dropOwnDatabase(databaseUrl);
});

const PLAN = { keysPerSource: 4, alertsPerGroup: 3 };
/** Every acknowledged notification of every storm so far, by webhook-id. */
const acknowledged: StormLog['acknowledged'] = new Map();

async function expectOneOpenIncidentPerKey(): Promise<void> {
  const { rows } = await db.query(
    `select a.source_id, coalesce(a.group_key, a.dedup_key) as k, count(distinct a.incident_id)::int as incidents
       from alerts a join incidents i on i.id = a.incident_id where i.status not in ('resolved', 'closed') group by 1, 2`,
  );
  expect(rows).toHaveLength(sources.length * PLAN.keysPerSource);
  expect(rows.every((r) => r.incidents === 1)).toBe(true);
  const { rows: incidents } = await db.query(`select count(*)::int as n from incidents`);
  expect(incidents[0].n).toBe(sources.length * PLAN.keysPerSource);
}

/** Each alert counted once per acknowledged notification that carried it: replays and retries not again. */
async function expectEveryAlertCounted(): Promise<void> {
  const expected = new Map<string, number>();
  for (const answer of acknowledged.values()) {
    for (const key of answer.delivery.firing)
      expected.set(
        `${answer.delivery.source.id} ${key}`,
        (expected.get(`${answer.delivery.source.id} ${key}`) ?? 0) + 1,
      );
  }
  const { rows } = await db.query(`select source_id, dedup_key, sum(occurrences)::int as n from alerts group by 1, 2`);
  expect(new Map(rows.map((r) => [`${r.source_id} ${r.dedup_key}`, r.n]))).toEqual(expected);
}

/** An answer Argus gave (the proxy's own 502 for a dead upstream has no body), as opposed to none. */
const fromArgus = (status: number, body: unknown) => status > 0 && !(status === 502 && body === undefined);

describe('an alert storm on two processes', () => {
  it('is shared by both processes without a duplicate incident', async () => {
    const before = proxy.served.length;
    const log = await storm(proxy.url, firingStorm(sources, { ...PLAN, rounds: 4, seed: 3 }), { senders: 10 });
    for (const [id, answer] of log.acknowledged) acknowledged.set(id, answer);
    expect(new Set(log.answers.map((x) => x.status))).toEqual(new Set([202]));
    expect(new Set(proxy.served.slice(before))).toEqual(new Set([0, 1]));
    await expectOneOpenIncidentPerKey();
    await expectEveryAlertCounted();
  }, 120_000);

  it('loses no acknowledged alert and duplicates no incident when a process is killed mid-storm and restarted', async () => {
    const deliveries = firingStorm(sources, { ...PLAN, rounds: 8, seed: 9 });
    const port = new URL(a.url).port;
    let answered = 0;
    let kill: (() => void) | undefined;
    const killed = new Promise<void>((resolve) => (kill = resolve));
    const running = storm(proxy.url, deliveries, {
      senders: 10,
      maxTries: 600,
      onAnswer: (answer) => {
        if (answer.status === 202 && ++answered === 30) {
          a.child.kill('SIGKILL');
          kill!();
        }
      },
    });
    await killed;
    await new Promise<void>((resolve) =>
      a.child.exitCode !== null || a.child.signalCode !== null ? resolve() : a.child.once('exit', () => resolve()),
    );
    // Started again on the same port, behind the same proxy.
    a = await startServer({ ...env, PORT: port });
    const log = await running;
    for (const [id, answer] of log.acknowledged) acknowledged.set(id, answer);

    expect(log.acknowledged.size).toBe(new Set(deliveries.map((d) => d.webhookId)).size);
    // The kill cut requests short (no answer, or the proxy's 502), which the senders sent again.
    expect(log.answers.some((x) => !fromArgus(x.status, x.body))).toBe(true);
    // Argus itself never answered with an error: a 2xx, or nothing.
    expect(log.answers.filter((x) => fromArgus(x.status, x.body) && x.status !== 202)).toEqual([]);
    // Every acknowledged notification is in PostgreSQL.
    const { rows } = await db.query(`select webhook_id from webhook_receipts where webhook_id = any($1::text[])`, [
      [...log.acknowledged.keys()],
    ]);
    expect(new Set(rows.map((r) => r.webhook_id))).toEqual(new Set(log.acknowledged.keys()));
    await expectOneOpenIncidentPerKey();
    await expectEveryAlertCounted();
  }, 180_000);
});
