import { randomUUID } from 'node:crypto';
import { TestApp, startTestApp } from '../support/app';
import { rest } from '../support/client';
import { postSigned } from '../support/inbound';
import { WebhookReceiver } from '../support/receiver';
import { SeedOrg, seedOrg } from '../support/seed';
import { camelCaseKeys, takeSnakeCaseViolations } from '../support/snake-case';
import { ManualClock } from '../../src/core/clock';
import { EVENT_TYPES } from '../../src/modules/events/event-types';

/**
 * "Flat snake_case bodies" (docs/API.md §1) across every REST route and every webhook event type: a run that writes a
 * record of every kind, a timeline entry of every type and an event of every type, then reads every GET route of the
 * served OpenAPI document. Every REST answer any test reads through `rest()` and every webhook any receiver gets is
 * walked too (tests/support/snake-case.ts); this run makes sure each route and event type is among them.
 */
const clock = new ManualClock();
let t: TestApp;
let receiver: WebhookReceiver;
let org: SeedOrg;
beforeAll(async () => {
  clock.set(new Date());
  t = await startTestApp({ LOG_LEVEL: 'error' }, { clock });
  receiver = await new WebhookReceiver().start();
  org = await seedOrg(t.url);
});
afterAll(async () => {
  await receiver.stop();
  await t.close();
});

describe('the camelCase check', () => {
  it('finds a camelCase key at any depth, and leaves JSON returned as sent alone', () => {
    const body = {
      items: [{ id: '1', data: { sla_policy_id: null, autoClassified: true } }],
      webhook_source: { signingSecret: 'x' },
      attributes: { engineVersion: '16' },
      data: { labels: { instanceId: 'i-1' } },
    };
    expect(camelCaseKeys(body)).toEqual(['$.items[0].data.autoClassified', '$.webhook_source.signingSecret']);
  });
});

