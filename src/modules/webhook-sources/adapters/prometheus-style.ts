import { AppError } from '../../../core/errors.js';
import {
  MAX_DESCRIPTION,
  MAX_TITLE,
  NormalizedAlert,
  asObject,
  dedupKey,
  excerpt,
  optionalString,
  optionalTime,
  severityFromWord,
  sha256Hex,
  stringMap,
  truncate,
} from '../normalized-alert.js';

/** What differs between Alertmanager's and Grafana's notifications, which otherwise share one shape. */
export interface GroupFormat {
  /** Extra description lines from an alert (Grafana's evaluated values). */
  extraLines?: (alert: Record<string, unknown>) => string[];
}

/**
 * A notification of a group of alerts, as Alertmanager (webhook version 4) and Grafana alerting send it:
 * `{status, groupKey, alerts: [{status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint}], ...}`.
 * One normalized alert per alert: keyed by its fingerprint (or, without one, by the group key and its labels), titled
 * by its `summary` annotation and `alertname` label, with the severity of its `severity` label.
 */
export function adaptAlertGroup(payload: unknown, format: GroupFormat = {}): NormalizedAlert[] {
  const body = asObject(payload, 'body');
  const groupKey = optionalString(body.groupKey, 'groupKey', 10000) ?? null;
  const groupStatus = body.status;
  if (!Array.isArray(body.alerts) || body.alerts.length === 0)
    throw AppError.validation('alerts', 'must be a non-empty array');
  return body.alerts.map((item: unknown, i: number) => {
    const field = (name: string) => `alerts[${i}].${name}`;
    const alert = asObject(item, `alerts[${i}]`);
    const status = alert.status ?? groupStatus;
    if (status !== 'firing' && status !== 'resolved')
      throw AppError.validation(field('status'), 'must be firing or resolved');
    const labels = stringMap(alert.labels, field('labels'));
    const annotations = stringMap(alert.annotations, field('annotations'));
    const fingerprint = dedupKey(alert.fingerprint, field('fingerprint'));
    const key =
      fingerprint ??
      `labels:${sha256Hex(`${groupKey ?? ''}\n${JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)))}`)}`;
    const summary = annotations.summary?.trim();
    const name = labels.alertname?.trim();
    const title = summary && name && !summary.includes(name) ? `${name}: ${summary}` : summary || name || 'Alert';
    const lines = [
      annotations.description ?? annotations.message,
      ...(format.extraLines?.(alert) ?? []),
      annotations.runbook_url && `Runbook: ${annotations.runbook_url}`,
      optionalString(alert.generatorURL, field('generatorURL')) && `Source: ${alert.generatorURL as string}`,
    ].filter((line): line is string => Boolean(line?.trim()));
    return {
      dedupKey: key,
      status,
      title: truncate(title, MAX_TITLE),
      description: lines.length ? truncate(lines.join('\n'), MAX_DESCRIPTION) : null,
      severity: severityFromWord(labels.severity ?? labels.priority),
      labels,
      startsAt: optionalTime(alert.startsAt, field('startsAt')),
      endsAt: status === 'resolved' ? optionalTime(alert.endsAt, field('endsAt')) : null,
      groupKey,
      payload: excerpt(alert),
    };
  });
}
