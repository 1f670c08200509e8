import { Webhook } from 'standardwebhooks';
import pino from 'pino';
import { TestApp, startTestApp } from '../support/app';
import { gqlRaw, errorCode, rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';
import { Received, WebhookReceiver } from '../support/receiver';
import { ManualClock } from '../../src/core/clock';
import { DeliveryWorker } from '../../src/modules/webhook-deliveries/delivery-worker';
import { TargetPolicy } from '../../src/modules/webhook-deliveries/ssrf';

const clock = new ManualClock();
let t: TestApp;
let receiver: WebhookReceiver;
beforeAll(async () => {
  t = await startTestApp(
    { LOG_LEVEL: 'error', ARGUS_WEBHOOK_ALLOW_HOSTS: '127.0.0.1', ARGUS_WEBHOOK_TIMEOUT_MS: '2000' },
    { clock },
  );
  receiver = await new WebhookReceiver().start();
});
afterAll(async () => {
  await receiver.stop();
  await t.close();
});
// The receiver checks signature timestamps against the real time, so each test starts the clock there.
beforeEach(() => clock.set(new Date()));

/** Each test's rule posts to its own path; what other tests left queued may still arrive, elsewhere. */
function hook(org: SeedOrg) {
  const path = `/hook/${org.owner.id}`;
  const received = () => receiver.received.filter((r) => r.path === path);
  return { url: `${receiver.url}${path}`, path, received };
}

async function rule(org: SeedOrg, body: Record<string, unknown> = {}) {
  const res = await rest(t.url, 'POST', '/alert-rules', {
    token: org.owner.token,
    body: {
      name: 'Chat',
      event_types: ['incident.created', 'incident.acknowledged', 'incident.resolved', 'incident.updated'],
      target_url: hook(org).url,
      ...body,
    },
  });
  expect(res.status).toBe(201);
  return res.body;
}

/**
 * Runs the worker until nothing is due. Other test files leave deliveries queued in the shared database (to closed
 * ports); a batch may be theirs, so one run is not enough to reach this test's delivery.
 */
async function deliver(): Promise<number> {
  let total = 0;
  for (let i = 0; i < 100; i++) {
    const attempted = await t.app.deliveryWorker.runOnce();
    total += attempted;
    if (attempted === 0) break;
  }
  return total;
}
const deliveries = async (org: SeedOrg, qs = '') =>
  (await rest(t.url, 'GET', `/webhook-deliveries?limit=100${qs}`, { token: org.owner.token })).body;
const verify = (secret: string, r: Received) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>);

/** Answers `status(i)` for this test's i-th request, 200 elsewhere. */
function answer(
  org: SeedOrg,
  status: (req: Received, i: number) => { status: number; headers?: Record<string, string> },
) {
  const { path } = hook(org);
  let i = 0;
  receiver.responder = (req) => (req.path === path ? status(req, i++) : { status: 200 });
}

