import { adaptAlertmanager } from '../../src/modules/webhook-sources/adapters/alertmanager';
import { adaptGeneric } from '../../src/modules/webhook-sources/adapters/generic';
import { adaptGrafana } from '../../src/modules/webhook-sources/adapters/grafana';
import { excerpt, severityFromWord } from '../../src/modules/webhook-sources/normalized-alert';
import { Severity } from '../../src/modules/incidents/incident.enums';
import { AppError } from '../../src/core/errors';
import { fixture } from '../support/inbound';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.details?.[0]?.field;
    throw error;
  }
  return undefined;
}

describe('severity words', () => {
  it.each([
    ['critical', Severity.P1],
    ['CRITICAL', Severity.P1],
    ['error', Severity.P2],
    ['major', Severity.P2],
    ['warning', Severity.P3],
    ['info', Severity.P4],
    ['p2', Severity.P2],
    [' P4 ', Severity.P4],
  ])('maps %s to %s', (word, severity) => {
    expect(severityFromWord(word)).toBe(severity);
  });

  it('leaves unknown words and no word to the default or the classifier', () => {
    expect(severityFromWord('sev-banana')).toBeUndefined();
    expect(severityFromWord(undefined)).toBeUndefined();
  });
});

describe('generic adapter', () => {
  it('normalizes a trigger', () => {
    const [alert] = adaptGeneric({
      title: ' Disk full ',
      description: 'on db-1',
      severity: 'P2',
      dedup_key: 'disk-db-1',
      labels: { host: 'db-1', cpu: 4 },
      started_at: '2026-11-28T08:00:00Z',
    });
    expect(alert).toMatchObject({
      dedupKey: 'disk-db-1',
      status: 'firing',
      title: 'Disk full',
      description: 'on db-1',
      severity: Severity.P2,
      labels: { host: 'db-1', cpu: '4' },
      groupKey: null,
    });
    expect(alert.startsAt?.toISOString()).toBe('2026-11-28T08:00:00.000Z');
  });

  it('keys a trigger without dedup_key by its title, so repeats collapse', () => {
    const a = adaptGeneric({ title: 'Disk full' })[0];
    const b = adaptGeneric({ title: 'Disk full', description: 'again' })[0];
    const c = adaptGeneric({ title: 'Disk almost full' })[0];
    expect(a.dedupKey).toBe(b.dedupKey);
    expect(a.dedupKey).not.toBe(c.dedupKey);
    expect(a.severity).toBeUndefined();
  });

  it('maps the actions', () => {
    expect(adaptGeneric({ dedup_key: 'k', action: 'acknowledge' })[0].status).toBe('acknowledged');
    expect(adaptGeneric({ dedup_key: 'k', action: 'resolve' })[0]).toMatchObject({ status: 'resolved', title: 'k' });
  });

  it.each([
    [[], 'body'],
    [{ severity: 'P1' }, 'title'],
    [{ title: 'x', action: 'snooze' }, 'action'],
    [{ action: 'resolve' }, 'dedup_key'],
    [{ title: 'x', severity: 'P7' }, 'severity'],
    [{ title: 'x', dedup_key: '' }, 'dedup_key'],
    [{ title: 'x', labels: { a: { nested: true } } }, 'labels.a'],
    [{ title: 'x', started_at: 'last tuesday' }, 'started_at'],
    [{ title: 'x', routing_key: 'abc' }, 'routing_key'],
  ])('refuses %j naming %s', (payload, field) => {
    expect(fieldOf(() => adaptGeneric(payload))).toBe(field);
  });
});

