import { Client } from 'pg';
import { TestApp, startTestApp } from '../support/app';
import { rest } from '../support/client';
import { seedOrg } from '../support/seed';
import { waitFor } from '../support/server-process';
import { TEST_DATABASE_ENV } from '../support/database';
import { StormSource, genericDelivery, send } from '../support/storm';

/** A deadlock between an alert's transaction and another one: PostgreSQL ends one of them, the sender never sees it. */
let t: TestApp;
const lines: string[] = [];
let db: Client;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: 'warn' }, { logLines: (line) => lines.push(line) });
  db = new Client({ connectionString: process.env[TEST_DATABASE_ENV] });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await t.close();
});

describe('inbound alerts in a deadlock', () => {
  it('retry inside and answer 202, with one effect', async () => {
    const org = await seedOrg(t.url);
    const s = await org.webhookSource({ default_severity: 'P2' });
    const source: StormSource = { id: s.id, kind: 'generic', signingSecret: s.signing_secret };
    const opened = await send(t.url, genericDelivery(source, 'disk', 'trigger'));
    const key = opened.body.incidents[0].key;
    const incident = (await rest(t.url, 'GET', `/incidents/${key}`, { token: org.owner.token })).body;

    // Another transaction holds the incident's row, so the alert's transaction waits for it with its key's lock held;
    // then that transaction asks for the key's lock: a cycle, which PostgreSQL breaks by ending one of the two.
    await db.query('begin');
    await db.query('select id from incidents where id = $1 for update', [incident.id]);
    const again = send(t.url, genericDelivery(source, 'disk', 'trigger'));
    await waitFor('the alert to wait for the incident row', async () => {
      const { rows } = await db.query(
        `select count(*)::int as n from pg_locks where not granted and locktype in ('transactionid', 'tuple') and pid <> pg_backend_pid()`,
      );
      return rows[0].n >= 1;
    });
    let otherEnded = false;
    try {
      await db.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`${source.id} key disk`]);
    } catch (error) {
      expect((error as { code?: string }).code).toBe('40P01');
      otherEnded = true;
    }
    await db.query('rollback');

    const answer = await again;
    expect([answer.status, answer.body.incidents[0]]).toEqual([202, { key, action: 'appended', dedup_key: 'disk' }]);
    if (!otherEnded)
      expect(lines.some((l) => l.includes('inbound alert transaction retried') && l.includes('40P01'))).toBe(true);
    const alerts = await db.query('select occurrences from alerts where source_id = $1', [source.id]);
    expect(alerts.rows).toEqual([{ occurrences: 2 }]);
    const timeline = await rest(t.url, 'GET', `/incident-events?incident_id=${key}&type=alert&limit=10`, {
      token: org.owner.token,
    });
    expect(timeline.body.items).toHaveLength(2);
  });
});