describe('alert rules', () => {
  it('shows the signing secret once, at creation', async () => {
    const org = await seedOrg(t.url);
    const created = await rule(org);
    expect(created.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const read = await rest(t.url, 'GET', `/alert-rules/${created.id}`, { token: org.owner.token });
    expect(read.body.signing_secret).toBeNull();
    const list = await rest(t.url, 'GET', '/alert-rules', { token: org.owner.token });
    expect(JSON.stringify(list.body)).not.toContain(created.signing_secret);
    const viaGraphQL = await gqlRaw(
      t.url,
      { query: `{ alertRules { items { id signingSecret conditions { severities } } } }` },
      org.owner.token,
    );
    expect(viaGraphQL.data.alertRules.items[0].signingSecret).toBeNull();
  });

  it('refuses unknown event types, bad URLs and metadata or internal addresses', async () => {
    const org = await seedOrg(t.url);
    const bad = async (body: Record<string, unknown>) =>
      rest(t.url, 'POST', '/alert-rules', {
        token: org.owner.token,
        body: { name: 'x', event_types: ['incident.created'], target_url: 'https://example.com/', ...body },
      });
    expect((await bad({ event_types: ['incident.exploded'] })).status).toBe(400);
    for (const url of [
      'ftp://example.com/x',
      'not a url',
      'http://169.254.169.254/latest/meta-data',
      'http://[fe80::1]/',
      'http://user:pw@127.0.0.1/',
    ]) {
      const res = await bad({ target_url: url });
      expect([url, res.status]).toEqual([url, 400]);
      expect(res.body.error.details[0].field).toBe('target_url');
    }
  });

  it('needs the admin role', async () => {
    const org = await seedOrg(t.url);
    const responder = await org.user('responder');
    const res = await rest(t.url, 'POST', '/alert-rules', {
      token: responder.token,
      body: { name: 'x', event_types: ['incident.created'], target_url: `${receiver.url}/` },
    });
    expect(res.status).toBe(403);
  });
});

describe('outbound deliveries', () => {
  it('delivers a signed incident.created that the standardwebhooks package verifies', async () => {
    const org = await seedOrg(t.url);
    const created = await rule(org);
    const incident = await org.incident({ title: 'Database down', severity: 'P1' });
    expect(await deliver()).toBeGreaterThanOrEqual(1);
    const got = hook(org).received();
    expect(got).toHaveLength(1);
    const payload = verify(created.signing_secret, got[0]) as any;
    expect(payload).toMatchObject({
      type: 'incident.created',
      data: { id: incident.id, key: incident.key, severity: 'P1', status: 'open', service_id: null },
    });
    expect(payload.id).toBe(got[0].headers['webhook-id']);
    expect(payload.data).not.toHaveProperty('service');
    const log = await deliveries(org);
    expect(log.items[0]).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      last_status_code: 200,
      event_type: 'incident.created',
      alert_rule_id: created.id,
    });
    // The receiver is on loopback, an internal address: its answer is not kept.
    expect(log.items[0].attempt_log[0]).toMatchObject({ attempt: 1, status_code: 200, response_excerpt: null });
  });

  it('sends what changed as previous', async () => {
    const org = await seedOrg(t.url);
    await rule(org);
    const incident = await org.incident();
    await rest(t.url, 'PATCH', `/incidents/${incident.id}`, {
      token: org.owner.token,
      body: { status: 'acknowledged' },
    });
    await deliver();
    await deliver();
    const ack = hook(org)
      .received()
      .map((r) => r.json)
      .find((p) => p.type === 'incident.acknowledged');
    expect(ack.data).toMatchObject({ status: 'acknowledged', previous: { status: 'open' } });
  });

  it('announces problem and change request events', async () => {
    const org = await seedOrg(t.url);
    await rule(org, {
      event_types: [
        'problem.created',
        'problem.status_changed',
        'change_request.created',
        'change_request.status_changed',
      ],
    });
    const problem = await org.problem({ title: 'Pool exhaustion' });
    const moved = await rest(t.url, 'PATCH', `/problems/${problem.key}`, {
      token: org.owner.token,
      body: { status: 'investigating' },
    });
    expect(moved.status).toBe(200);
    const change = await org.changeRequest({ title: 'Raise pool size' });
    const submitted = await rest(t.url, 'PATCH', `/change-requests/${change.key}`, {
      token: org.owner.token,
      body: { status: 'submitted' },
    });
    expect(submitted.status).toBe(200);
    for (let i = 0; i < 4; i++) await deliver();
    const got = hook(org)
      .received()
      .map((r) => `${r.json.type}:${r.json.data.key}`);
    expect(got).toEqual(
      expect.arrayContaining([
        `problem.created:${problem.key}`,
        `problem.status_changed:${problem.key}`,
        `change_request.created:${change.key}`,
        `change_request.status_changed:${change.key}`,
      ]),
    );
    const announced = hook(org)
      .received()
      .find((r) => r.json.type === 'problem.status_changed')!.json;
    expect(announced.data).toMatchObject({ status: 'investigating', previous: { status: 'open' } });
  });

  it('announces a postmortem ready for review and its publication, and no other move of it', async () => {
    const org = await seedOrg(t.url);
    const created = await rule(org, { event_types: ['postmortem.in_review', 'postmortem.published'] });
    const postmortem = await org.postmortem({ title: 'Checkout outage' });
    for (const status of ['in_review', 'draft', 'in_review', 'published']) {
      const moved = await rest(t.url, 'PATCH', `/postmortems/${postmortem.id}`, {
        token: org.owner.token,
        body: { status },
      });
      expect(moved.status).toBe(200);
    }
    for (let i = 0; i < 4; i++) await deliver();
    const got = hook(org).received();
    expect(got.map((r) => `${r.json.type}:${r.json.data.previous.status}`)).toEqual([
      'postmortem.in_review:draft',
      'postmortem.in_review:draft',
      'postmortem.published:in_review',
    ]);
    expect(got[0].json.data).toMatchObject({
      id: postmortem.id,
      title: 'Checkout outage',
      status: 'in_review',
      incident_id: postmortem.incident_id,
    });
    expect(() => verify(created.signing_secret, got[0])).not.toThrow();
  });

  it('filters by the rule conditions', async () => {
    const org = await seedOrg(t.url);
    await rule(org, { conditions: { severities: ['P1'] } });
    await org.incident({ severity: 'P3' });
    await org.incident({ severity: 'P1' });
    await deliver();
    expect(
      hook(org)
        .received()
        .map((r) => r.json.data.severity),
    ).toEqual(['P1']);
  });

  it('queues nothing for a change that was refused', async () => {
    const org = await seedOrg(t.url);
    await rule(org);
    const incident = await org.incident();
    await rest(t.url, 'PATCH', `/incidents/${incident.id}`, { token: org.owner.token, body: { status: 'mitigated' } });
    const before = (await deliveries(org)).total;
    const refused = await rest(t.url, 'PATCH', `/incidents/${incident.id}`, {
      token: org.owner.token,
      body: { status: 'open', title: 'x' },
    });
    expect(refused.status).toBe(409);
    expect((await deliveries(org)).total).toBe(before);
  });

  it('retries 5xx with backoff under the same webhook-id', async () => {
    const org = await seedOrg(t.url);
    await rule(org);
    answer(org, (_req, i) => ({ status: i === 0 ? 503 : 200 }));
    await org.incident();
    await deliver();
    let log = (await deliveries(org)).items[0];
    expect(log).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 503 });
    expect(Date.parse(log.next_attempt_at) - clock.now().getTime()).toBe(10_000);
    await deliver();
    expect(hook(org).received()).toHaveLength(1);
    clock.advance(10_000);
    await deliver();
    log = (await deliveries(org)).items[0];
    expect(log).toMatchObject({ status: 'succeeded', attempts: 2 });
    const got = hook(org).received();
    expect(got).toHaveLength(2);
    expect(got[0].headers['webhook-id']).toBe(got[1].headers['webhook-id']);
  });

  it('honours Retry-After on 429', async () => {
    const org = await seedOrg(t.url);
    await rule(org);
    answer(org, () => ({ status: 429, headers: { 'retry-after': '120' } }));
    await org.incident();
    await deliver();
    const log = (await deliveries(org)).items[0];
    expect(Date.parse(log.next_attempt_at) - clock.now().getTime()).toBe(120_000);
  });

  it('fails a 4xx at once, and a 410 disables the rule', async () => {
    const org = await seedOrg(t.url);
    const created = await rule(org);
    answer(org, () => ({ status: 400 }));
    await org.incident();
    await deliver();
    expect((await deliveries(org)).items[0]).toMatchObject({ status: 'failed', attempts: 1 });
    answer(org, () => ({ status: 410 }));
    await org.incident();
    await deliver();
    const read = await rest(t.url, 'GET', `/alert-rules/${created.id}`, { token: org.owner.token });
    expect(read.body.enabled).toBe(false);
    expect(read.body.disabled_reason).toMatch(/410/);
    await org.incident();
    expect((await deliveries(org)).total).toBe(2);
  });

  it("keeps the order of one incident's events while another incident goes ahead", async () => {
    const org = await seedOrg(t.url);
    await rule(org);
    const a = await org.incident({ title: 'A' });
    answer(org, (_req, i) => ({ status: i === 0 ? 503 : 200 }));
    await deliver();
    await rest(t.url, 'PATCH', `/incidents/${a.id}`, { token: org.owner.token, body: { status: 'acknowledged' } });
    await rest(t.url, 'PATCH', `/incidents/${a.id}`, { token: org.owner.token, body: { status: 'resolved' } });
    await org.incident({ title: 'B' });
    await deliver();
    expect(
      hook(org)
        .received()
        .map((r) => `${r.json.data.title}:${r.json.type}`),
    ).toEqual(['A:incident.created', 'B:incident.created']);
    for (let i = 0; i < 4; i++) {
      clock.advance(60_000);
      await deliver();
    }
    const forA = hook(org)
      .received()
      .filter((r) => r.json.data.title === 'A')
      .map((r) => r.json.type);
    expect(forA).toEqual(['incident.created', 'incident.created', 'incident.acknowledged', 'incident.resolved']);
  });

  it('redelivers a delivery with the same webhook-id', async () => {
    const org = await seedOrg(t.url);
    await rule(org);
    await org.incident();
    await deliver();
    const first = (await deliveries(org)).items[0];
    const res = await rest(t.url, 'POST', `/webhook-deliveries/${first.id}/redeliver`, { token: org.owner.token });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('pending');
    await deliver();
    expect(
      hook(org)
        .received()
        .map((r) => r.headers['webhook-id']),
    ).toEqual([first.webhook_id, first.webhook_id]);
  });

  it('signs with both secrets during a rotation', async () => {
    const org = await seedOrg(t.url);
    const created = await rule(org);
    const rotated = await rest(t.url, 'POST', `/alert-rules/${created.id}/rotate-secret`, { token: org.owner.token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.signing_secret).toMatch(/^whsec_/);
    expect(rotated.body.signing_secret).not.toBe(created.signing_secret);
    await org.incident();
    await deliver();
    const [got] = hook(org).received();
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => verify(created.signing_secret, got)).not.toThrow();
    expect(() => verify(rotated.body.signing_secret, got)).not.toThrow();
  });

  it('does not follow redirects', async () => {
    const org = await seedOrg(t.url);
    await rule(org);
    answer(org, () => ({ status: 302, headers: { location: `${receiver.url}/elsewhere/${org.owner.id}` } }));
    await org.incident();
    await deliver();
    expect(receiver.received.filter((r) => r.path.includes(org.owner.id)).map((r) => r.path)).toEqual([hook(org).path]);
    expect((await deliveries(org)).items[0]).toMatchObject({ status: 'failed', last_status_code: 302 });
  });

  it('checks the address again when connecting', async () => {
    const org = await seedOrg(t.url);
    await rule(org);
    await org.incident();
    const strict = new DeliveryWorker(t.orm, new TargetPolicy(''), clock, pino({ level: 'silent' }), {
      timeoutMs: 1000,
      backoffMs: 10_000,
      maxAttempts: 3,
      batchSize: 20,
    });
    await strict.runOnce();
    expect(hook(org).received()).toHaveLength(0);
    expect((await deliveries(org)).items[0].last_error).toMatch(/internal address/);
  });

  it('keeps deliveries and rules to their organization', async () => {
    const org = await seedOrg(t.url);
    const other = await seedOrg(t.url);
    await rule(org);
    await org.incident();
    const mine = (await deliveries(org)).items[0];
    expect((await rest(t.url, 'GET', `/webhook-deliveries/${mine.id}`, { token: other.owner.token })).status).toBe(404);
    expect(
      (await rest(t.url, 'POST', `/webhook-deliveries/${mine.id}/redeliver`, { token: other.owner.token })).status,
    ).toBe(404);
    expect((await deliveries(other)).total).toBe(0);
    expect(
      errorCode(await gqlRaw(t.url, { query: `{ webhookDelivery(id: "${mine.id}") { id } }` }, other.owner.token)),
    ).toBe('NOT_FOUND');
  });
});

describe('the SSRF policy without allowed hosts', () => {
  it('refuses loopback, names that resolve to it, and private ranges', async () => {
    const strict = await startTestApp({ ARGUS_WEBHOOK_ALLOW_HOSTS: '' });
    try {
      const org = await seedOrg(strict.url);
      for (const url of [
        'http://127.0.0.1:9/',
        'http://localhost:9/',
        'http://10.0.0.8/',
        'http://192.168.1.1/',
        'http://[::1]/',
      ]) {
        const res = await rest(strict.url, 'POST', '/alert-rules', {
          token: org.owner.token,
          body: { name: 'x', event_types: ['incident.created'], target_url: url },
        });
        expect([url, res.status]).toEqual([url, 400]);
      }
    } finally {
      await strict.close();
    }
  });
});