describe('every REST answer and every webhook payload', () => {
  it('has snake_case keys only, on every GET route and for every event and timeline type', async () => {
    const token = org.owner.token;
    const post = async (path: string, body: Record<string, unknown>) => {
      const res = await rest(t.url, 'POST', path, { token, body });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const patch = async (path: string, body: Record<string, unknown>) => {
      const res = await rest(t.url, 'PATCH', path, { token, body });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const hookPath = `/hook/${org.owner.id}`;
    const rule = await post('/alert-rules', {
      name: 'Everything',
      event_types: [...EVENT_TYPES],
      target_url: `${receiver.url}${hookPath}`,
    });
    const responder = await org.user('responder');
    const team = await post('/teams', { name: 'Payments', member_ids: [org.owner.id] });
    const service = await post('/services', { name: 'Checkout', tier: 1, team_id: team.id });
    const sla = await post('/sla-policies', {
      name: 'P1 fast',
      severity: 'P1',
      response_minutes: 1,
      resolution_minutes: 2,
    });
    const incident = await post('/incidents', { title: 'Checkout is down', severity: 'P1', service_id: service.id });
    const classified = await post('/incidents', { title: 'Payments API answers 502 for every request' });
    expect(incident.sla_policy_id).toBe(sla.id);

    // Every timeline type and incident event: updated, severity, assignment, comment, lifecycle with a reopen.
    await patch(`/incidents/${incident.key}`, { title: 'Checkout is down for all users' });
    await patch(`/incidents/${incident.key}`, { assignee_id: responder.id });
    await post('/incident-events', { incident_id: incident.key, message: 'Rolled back the deploy' });
    const problem = await post('/problems', { title: 'Connection pool exhaustion', incident_ids: [incident.key] });
    await patch(`/problems/${problem.key}`, { workaround: 'Restart the pool' });
    await patch(`/problems/${problem.key}`, { status: 'investigating' });
    await patch(`/incidents/${incident.key}`, { problem_id: null });
    const source = await post('/webhook-sources', { name: 'Cron', kind: 'generic' });
    expect(
      (await postSigned(t.url, source.id, source.signing_secret, { title: 'Invoices late', dedup_key: 'inv-1' }))
        .status,
    ).toBe(202);
    clock.set(new Date(clock.now().getTime() + 5 * 60_000));
    await t.app.slaBreachJob.runOnce(clock.now());
    await patch(`/incidents/${incident.key}`, { severity: 'P2' });
    for (const status of ['acknowledged', 'mitigated', 'resolved', 'open', 'resolved', 'closed'])
      await patch(`/incidents/${incident.key}`, { status });
    const postmortem = await post('/postmortems', {
      incident_id: incident.key,
      title: 'Checkout outage',
      action_items: [{ description: 'Drill' }],
    });
    await patch(`/postmortems/${postmortem.id}`, { status: 'in_review' });
    await patch(`/postmortems/${postmortem.id}`, { status: 'published' });
    const change = await post('/change-requests', {
      title: 'Raise max_connections',
      planned_start: '2030-03-01T22:00:00Z',
      planned_end: '2030-03-01T23:00:00Z',
    });
    await patch(`/change-requests/${change.key}`, { description: 'From 100 to 300' });
    await patch(`/change-requests/${change.key}`, { status: 'submitted' });

    const schedule = await org.onCallSchedule();
    const policy = await post('/escalation-policies', {
      name: 'Primary',
      levels: [{ delay_minutes: 15, target_ids: [org.owner.id, schedule.id] }],
    });
    await post('/assets', {
      name: 'pg-primary',
      type: 'database',
      hostname: 'pg1.internal',
      attributes: { engine_version: '16.4' },
    });
    const view = await post('/saved-views', { name: 'Open P1s', query: 'severity=P1&status=open', shared: true });
    const domain = `${randomUUID()}.example`;
    const provider = await post('/identity-providers', {
      issuer: 'http://127.0.0.1:9/realms/argus',
      client_id: 'argus',
      client_secret: 'a client secret',
      allowed_domains: [domain],
    });
    const apiToken = await post('/api-tokens', { name: 'CI', role: 'viewer' });
    const imported = await post('/incidents/import', {
      rows: [
        {
          external_id: 'OG-1',
          title: 'Imported outage',
          severity: 'P3',
          status: 'resolved',
          started_at: '2026-01-01T00:00:00Z',
        },
      ],
    });
    await post('/ai/classify', { title: 'Checkout is down', description: 'Customers cannot pay' });
    await post('/ai/postmortem-draft', { incident_id: classified.key, persist: false });
    await post(`/alert-rules/${rule.id}/rotate-secret`, {});
    await post(`/webhook-sources/${source.id}/rotate-secret`, {});

    // Deliver everything queued, then read every GET route of the document.
    for (let i = 0; i < 100 && (await t.app.deliveryWorker.runOnce()) > 0; i++);
    const deliveries = (await rest(t.url, 'GET', '/webhook-deliveries?limit=100', { token })).body.items;
    const audit = (await rest(t.url, 'GET', '/audit-events?limit=1', { token })).body.items[0];
    const ids: Record<string, string> = {
      users: responder.id,
      teams: team.id,
      services: service.id,
      incidents: incident.key,
      'incidents/import': imported.id,
      'incident-events': (await rest(t.url, 'GET', `/incident-events?incident_id=${incident.key}&limit=1`, { token }))
        .body.items[0].id,
      problems: problem.key,
      'change-requests': change.key,
      assets: (await rest(t.url, 'GET', '/assets?limit=1', { token })).body.items[0].id,
      postmortems: postmortem.id,
      'alert-rules': rule.id,
      'webhook-deliveries': deliveries[0].id,
      'on-call-schedules': schedule.id,
      'escalation-policies': policy.id,
      'sla-policies': sla.id,
      'webhook-sources': source.id,
      'ai/similar-incidents': incident.key,
      'audit-events': audit.id,
      'saved-views': view.id,
      'identity-providers': provider.id,
      'api-tokens': apiToken.id,
    };
    const query: Record<string, string> = {
      '/api/v1/auth/sso/discover': `?email=someone@${domain}`,
      '/api/v1/search': '?q=checkout',
      '/api/v1/escalation-policies/{policyId}/plan': `?incident_id=${incident.key}`,
    };
    const doc = await (await fetch(`${t.url}/api/v1/openapi.json`)).json();
    const answers: string[] = [];
    // The single sign-on start and callback answer a browser with redirects, not bodies.
    const redirects = new Set(['/api/v1/auth/sso/{slug}/start', '/api/v1/auth/sso/callback']);
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      if (!operations.get || redirects.has(path)) continue;
      const base = path.replace('/api/v1/', '').replace(/\/\{\w+\}.*$/, '');
      const concrete = path.replace(/\{\w+\}/, ids[base] ?? 'missing').replace('/api/v1', '') + (query[path] ?? '');
      const res = await rest(t.url, 'GET', concrete, { token });
      answers.push(`${res.status} GET ${concrete}`);
    }
    // Lists hold every timeline type, for both incidents.
    for (const key of [incident.key, classified.key])
      await rest(t.url, 'GET', `/incident-events?incident_id=${key}&limit=100`, { token });
    const timeline = (await rest(t.url, 'GET', `/incident-events?incident_id=${incident.key}&limit=100`, { token }))
      .body.items;

    expect(answers.filter((a) => !a.startsWith('200 '))).toEqual([]);
    expect(answers.length).toBeGreaterThanOrEqual(30);
    expect(new Set(timeline.map((e: { type: string }) => e.type))).toEqual(
      new Set([
        'created',
        'updated',
        'status_changed',
        'severity_changed',
        'assigned',
        'comment',
        'problem_linked',
        'problem_unlinked',
        'sla_breached',
      ]),
    );
    const created = timeline.find((e: { type: string }) => e.type === 'created');
    expect(Object.keys(created.data).sort()).toEqual([
      'auto_classified',
      'severity',
      'sla_policy_id',
      'status',
      'suggested_severity',
    ]);
    const alerts = (await rest(t.url, 'GET', `/incident-events?type=alert&limit=10`, { token })).body.items;
    expect(alerts[0].data).toMatchObject({ source_id: source.id, source_name: 'Cron', dedup_key: 'inv-1' });

    const delivered = receiver.received.filter((r) => r.path === hookPath);
    expect(new Set(delivered.map((r) => r.json.type))).toEqual(new Set(EVENT_TYPES));
    const { violations, checked } = takeSnakeCaseViolations();
    expect(violations).toEqual([]);
    expect(checked).toBeGreaterThan(answers.length + delivered.length);
  });
});
