import { rest } from '../support/client';
import { seedOrg } from '../support/seed';
import { WebhookReceiver } from '../support/receiver';
import { TEST_JWT_SECRET, TestApp, startTestApp } from '../support/app';
import {
  ServerProcess,
  dropOwnDatabase,
  ownDatabase,
  startServer,
  stopServer,
  waitFor,
} from '../support/server-process';

/** One sample's value from the text exposition, or undefined: `name{a="x",b="y"}` with the labels in any order. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

const scrape = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${url}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text(), headers: res.headers };
};

/**
 * A real server process on a database of its own (its SLA job and webhook worker span every organization), with the
 * background jobs on short intervals, scraped over loopback as Prometheus would.
 */
describe('/metrics of a running server', () => {
  let databaseUrl = '';
  let server: ServerProcess;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    databaseUrl = await ownDatabase('metrics');
    receiver = await new WebhookReceiver().start();
    server = await startServer({
      DATABASE_URL: databaseUrl,
      ARGUS_JWT_SECRET: TEST_JWT_SECRET,
      ARGUS_DEMO_DATA: 'false',
      ARGUS_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      ARGUS_WEBHOOK_POLL_MS: '100',
      ARGUS_SLA_CHECK_INTERVAL_SECONDS: '1',
      LOG_LEVEL: 'warn',
    });
  }, 120_000);
  afterAll(async () => {
    if (server) await stopServer(server.child);
    await receiver?.stop();
    await dropOwnDatabase(databaseUrl);
  });

  it('reports requests by route and status, GraphQL operations by name, the pool, the outbox, jobs, indexes and the event loop', async () => {
    const org = await seedOrg(server.url);
    const auth = { token: org.owner.token };
    await rest(server.url, 'POST', '/alert-rules', {
      ...auth,
      body: { name: 'Metrics', event_types: ['incident.created'], target_url: `${receiver.url}/metrics-hook` },
    });
    const incident = await org.incident({ title: 'Database connections exhausted on the primary' });
    expect((await rest(server.url, 'GET', `/incidents/${incident.key}`, auth)).status).toBe(200);
    expect((await rest(server.url, 'GET', '/incidents/INC-999999', auth)).status).toBe(404);
    expect((await rest(server.url, 'GET', `/ai/similar-incidents/${incident.key}`, auth)).status).toBe(200);
    const gql = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.owner.token}` },
      body: JSON.stringify({ query: 'query MetricsProbe { incidents(limit: 1) { total } }' }),
    });
    expect(gql.status).toBe(200);
    await fetch(`${server.url}/no/such/path/${Math.random()}`);
    await waitFor('the webhook delivery', () => receiver.received.some((r) => r.path === '/metrics-hook'), 20_000);

    let m = await scrape(server.url);
    // The SLA job runs every second; the delivery's outcome is counted right after its row is written.
    await waitFor(
      'an SLA job run and the delivery outcome',
      async () => {
        m = await scrape(server.url);
        return (
          (sample(m.text, 'argus_job_runs_total', { job: 'sla-breach', outcome: 'ok' }) ?? 0) >= 1 &&
          (sample(m.text, 'argus_webhook_delivery_attempts_total', { outcome: 'succeeded' }) ?? 0) >= 1
        );
      },
      20_000,
    );
    expect(m.status).toBe(200);
    expect(m.type).toContain('text/plain');
    const t = m.text;
    expect(
      sample(t, 'argus_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/incidents/:id',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(t, 'argus_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/incidents/:id',
        status: '404',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(t, 'argus_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/incidents',
        status: '201',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(t, 'argus_http_request_duration_seconds_count', { method: 'POST', route: '/graphql', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(t, 'argus_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(t).not.toContain('/no/such/path');
    expect(
      sample(t, 'argus_graphql_operation_duration_seconds_count', {
        operation: 'MetricsProbe',
        type: 'query',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(sample(t, 'argus_db_pool_connections', { state: 'max' })).toBeGreaterThan(0);
    expect(sample(t, 'argus_db_pool_connections', { state: 'used' })).toBeGreaterThanOrEqual(0);
    expect(sample(t, 'argus_db_pool_pending_acquires')).toBeGreaterThanOrEqual(0);
    expect(sample(t, 'argus_webhook_outbox_deliveries', { status: 'pending' })).toBeGreaterThanOrEqual(0);
    expect(sample(t, 'argus_webhook_outbox_oldest_due_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(t, 'argus_job_runs_total', { job: 'webhook-delivery', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(t, 'argus_job_run_duration_seconds_count', { job: 'sla-breach' })).toBeGreaterThanOrEqual(1);
    expect(sample(t, 'argus_inbound_alerts_waiting')).toBe(0);
    expect(sample(t, 'argus_similar_indexes')).toBe(1);
    expect(
      sample(t, 'argus_similar_index_incidents', { state: 'in_graph' })! +
        sample(t, 'argus_similar_index_incidents', { state: 'pending' })!,
    ).toBe(1);
    expect(sample(t, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(t, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
  });

  it('counts an outbox backlog while the target refuses', async () => {
    const org = await seedOrg(server.url);
    receiver.responder = (r) => (r.path === '/refusing' ? { status: 503 } : { status: 200 });
    await rest(server.url, 'POST', '/alert-rules', {
      token: org.owner.token,
      body: { name: 'Refused', event_types: ['incident.created'], target_url: `${receiver.url}/refusing` },
    });
    await org.incident({ title: 'Backlog' });
    await waitFor(
      'a retry and a pending delivery',
      async () => {
        const t = (await scrape(server.url)).text;
        return (
          (sample(t, 'argus_webhook_delivery_attempts_total', { outcome: 'retry' }) ?? 0) >= 1 &&
          (sample(t, 'argus_webhook_outbox_deliveries', { status: 'pending' }) ?? 0) >= 1
        );
      },
      20_000,
    );
  });
});

describe('who may read /metrics', () => {
  const TOKEN = 'metrics-token-for-the-test-0123456789';
  let open: TestApp;
  let guarded: TestApp;
  beforeAll(async () => {
    open = await startTestApp();
    guarded = await startTestApp({ ARGUS_METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await open?.close();
    await guarded?.close();
  });

  it('without ARGUS_METRICS_TOKEN answers loopback clients and refuses a client behind a proxy from elsewhere', async () => {
    expect((await scrape(open.url)).status).toBe(200);
    // ARGUS_TRUST_PROXY is loopback by default: a local proxy's X-Forwarded-For names the real client.
    const proxied = await scrape(open.url, { 'x-forwarded-for': '203.0.113.7' });
    expect(proxied.status).toBe(403);
    expect(JSON.parse(proxied.text).error.code).toBe('FORBIDDEN');
    expect(proxied.text).not.toContain('argus_');
  });

  it('with ARGUS_METRICS_TOKEN requires exactly that bearer token, from anywhere', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong-token-of-the-same-kind-01234' },
      { authorization: `Basic ${TOKEN}` },
      { authorization: `Bearer ${TOKEN}x` },
    ]) {
      const res = await scrape(guarded.url, headers);
      expect([headers, res.status]).toEqual([headers, 401]);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      expect(res.text).not.toContain('argus_');
    }
    const ok = await scrape(guarded.url, { authorization: `Bearer ${TOKEN}`, 'x-forwarded-for': '203.0.113.7' });
    expect(ok.status).toBe(200);
    expect(sample(ok.text, 'argus_db_pool_connections', { state: 'max' })).toBeGreaterThan(0);
  });

  it('refuses a metrics token shorter than 16 characters at start', async () => {
    await expect(startTestApp({ ARGUS_METRICS_TOKEN: 'short' })).rejects.toThrow(
      /ARGUS_METRICS_TOKEN must be at least 16 characters/,
    );
  });
});
