import { rest } from '../support/client';
import { seedOrg } from '../support/seed';
import { WebhookReceiver } from '../support/receiver';
import { TEST_JWT_SECRET } from '../support/app';
import {
  dropOwnDatabase,
  ownDatabase,
  startServer as startProcess,
  stopServer as kill,
  waitFor,
} from '../support/server-process';

let databaseUrl = '';

/** A real server process, delivering webhooks every 100 ms. */
const startServer = () =>
  startProcess(
    {
      DATABASE_URL: databaseUrl,
      ARGUS_JWT_SECRET: TEST_JWT_SECRET,
      ARGUS_DEMO_DATA: 'false',
      ARGUS_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      ARGUS_WEBHOOK_POLL_MS: '100',
      ARGUS_WEBHOOK_TIMEOUT_MS: '1000',
      ARGUS_WEBHOOK_BACKOFF_MS: '200',
      ARGUS_SLA_CHECK_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'warn',
    },
    60_000,
  );

describe('webhook delivery survives a crash', () => {
  it('delivers every event after kill -9 and a restart, never one event under two ids', async () => {
    databaseUrl = await ownDatabase('durability');
    const receiver = await new WebhookReceiver().start();
    let server = await startServer();
    try {
      const org = await seedOrg(server.url);
      const path = `/durable/${org.owner.id}`;
      let accepting = false;
      // Until the crash the receiver answers slowly with 503, so deliveries are in flight or waiting when the process
      // dies.
      receiver.responder = () => (accepting ? { status: 200 } : { status: 503, delayMs: 300 });
      const rule = await rest(server.url, 'POST', '/alert-rules', {
        token: org.owner.token,
        body: {
          name: 'Durable',
          event_types: ['incident.created', 'incident.acknowledged'],
          target_url: `${receiver.url}${path}`,
        },
      });
      expect(rule.status).toBe(201);
      const keys: string[] = [];
      for (let i = 0; i < 8; i++) {
        const created = await rest(server.url, 'POST', '/incidents', {
          token: org.owner.token,
          body: { title: `Crash ${i}`, severity: 'P2' },
        });
        keys.push(created.body.key);
        await rest(server.url, 'PATCH', `/incidents/${created.body.key}`, {
          token: org.owner.token,
          body: { status: 'acknowledged' },
        });
      }
      await waitFor('the first delivery', () => receiver.received.some((r) => r.path === path), 10_000);
      await kill(server.child, 'SIGKILL');

      accepting = true;
      server = await startServer();
      const mine = () => receiver.received.filter((r) => r.path === path && r.json);
      const eventOf = (r: { json: any }) => `${r.json.type}:${r.json.data.key}`;
      const expected = keys.flatMap((k) => [`incident.created:${k}`, `incident.acknowledged:${k}`]);
      const succeeded = async () =>
        (await rest(server.url, 'GET', '/webhook-deliveries?limit=100&status=succeeded', { token: org.owner.token }))
          .body.total;
      await waitFor('every delivery to succeed', async () => (await succeeded()) === expected.length, 40_000);

      const idsByEvent = new Map<string, Set<string>>();
      for (const r of mine()) {
        if (!idsByEvent.has(eventOf(r))) idsByEvent.set(eventOf(r), new Set());
        idsByEvent.get(eventOf(r))!.add(String(r.headers['webhook-id']));
      }
      expect([...idsByEvent.keys()].sort()).toEqual([...expected].sort());
      for (const [event, ids] of idsByEvent) expect([event, ids.size]).toEqual([event, 1]);
      const order = (key: string) =>
        mine()
          .filter((r) => r.json.data.key === key)
          .map((r) => r.json.type);
      for (const key of keys)
        expect(order(key).lastIndexOf('incident.created')).toBeLessThan(
          order(key).lastIndexOf('incident.acknowledged'),
        );
    } finally {
      await kill(server.child, 'SIGTERM');
      await receiver.stop();
      await dropOwnDatabase(databaseUrl);
    }
  }, 120_000);
});
