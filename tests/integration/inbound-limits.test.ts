import { randomInt } from 'node:crypto';
import { Client } from 'pg';
import { TestApp, startTestApp } from '../support/app';
import { rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';
import { waitFor } from '../support/server-process';
import { TEST_DATABASE_ENV } from '../support/database';
import { Delivery, StormSource, genericDelivery, groupDelivery, send } from '../support/storm';

/**
 * Small limits, to reach each one with a few requests: 3 anonymous requests per address a minute, 1 alert a second
 * per source counted over 10 minutes (600 in a window: no test here lasts that long), one ingest transaction at a time
 * with 3 alerts waiting overall and 2 per
 * source. Organizations are seeded through an app without limits.
 */
const LIMITS = {
  ARGUS_RATE_LIMIT_PER_IP: '3',
  ARGUS_RATE_LIMIT_PER_USER: '100000',
  ARGUS_INBOUND_RATE_PER_SOURCE: '1',
  ARGUS_INBOUND_RATE_WINDOW_SECONDS: '600',
  ARGUS_INBOUND_CONCURRENCY: '1',
  ARGUS_INBOUND_QUEUE: '3',
  ARGUS_INBOUND_QUEUE_PER_SOURCE: '2',
};
let t: TestApp;
let seeding: TestApp;
let org: SeedOrg;
let db: Client;
beforeAll(async () => {
  [t, seeding] = await Promise.all([startTestApp(LIMITS), startTestApp()]);
  org = await seedOrg(seeding.url);
  db = new Client({ connectionString: process.env[TEST_DATABASE_ENV] });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await Promise.all([t.close(), seeding.close()]);
});

const address = () => ({ 'x-forwarded-for': `198.51.100.${randomInt(1, 255)}` });

async function source(kind: StormSource['kind'] = 'generic'): Promise<StormSource> {
  const s = await org.webhookSource({ kind, default_severity: 'P3' });
  return { id: s.id, kind, signingSecret: s.signing_secret ?? undefined, bearerToken: s.bearer_token ?? undefined };
}

const alertsOf = (group: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ fingerprint: `${group}-fp${i}`, status: 'firing' as const }));

describe('limits of inbound alerts', () => {
  it('limits a verified source by its own alert rate, never by the anonymous per-address budget', async () => {
    const headers = address();
    const am = await source('alertmanager');
    // 600 alerts pass (more requests from this address than its anonymous budget of 3 already)...
    const accepted = [];
    for (let i = 0; i < 4; i++) accepted.push(await send(t.url, groupDelivery(am, 'g', alertsOf('g', 149)), headers));
    expect(accepted.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    // Alertmanager retries a 5xx and drops a 4xx: its refusals are 503 BUSY, with the same Retry-After.
    const tooMany = await send(t.url, groupDelivery(am, 'big', alertsOf('big', 5)), headers);
    expect([tooMany.status, tooMany.body.error.code]).toEqual([503, 'BUSY']);
    expect(Number(tooMany.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await send(t.url, groupDelivery(am, 'g', alertsOf('g', 4)), headers)).status).toBe(202);
    // ...the eleventh within the window does not, and nothing of it is stored.
    const over = await send(t.url, groupDelivery(am, 'late', alertsOf('late', 1)), headers);
    expect([over.status, over.body.error.code]).toEqual([503, 'BUSY']);
    const retryAfter = Number(over.retryAfter);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(600);
    const stored = await db.query(`select count(*)::int as n from alerts where source_id = $1 and group_key = 'late'`, [
      am.id,
    ]);
    expect(stored.rows[0].n).toBe(0);
    // Another source of the same organization, from the same address, has its own budget; a notification larger than
    // a whole window passes on an untouched one, and spends it.
    const other = await source('grafana');
    expect((await send(t.url, groupDelivery(other, 'huge', alertsOf('huge', 700)), headers)).status).toBe(202);
    expect((await send(t.url, groupDelivery(other, 'after', alertsOf('after', 1)), headers)).status).toBe(503);
  });

  it('keeps requests that do not verify under the anonymous per-address budget', async () => {
    const headers = address();
    const generic = await source();
    const forged = (): Delivery => ({
      ...genericDelivery(generic, 'forged', 'trigger'),
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'x',
        'webhook-timestamp': '1',
        'webhook-signature': 'v1,AAAA',
      },
    });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await send(t.url, forged(), headers));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 429]);
    expect(answers[3].body.error.code).toBe('RATE_LIMITED');
    expect(Number(answers[3].retryAfter)).toBeGreaterThan(0);
    // The same address's verified requests still pass.
    expect((await send(t.url, genericDelivery(generic, 'real', 'trigger'), headers)).status).toBe(202);
  });

  it('answers 429 with Retry-After when the ingest queue is full, per source and overall, while the API keeps answering', async () => {
    // Generic sources are told 429, as HTTP clients expect of a limit (Alertmanager and Grafana: 503, above).
    const [first, second, third] = [await source(), await source(), await source()];
    // A transaction held on one dedup key's lock keeps the one ingest slot busy.
    const lock = `${first.id} key blocked`;
    await db.query('begin');
    await db.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [lock]);
    const blocked = send(t.url, genericDelivery(first, 'blocked', 'trigger'), address());
    await waitFor('the first request to wait on the lock', async () => {
      const { rows } = await db.query(
        `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`,
      );
      return rows[0].n === 1;
    });
    const queued = [
      send(t.url, genericDelivery(first, 'q1', 'trigger'), address()),
      send(t.url, genericDelivery(first, 'q2', 'trigger'), address()),
    ];
    await waitFor('two alerts of the first source to wait', () => t.app.services.alertIngestion.queuedAlerts === 2);
    const ownShare = genericDelivery(first, 'q3', 'trigger');
    const refusedOwn = await send(t.url, ownShare, address());
    expect([refusedOwn.status, refusedOwn.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(refusedOwn.body.error.message).toMatch(/this source/i);
    expect(Number(refusedOwn.retryAfter)).toBeGreaterThanOrEqual(1);

    queued.push(send(t.url, genericDelivery(second, 'q4', 'trigger'), address()));
    await waitFor('three alerts to wait', () => t.app.services.alertIngestion.queuedAlerts === 3);
    const overall = genericDelivery(third, 'q5', 'trigger');
    const refusedOverall = await send(t.url, overall, address());
    expect([refusedOverall.status, refusedOverall.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(refusedOverall.retryAfter)).toBeGreaterThanOrEqual(1);

    // The rest of the API answers while ingest is full.
    expect((await rest(t.url, 'GET', '/incidents?limit=10', { token: org.owner.token })).status).toBe(200);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);

    await db.query('commit');
    expect((await blocked).status).toBe(202);
    expect((await Promise.all(queued)).map((a) => a.status)).toEqual([202, 202, 202]);
    // The refused ones, sent again as they were, are taken now: nothing of their first try was kept.
    const retried = await Promise.all([send(t.url, ownShare, address()), send(t.url, overall, address())]);
    expect(retried.map((a) => [a.status, a.body.replayed, a.body.incidents[0].action])).toEqual([
      [202, undefined, 'opened'],
      [202, undefined, 'opened'],
    ]);
  });
});