describe('Alertmanager adapter', () => {
  it('turns each alert of a version 4 notification into one normalized alert', () => {
    const alerts = adaptAlertmanager(fixture('alertmanager-firing'));
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({
      dedupKey: '7c3a1e4f9b2d6a08',
      status: 'firing',
      title: 'HighErrorRate: Checkout 5xx ratio above 5% on checkout-7d9f8b6c4-x2kqp',
      severity: Severity.P1,
      groupKey: '{}/{namespace="payments"}:{alertname="HighErrorRate"}',
      endsAt: null,
    });
    expect(alerts[0].labels.instance).toBe('checkout-7d9f8b6c4-x2kqp:8080');
    expect(alerts[0].startsAt?.toISOString()).toBe('2026-11-28T09:12:05.328Z');
    expect(alerts[0].description).toMatch(
      /^5\.8% of requests.*\nRunbook: https:\/\/runbooks\.example\.com\/checkout\/high-error-rate\nSource: http:\/\/prometheus/s,
    );
    expect(alerts[1].dedupKey).toBe('e91b0c5d2f7a4436');
  });

  it('reads resolved alerts with their end time', () => {
    const [resolved, firing] = adaptAlertmanager(fixture('alertmanager-resolved-one'));
    expect(resolved).toMatchObject({ status: 'resolved' });
    expect(resolved.endsAt?.toISOString()).toBe('2026-11-28T09:31:05.328Z');
    expect(firing).toMatchObject({ status: 'firing', endsAt: null });
  });

  it('keys an alert without fingerprint (older Alertmanager) by its group and labels, whatever the label order', () => {
    const payload = fixture('alertmanager-firing');
    for (const alert of payload.alerts) delete alert.fingerprint;
    const [first] = adaptAlertmanager(payload);
    const reordered = fixture('alertmanager-firing');
    delete reordered.alerts[0].fingerprint;
    reordered.alerts[0].labels = Object.fromEntries(Object.entries(reordered.alerts[0].labels).reverse());
    expect(adaptAlertmanager(reordered)[0].dedupKey).toBe(first.dedupKey);
    expect(first.dedupKey).toMatch(/^labels:[0-9a-f]{64}$/);
    expect(adaptAlertmanager(payload)[1].dedupKey).not.toBe(first.dedupKey);
  });

  it('falls back to the alert name for the title and to no severity', () => {
    const payload = fixture('alertmanager-firing');
    payload.alerts = [{ ...payload.alerts[0], annotations: {}, labels: { alertname: 'TargetDown' } }];
    expect(adaptAlertmanager(payload)[0]).toMatchObject({ title: 'TargetDown', severity: undefined });
  });

  it.each([
    [(p: any) => ({ ...p, version: '3' }), 'version'],
    [(p: any) => ({ ...p, alerts: [] }), 'alerts'],
    [(p: any) => ({ ...p, alerts: 'none' }), 'alerts'],
    [(p: any) => ({ ...p, alerts: [{ ...p.alerts[0], status: 'pending' }] }), 'alerts[0].status'],
    [(p: any) => ({ ...p, alerts: [p.alerts[0], { ...p.alerts[1], labels: [] }] }), 'alerts[1].labels'],
    [(p: any) => ({ ...p, alerts: [{ ...p.alerts[0], fingerprint: 42 }] }), 'alerts[0].fingerprint'],
  ])('refuses a malformed notification (%#) naming %s', (mutate, field) => {
    expect(fieldOf(() => adaptAlertmanager(mutate(fixture('alertmanager-firing'))))).toBe(field);
  });
});

describe('Grafana adapter', () => {
  it('normalizes a Grafana alerting notification with its values', () => {
    const [alert] = adaptGrafana(fixture('grafana-firing'));
    expect(alert).toMatchObject({
      dedupKey: '4f1e7ac2b9d05e31',
      status: 'firing',
      title: 'Disk space low: db-primary-1 is running out of disk space',
      severity: undefined,
    });
    expect(alert.startsAt?.toISOString()).toBe('2026-11-28T09:02:10.157Z');
    expect(alert.description).toContain('Free space on /var/lib/postgresql is below 10%.');
    expect(alert.description).toContain('Values: A=8.735, B=1');
    expect(alert.description).toContain('Dashboard: https://grafana.example.com/d/node-exporter?orgId=1');
  });

  it('uses valueString when there are no values, and a severity label when there is one', () => {
    const payload = fixture('grafana-firing');
    delete payload.alerts[0].values;
    payload.alerts[0].labels.severity = 'warning';
    const [alert] = adaptGrafana(payload);
    expect(alert.description).toContain("Values: [ var='A'");
    expect(alert.severity).toBe(Severity.P3);
  });

  it('reads a resolved notification', () => {
    const [alert] = adaptGrafana(fixture('grafana-resolved'));
    expect(alert.status).toBe('resolved');
    expect(alert.endsAt?.toISOString()).toBe('2026-11-28T09:40:10.157Z');
  });
});

describe('payload excerpt', () => {
  it('keeps a small alert whole and cuts a huge one down to labels and annotations', () => {
    const small = { labels: { a: '1' } };
    expect(excerpt(small)).toBe(small);
    const huge = { labels: { a: '1' }, annotations: { description: 'x'.repeat(20000) }, blob: 'y'.repeat(20000) };
    const cut = excerpt(huge);
    expect(cut).toMatchObject({ truncated: true, labels: { a: '1' } });
    expect(JSON.stringify(cut).length).toBeLessThan(1000);
  });
});
