import { Webhook } from 'standardwebhooks';
import { TestApp, startTestApp } from '../support/app';
import { rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';
import { fixture, postBearer, postSigned, postUnsigned } from '../support/inbound';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const incidentsOf = async (org: SeedOrg) =>
  (await rest(t.url, 'GET', '/incidents?limit=100', { token: org.owner.token })).body;
const incident = async (org: SeedOrg, key: string) =>
  (await rest(t.url, 'GET', `/incidents/${key}`, { token: org.owner.token })).body;
const timeline = async (org: SeedOrg, key: string) =>
  (await rest(t.url, 'GET', `/incident-events?incident_id=${key}&limit=100`, { token: org.owner.token })).body.items;

describe('inbound alerts: verification', () => {
  it('accepts a generic alert signed with the source secret (Standard Webhooks) and opens an incident from it', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service({ name: 'Billing' });
    const source = await org.webhookSource({
      name: 'Cron monitor',
      default_service_id: service.id,
      default_severity: 'P2',
    });
    const res = await postSigned(t.url, source.id, source.signing_secret, {
      title: 'Nightly invoice run failed',
      description: 'Exit code 137 (OOM killed)',
      dedup_key: 'invoice-run-2026-11-28',
    });
    expect(res.status).toBe(202);
    expect(res.body.incidents).toEqual([
      { key: expect.stringMatching(/^INC-\d+$/), action: 'opened', dedup_key: 'invoice-run-2026-11-28' },
    ]);
    const opened = await incident(org, res.body.incidents[0].key);
    expect(opened).toMatchObject({
      title: 'Nightly invoice run failed',
      description: 'Exit code 137 (OOM killed)',
      source: 'alert',
      status: 'open',
      severity: 'P2',
      auto_classified: false,
      service_id: service.id,
    });
    const entries = await timeline(org, opened.key);
    expect(entries.map((e: { type: string }) => e.type)).toEqual(['created', 'alert']);
    expect(entries.every((e: { actor_id: string | null }) => e.actor_id === null)).toBe(true);
    expect(entries[1].data).toMatchObject({
      source_id: source.id,
      dedup_key: 'invoice-run-2026-11-28',
      status: 'firing',
    });
    const after = await rest(t.url, 'GET', `/webhook-sources/${source.id}`, { token: org.owner.token });
    expect(after.body.last_alert_at).not.toBeNull();
  });

  it('refuses a bad signature, another secret, a tampered body and missing headers with 401, storing nothing', async () => {
    const org = await seedOrg(t.url);
    const source = await org.webhookSource();
    const other = await org.webhookSource();
    const payload = { title: 'Disk full', severity: 'P3', dedup_key: 'disk' };
    const attempts = [
      await postSigned(t.url, source.id, other.signing_secret, payload, { id: 'msg_refused' }),
      await postSigned(t.url, source.id, source.signing_secret, payload, {
        id: 'msg_refused',
        headers: { 'webhook-signature': 'v1,bm90IGEgc2lnbmF0dXJl' },
      }),
      await postTampered(source, payload),
      await postUnsigned(t.url, source.id, payload),
      await postBearer(t.url, source.id, source.signing_secret, payload),
    ];
    for (const res of attempts) expect([res.status, res.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await incidentsOf(org)).total).toBe(0);
    // msg_refused was refused, so it was not recorded as processed: signed properly now, it takes effect.
    const ok = await postSigned(
      t.url,
      source.id,
      source.signing_secret,
      { ...payload, dedup_key: 'disk-2' },
      { id: 'msg_refused' },
    );
    expect(ok.status).toBe(202);
    expect(ok.body.replayed).toBeUndefined();
    expect(ok.body.incidents[0].action).toBe('opened');
  });

  /** The signature of one body, sent with another body. */
  async function postTampered(source: { id: string; signing_secret: string }, payload: object) {
    const at = new Date();
    const signed = JSON.stringify(payload);
    const response = await fetch(`${t.url}/api/v1/webhook-sources/${source.id}/alerts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_tampered',
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(source.signing_secret).sign('msg_tampered', at, signed),
      },
      body: signed.replace('P3', 'P1'),
    });
    return { status: response.status, body: await response.json() };
  }

  it('refuses a signature older than 5 minutes (and one from the future) with 401, storing nothing', async () => {
    const org = await seedOrg(t.url);
    const source = await org.webhookSource();
    const payload = { title: 'Old news', severity: 'P4', dedup_key: 'old' };
    const stale = await postSigned(t.url, source.id, source.signing_secret, payload, {
      id: 'msg_stale',
      at: new Date(Date.now() - 6 * 60_000),
    });
    expect(stale.status).toBe(401);
    const future = await postSigned(t.url, source.id, source.signing_secret, payload, {
      at: new Date(Date.now() + 6 * 60_000),
    });
    expect(future.status).toBe(401);
    expect((await incidentsOf(org)).total).toBe(0);
    const recent = await postSigned(t.url, source.id, source.signing_secret, payload, {
      at: new Date(Date.now() - 4 * 60_000),
    });
    expect(recent.status).toBe(202);
  });

  it('refuses an unknown source, a malformed id and a disabled source with the same 401', async () => {
    const org = await seedOrg(t.url);
    const source = await org.webhookSource();
    const payload = { title: 'x', severity: 'P4' };
    const unknown = await postSigned(t.url, '00000000-0000-4000-8000-000000000000', source.signing_secret, payload);
    const malformed = await postSigned(t.url, 'not-a-source', source.signing_secret, payload);
    await rest(t.url, 'PATCH', `/webhook-sources/${source.id}`, { token: org.owner.token, body: { enabled: false } });
    const disabled = await postSigned(t.url, source.id, source.signing_secret, payload);
    for (const res of [unknown, malformed, disabled]) expect([res.status, res.body]).toEqual([401, unknown.body]);
    expect((await incidentsOf(org)).total).toBe(0);
    await rest(t.url, 'PATCH', `/webhook-sources/${source.id}`, { token: org.owner.token, body: { enabled: true } });
    expect((await postSigned(t.url, source.id, source.signing_secret, payload)).status).toBe(202);
  });

  it('verifies bearer sources by their token, and does not take an Argus access token for one', async () => {
    const org = await seedOrg(t.url);
    const source = await org.webhookSource({ kind: 'alertmanager' });
    const payload = fixture('alertmanager-firing');
    expect((await postBearer(t.url, source.id, 'whtok_wrong', payload)).status).toBe(401);
    expect((await postBearer(t.url, source.id, org.owner.token, payload)).status).toBe(401);
    expect((await postUnsigned(t.url, source.id, payload)).status).toBe(401);
    expect((await incidentsOf(org)).total).toBe(0);
    const ok = await postBearer(t.url, source.id, source.bearer_token, payload);
    expect(ok.status).toBe(202);
  });

  it('answers a replayed webhook-id with the first answer and no second effect', async () => {
    const org = await seedOrg(t.url);
    const source = await org.webhookSource();
    const payload = { title: 'Replication lag above 30s', severity: 'P2', dedup_key: 'lag' };
    const first = await postSigned(t.url, source.id, source.signing_secret, payload, { id: 'msg_once' });
    const again = await postSigned(t.url, source.id, source.signing_secret, payload, { id: 'msg_once' });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect((await incidentsOf(org)).total).toBe(1);
    expect((await timeline(org, first.body.incidents[0].key)).length).toBe(2);
    // The same id at another source is another message.
    const elsewhere = await org.webhookSource();
    const other = await postSigned(t.url, elsewhere.id, elsewhere.signing_secret, payload, { id: 'msg_once' });
    expect(other.body.incidents[0].action).toBe('opened');
  });

  it('also dedupes a bearer delivery that carries a webhook-id', async () => {
    const org = await seedOrg(t.url);
    const source = await org.webhookSource({ kind: 'grafana' });
    const payload = fixture('grafana-firing');
    await postBearer(t.url, source.id, source.bearer_token, payload, { 'webhook-id': 'grafana-1' });
    const again = await postBearer(t.url, source.id, source.bearer_token, payload, { 'webhook-id': 'grafana-1' });
    expect(again.body.replayed).toBe(true);
    const key = again.body.incidents[0].key;
    expect((await timeline(org, key)).length).toBe(2);
  });

  it('refuses other methods on the endpoint with 405', async () => {
    const org = await seedOrg(t.url);
    const source = await org.webhookSource();
    const res = await fetch(`${t.url}/api/v1/webhook-sources/${source.id}/alerts`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('inbound alerts: payloads', () => {
  it('refuses a malformed payload with 400, storing nothing (the webhook-id stays unused)', async () => {
    const org = await seedOrg(t.url);
    const generic = await org.webhookSource();
    const notJson = await postSigned(t.url, generic.id, generic.signing_secret, undefined, {
      id: 'msg_bad',
      raw: '{"title": ',
    });
    expect([notJson.status, notJson.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const noTitle = await postSigned(t.url, generic.id, generic.signing_secret, { severity: 'P2' }, { id: 'msg_bad' });
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.error.details[0].field).toBe('title');
    const badAction = await postSigned(
      t.url,
      generic.id,
      generic.signing_secret,
      { title: 'x', action: 'explode' },
      { id: 'msg_bad' },
    );
    expect(badAction.body.error.details[0].field).toBe('action');
    const unknownField = await postSigned(
      t.url,
      generic.id,
      generic.signing_secret,
      { title: 'x', priority: 'high' },
      { id: 'msg_bad' },
    );
    expect(unknownField.body.error.details[0].field).toBe('priority');

    const am = await org.webhookSource({ kind: 'alertmanager' });
    const empty = await postBearer(t.url, am.id, am.bearer_token, { ...fixture('alertmanager-firing'), alerts: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].field).toBe('alerts');
    const broken = fixture('alertmanager-firing');
    broken.alerts[1].startsAt = 'yesterday';
    const second = await postBearer(t.url, am.id, am.bearer_token, broken);
    expect(second.status).toBe(400);
    expect(second.body.error.details[0].field).toBe('alerts[1].startsAt');
    expect(
      (await postBearer(t.url, am.id, am.bearer_token, { ...fixture('alertmanager-firing'), version: '3' })).status,
    ).toBe(400);

    expect((await incidentsOf(org)).total).toBe(0);
    const ok = await postSigned(
      t.url,
      generic.id,
      generic.signing_secret,
      { title: 'Now fine', severity: 'P4' },
      { id: 'msg_bad' },
    );
    expect(ok.body.incidents[0].action).toBe('opened');
  });

  it('turns an Alertmanager group into one incident, dedupes repeats, and resolves when every alert has resolved', async () => {
    const org = await seedOrg(t.url);
    const source = await org.webhookSource({ kind: 'alertmanager' });
    const firing = await postBearer(t.url, source.id, source.bearer_token, fixture('alertmanager-firing'));
    expect(firing.status).toBe(202);
    const key = firing.body.incidents[0].key;
    expect(firing.body.incidents).toEqual([
      { key, action: 'opened', dedup_key: '7c3a1e4f9b2d6a08' },
      { key, action: 'grouped', dedup_key: 'e91b0c5d2f7a4436' },
    ]);
    const opened = await incident(org, key);
    expect(opened).toMatchObject({
      title: 'HighErrorRate: Checkout 5xx ratio above 5% on checkout-7d9f8b6c4-x2kqp',
      severity: 'P1',
      auto_classified: false,
      source: 'alert',
      started_at: '2026-11-28T09:12:05.328Z',
    });
    expect(opened.description).toContain('5.8% of requests to checkout returned 5xx');
    expect(opened.description).toContain('Runbook: https://runbooks.example.com/checkout/high-error-rate');

    // Alertmanager repeats the notification: no new incident, an `alert` entry on the open one.
    const repeat = await postBearer(t.url, source.id, source.bearer_token, fixture('alertmanager-firing'));
    expect(repeat.body.incidents.map((i: { key: string; action: string }) => [i.key, i.action])).toEqual([
      [key, 'appended'],
      [key, 'appended'],
    ]);
    expect((await incidentsOf(org)).total).toBe(1);

    const one = await postBearer(t.url, source.id, source.bearer_token, fixture('alertmanager-resolved-one'));
    expect(one.body.incidents.map((i: { action: string }) => i.action)).toEqual(['alert_resolved', 'appended']);
    expect((await incident(org, key)).status).toBe('open');

    const all = await postBearer(t.url, source.id, source.bearer_token, fixture('alertmanager-resolved-all'));
    expect(all.body.incidents.map((i: { action: string }) => i.action)).toEqual(['unchanged', 'resolved']);
    const resolved = await incident(org, key);
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolved_at).not.toBeNull();
    const entries = await timeline(org, key);
    expect(entries.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'alert',
      'alert',
      'alert',
      'alert',
      'alert',
      'alert',
      'alert',
      'alert',
      'status_changed',
    ]);
    expect(entries[8].message).toMatch(/every alert of this incident has resolved/i);
    expect(entries[9]).toMatchObject({
      type: 'status_changed',
      actor_id: null,
      data: { from: 'open', to: 'resolved' },
    });

    // Firing again after the incident resolved opens a new incident.
    const reopened = await postBearer(t.url, source.id, source.bearer_token, fixture('alertmanager-firing'));
    expect(reopened.body.incidents[0].action).toBe('opened');
    expect(reopened.body.incidents[0].key).not.toBe(key);
    expect((await incidentsOf(org)).total).toBe(2);
  });

  it('reads a Grafana notification: summary title, values in the description, default service and severity, auto-resolve', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service({ name: 'Postgres' });
    const source = await org.webhookSource({ kind: 'grafana', default_service_id: service.id, default_severity: 'P3' });
    const firing = await postBearer(t.url, source.id, source.bearer_token, fixture('grafana-firing'));
    expect(firing.status).toBe(202);
    const key = firing.body.incidents[0].key;
    expect(firing.body.incidents[0]).toEqual({ key, action: 'opened', dedup_key: '4f1e7ac2b9d05e31' });
    const opened = await incident(org, key);
    expect(opened).toMatchObject({
      title: 'Disk space low: db-primary-1 is running out of disk space',
      severity: 'P3',
      auto_classified: false,
      service_id: service.id,
      started_at: '2026-11-28T09:02:10.157Z',
    });
    expect(opened.description).toContain('Values: A=8.735, B=1');
    const resolved = await postBearer(t.url, source.id, source.bearer_token, fixture('grafana-resolved'));
    expect(resolved.body.incidents).toEqual([{ key, action: 'resolved', dedup_key: '4f1e7ac2b9d05e31' }]);
    expect((await incident(org, key)).status).toBe('resolved');
  });

  it("keeps an alert's own severity over the source default, and lets the classifier decide when there is none", async () => {
    const org = await seedOrg(t.url);
    const withDefault = await org.webhookSource({ default_severity: 'P4' });
    const own = await postSigned(t.url, withDefault.id, withDefault.signing_secret, {
      title: 'Payments API is down',
      severity: 'critical',
    });
    expect((await incident(org, own.body.incidents[0].key)).severity).toBe('P1');

    const bare = await org.webhookSource();
    const classified = await postSigned(t.url, bare.id, bare.signing_secret, {
      title: 'Checkout is down for all users',
    });
    const opened = await incident(org, classified.body.incidents[0].key);
    expect(opened).toMatchObject({ auto_classified: true, severity: 'P1', classification_model: 'argus-severity-v1' });
    expect(opened.classification_confidence).toBeGreaterThan(0);

    const grafana = await org.webhookSource({ kind: 'grafana' });
    const noLabel = await postBearer(t.url, grafana.id, grafana.bearer_token, fixture('grafana-firing'));
    expect((await incident(org, noLabel.body.incidents[0].key)).auto_classified).toBe(true);
  });

  it('acknowledges and resolves through the generic actions, and ignores a resolve with no open incident', async () => {
    const org = await seedOrg(t.url);
    const source = await org.webhookSource();
    const post = (body: object) => postSigned(t.url, source.id, source.signing_secret, body);
    const opened = await post({ title: 'Backups failing', severity: 'P2', dedup_key: 'backup' });
    const key = opened.body.incidents[0].key;
    const ack = await post({ dedup_key: 'backup', action: 'acknowledge' });
    expect(ack.body.incidents).toEqual([{ key, action: 'acknowledged', dedup_key: 'backup' }]);
    expect(await incident(org, key)).toMatchObject({ status: 'acknowledged' });
    expect((await post({ dedup_key: 'backup', action: 'acknowledge' })).body.incidents[0].action).toBe('unchanged');
    const resolve = await post({ dedup_key: 'backup', action: 'resolve' });
    expect(resolve.body.incidents).toEqual([{ key, action: 'resolved', dedup_key: 'backup' }]);
    expect((await incident(org, key)).status).toBe('resolved');
    const stray = await post({ dedup_key: 'never-fired', action: 'resolve' });
    expect(stray.body.incidents).toEqual([{ key: null, action: 'ignored', dedup_key: 'never-fired' }]);
  });

  it('appends to an incident a person is working on, and opens a new one once people resolved it', async () => {
    const org = await seedOrg(t.url);
    const source = await org.webhookSource();
    const post = () =>
      postSigned(t.url, source.id, source.signing_secret, {
        title: 'Cache hit ratio below 50%',
        severity: 'P3',
        dedup_key: 'cache',
      });
    const key = (await post()).body.incidents[0].key;
    await rest(t.url, 'PATCH', `/incidents/${key}`, { token: org.owner.token, body: { status: 'investigating' } });
    expect((await post()).body.incidents[0]).toMatchObject({ key, action: 'appended' });
    expect((await incident(org, key)).status).toBe('investigating');
    await rest(t.url, 'PATCH', `/incidents/${key}`, { token: org.owner.token, body: { status: 'resolved' } });
    const next = (await post()).body.incidents[0];
    expect(next.action).toBe('opened');
    expect(next.key).not.toBe(key);
  });
});

describe('inbound alerts: isolation', () => {
  it("refuses another organization's source id with its own secret (401) and never touches that organization's incidents", async () => {
    const victim = await seedOrg(t.url);
    const attacker = await seedOrg(t.url);
    const victimSource = await victim.webhookSource();
    const attackerSource = await attacker.webhookSource();
    const opened = await postSigned(t.url, victimSource.id, victimSource.signing_secret, {
      title: 'Real alert',
      severity: 'P2',
      dedup_key: 'shared-key',
    });
    const key = opened.body.incidents[0].key;

    const resolveAttempt = await postSigned(t.url, victimSource.id, attackerSource.signing_secret, {
      dedup_key: 'shared-key',
      action: 'resolve',
    });
    expect(resolveAttempt.status).toBe(401);
    const bearerAttempt = await postBearer(t.url, victimSource.id, attacker.owner.token, {
      dedup_key: 'shared-key',
      action: 'resolve',
    });
    expect(bearerAttempt.status).toBe(401);

    // The same dedup key at the attacker's own source only ever reaches the attacker's organization.
    const own = await postSigned(t.url, attackerSource.id, attackerSource.signing_secret, {
      dedup_key: 'shared-key',
      action: 'resolve',
    });
    expect(own.body.incidents).toEqual([{ key: null, action: 'ignored', dedup_key: 'shared-key' }]);
    const mine = await postSigned(t.url, attackerSource.id, attackerSource.signing_secret, {
      title: 'Attacker alert',
      severity: 'P4',
      dedup_key: 'shared-key',
    });
    expect(mine.body.incidents[0].action).toBe('opened');

    expect((await incident(victim, key)).status).toBe('open');
    expect((await timeline(victim, key)).length).toBe(2);
    expect((await incidentsOf(victim)).total).toBe(1);
    expect((await incidentsOf(attacker)).items.map((i: { title: string }) => i.title)).toEqual(['Attacker alert']);
    expect(
      (await rest(t.url, 'GET', `/webhook-sources/${victimSource.id}`, { token: attacker.owner.token })).status,
    ).toBe(404);
  });
});
