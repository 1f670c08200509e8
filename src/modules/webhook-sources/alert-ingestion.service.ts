import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { AppError } from '../../core/errors.js';
import { assertInputValue } from '../../core/input-bounds.js';
import { forkForOrganization } from '../../db/tenancy.js';
import type { Clock } from '../../core/clock.js';
import type { IncidentService } from '../incidents/incident.service.js';
import { INCIDENT_KEY_PREFIX, Incident } from '../incidents/incident.entity.js';
import { Severity } from '../incidents/incident.enums.js';
import { WebhookSource, WebhookSourceKind } from './webhook-source.entity.js';
import { Alert, AlertStatus } from './alert.entity.js';
import { WebhookReceipt } from './webhook-receipt.entity.js';
import { PAYLOAD_ADAPTERS } from './adapters/index.js';
import type { NormalizedAlert } from './normalized-alert.js';
import { SourceInfo, verifySource } from './source-verification.js';
import { OpenAlerts, readOpenAlerts } from './open-alerts.js';
import type { IngestGate } from './ingest-gate.js';
import { AlertAppend, appendAlerts, openAlertsByKey, receiptSummary } from '../../db/fast/alert-appends.js';
import { fastPathOn } from '../../db/fast/switches.js';
import { timeOrderedId } from '../../core/ids.js';
import { isTransient, lockAlertKeys, retryPause } from './alert-locks.js';

export interface InboundAlertRequest {
  sourceId: string;
  /** The raw body: a signature covers these exact bytes. */
  body: Buffer;
  headers: IncomingHttpHeaders;
}

/**
 * What became of each alert: `opened` a new incident, `grouped` into the open incident of its notification group,
 * `appended` to the open incident of the same alert, `alert_resolved` (the incident still has firing alerts),
 * `resolved` the incident (its last alert resolved), `acknowledged` it, `unchanged` (nothing to do), or `ignored`
 * (no open incident for a resolve or acknowledge).
 */
export type AlertAction =
  'opened' | 'grouped' | 'appended' | 'alert_resolved' | 'resolved' | 'acknowledged' | 'unchanged' | 'ignored';

export interface IngestionSummary {
  incidents: Array<{ key: string | null; action: AlertAction; dedup_key: string }>;
  /** Present on the answer to a replayed webhook-id: the first answer, with no second effect. */
  replayed?: true;
}

/** Processed webhook ids are kept a day: signatures older than 5 minutes are refused anyway. */
const RECEIPT_RETENTION_MS = 24 * 3600_000;
/** How often one process writes a source's last_alert_at, and deletes expired receipts. */
const LAST_ALERT_EVERY_MS = 1000;
const RECEIPT_CLEANUP_EVERY_MS = 60_000;
/** Tries of one request's transaction when PostgreSQL ends it for a deadlock or a serialization failure. */
const MAX_ATTEMPTS = 5;

const SEVERITY_ORDER = [Severity.P1, Severity.P2, Severity.P3, Severity.P4];

/**
 * Inbound alerts: verifies the source, turns its payload into normalized alerts, passes the source's budget and the
 * ingest queue (IngestGate), and opens, updates, acknowledges or resolves incidents, all in one transaction per
 * request, answered only after it commits. Requests of one source run side by side; what must not interleave (one
 * dedup key, one notification group, one webhook-id) is serialized by transaction-scoped advisory locks
 * (alert-locks.ts), which hold across every process on the database.
 */
export class AlertIngestionService {
  private readonly lastAlertWritten = new Map<string, number>();
  private lastCleanup = 0;

  constructor(
    private readonly incidents: IncidentService,
    private readonly clock: Clock,
    private readonly gate: IngestGate,
  ) {}

  /** Alerts waiting for an ingest slot in this process now. */
  get queuedAlerts(): number {
    return this.gate.queued;
  }

  async ingest(root: EntityManager, request: InboundAlertRequest, log: Logger): Promise<IngestionSummary> {
    const { source: info, kind, webhookId } = await verifySource(root, request, log);
    const alerts = PAYLOAD_ADAPTERS[kind](parseJson(request.body));
    const summary = await refusedAsTheSenderRetries(kind, async () => {
      await this.gate.spend(info.id, alerts.length);
      return this.gate.run(info.id, alerts.length, () => this.applyWithRetries(root, info, webhookId, alerts, log));
    });
    // The alerts are committed: bookkeeping that fails now is logged, never turned into an error for the sender.
    await this.afterCommit(root, info.id).catch((error: unknown) =>
      log.warn({ err: error, webhookSourceId: info.id }, 'inbound alert bookkeeping failed'),
    );
    return summary;
  }

  private async applyWithRetries(
    root: EntityManager,
    source: SourceInfo,
    webhookId: string | null,
    alerts: NormalizedAlert[],
    log: Logger,
  ): Promise<IngestionSummary> {
    for (let attempt = 1; ; attempt++) {
      const em = forkForOrganization(root, source.organizationId);
      try {
        return await em.transactional((tem) => this.apply(tem, source, webhookId, alerts));
      } catch (error) {
        const transient = isTransient(error);
        if (!transient) throw error;
        log.warn({ err: error, attempt, webhookSourceId: source.id }, 'inbound alert transaction retried');
        if (attempt >= MAX_ATTEMPTS) {
          // Shedding on purpose: the sender retries later, and nothing of this request was kept.
          throw new AppError('RATE_LIMITED', 'Argus is busy with conflicting alerts; try again in 1 s', undefined, {
            'Retry-After': '1',
          });
        }
        await retryPause(attempt);
      }
    }
  }

  /** Bookkeeping outside the request's transaction, at most once a second per source and once a minute per process. */
  private async afterCommit(root: EntityManager, sourceId: string): Promise<void> {
    const now = this.clock.now();
    const connection = root.getConnection();
    if (now.getTime() - (this.lastAlertWritten.get(sourceId) ?? 0) >= LAST_ALERT_EVERY_MS) {
      this.lastAlertWritten.set(sourceId, now.getTime());
      await connection.execute(
        'update webhook_sources set last_alert_at = ? where id = ? and (last_alert_at is null or last_alert_at < ?)',
        [now, sourceId, now],
      );
    }
    if (Date.now() - this.lastCleanup >= RECEIPT_CLEANUP_EVERY_MS) {
      this.lastCleanup = Date.now();
      await connection.execute('delete from webhook_receipts where created_at < ?', [
        new Date(Date.now() - RECEIPT_RETENTION_MS),
      ]);
    }
  }

  private async apply(
    em: EntityManager,
    info: SourceInfo,
    webhookId: string | null,
    alerts: NormalizedAlert[],
  ): Promise<IngestionSummary> {
    await lockAlertKeys(em, info.id, webhookId, alerts);
    if (webhookId) {
      const first = await receiptSummary(em, info.id, webhookId);
      if (first) return { ...(first as unknown as IngestionSummary), replayed: true };
    }
    const now = this.clock.now();
    const appended = await this.appendOnly(em, info, webhookId, alerts, now);
    if (appended) return appended;
    const source = em.getReference(WebhookSource, info.id);
    const open = await readOpenAlerts(em, source, alerts);
    const summary: IngestionSummary = { incidents: [] };
    for (const alert of alerts) {
      const result = await this.applyOne(em, info, source, alert, alerts, open, now);
      summary.incidents.push({ key: result.incident?.key() ?? null, action: result.action, dedup_key: alert.dedupKey });
    }
    if (webhookId) em.create(WebhookReceipt, { source, webhookId, summary: { ...summary } });
    await em.flush();
    return summary;
  }

  /**
   * The storm's common case without the ORM: when every alert of the request fires again on the open incident of its
   * own key (distinct keys), one read locks those incidents and one statement writes the counts, the timeline entries
   * and the receipt. Null when any alert needs more (to open, join, resolve or acknowledge): the general path then.
   */
  private async appendOnly(
    em: EntityManager,
    info: SourceInfo,
    webhookId: string | null,
    alerts: NormalizedAlert[],
    now: Date,
  ): Promise<IngestionSummary | null> {
    const keys = alerts.map((a) => a.dedupKey);
    if (!fastPathOn('alert-appends') || alerts.some((a) => a.status !== 'firing') || new Set(keys).size !== keys.length)
      return null;
    const open = await openAlertsByKey(em, info.id, keys);
    if (open.size !== keys.length) return null;
    const appends: AlertAppend[] = alerts.map((alert) => {
      const current = open.get(alert.dedupKey)!;
      return {
        alertId: current.alertId,
        incidentId: current.incidentId,
        title: alert.title,
        labels: alert.labels,
        payload: alert.payload,
        eventId: timeOrderedId(),
        message: `${current.status === 'resolved' ? 'Alert firing again' : 'Alert still firing'}: ${alert.title}`,
        data: {
          source_id: info.id,
          source_name: info.name,
          dedup_key: alert.dedupKey,
          status: alert.status,
          labels: alert.labels,
        },
      };
    });
    const summary: IngestionSummary = {
      incidents: alerts.map((a) => ({
        key: `${INCIDENT_KEY_PREFIX}-${open.get(a.dedupKey)!.incidentNumber}`,
        action: 'appended',
        dedup_key: a.dedupKey,
      })),
    };
    const receipt = webhookId ? { id: randomUUID(), sourceId: info.id, webhookId, summary: { ...summary } } : null;
    await appendAlerts(em, info.organizationId, now, appends, receipt);
    return summary;
  }

  private async applyOne(
    em: EntityManager,
    info: SourceInfo,
    source: WebhookSource,
    alert: NormalizedAlert,
    all: NormalizedAlert[],
    open: OpenAlerts,
    now: Date,
  ): Promise<{ action: AlertAction; incident?: Incident }> {
    const organizationId = info.organizationId;
    const entry = (incident: Incident, message: string) =>
      this.incidents.recordAlert(em, organizationId, incident, message, {
        source_id: info.id,
        source_name: info.name,
        dedup_key: alert.dedupKey,
        status: alert.status,
        labels: alert.labels,
      });
    const current = open.byKey.get(alert.dedupKey);

    if (alert.status === 'firing') {
      if (current) {
        const again = current.status === AlertStatus.resolved;
        em.assign(current, {
          status: AlertStatus.firing,
          resolvedAt: null,
          title: alert.title,
          labels: alert.labels,
          payload: alert.payload,
          lastReceivedAt: now,
        });
        current.occurrences += 1;
        entry(current.incident, `${again ? 'Alert firing again' : 'Alert still firing'}: ${alert.title}`);
        return { action: 'appended', incident: current.incident };
      }
      const group = alert.groupKey;
      const groupIncident = group ? open.byGroup.get(group) : undefined;
      if (groupIncident) {
        open.byKey.set(alert.dedupKey, this.link(em, source, alert, groupIncident, now));
        entry(groupIncident, `Alert joined from ${info.name}: ${alert.title}`);
        return { action: 'grouped', incident: groupIncident };
      }
      const incident = await this.incidents.openForAlert(em, organizationId, {
        title: alert.title,
        description: alert.description,
        severity: groupSeverity(alert, all) ?? info.defaultSeverity ?? undefined,
        serviceId: info.defaultServiceId ?? undefined,
        startedAt: alert.startsAt && alert.startsAt < now ? alert.startsAt : now,
      });
      open.byKey.set(alert.dedupKey, this.link(em, source, alert, incident, now));
      entry(incident, `Alert firing from ${info.name}: ${alert.title}`);
      if (group) open.byGroup.set(group, incident);
      return { action: 'opened', incident };
    }

    if (!current) {
      if (alert.status === 'resolved') {
        // The incident was closed by people meanwhile: the alert's own record still ends.
        await em.nativeUpdate(
          Alert,
          { source, dedupKey: alert.dedupKey, status: AlertStatus.firing },
          { status: AlertStatus.resolved, resolvedAt: alert.endsAt ?? now },
        );
      }
      return { action: 'ignored' };
    }
    const incident = current.incident;
    current.lastReceivedAt = now;

    if (alert.status === 'acknowledged') {
      if (!(await this.incidents.acknowledgeForAlert(em, organizationId, incident)))
        return { action: 'unchanged', incident };
      entry(incident, `Alert acknowledged at ${info.name}: ${alert.title}`);
      return { action: 'acknowledged', incident };
    }

    if (current.status === AlertStatus.resolved) return { action: 'unchanged', incident };
    em.assign(current, { status: AlertStatus.resolved, resolvedAt: alert.endsAt ?? now, payload: alert.payload });
    entry(incident, `Alert resolved: ${alert.title}`);
    // The incident's other alerts may be outside this request: counted in the database, this request's changes flushed.
    await em.flush();
    const firing = await em.count(Alert, { incident, status: AlertStatus.firing });
    if (firing > 0) return { action: 'alert_resolved', incident };
    entry(incident, 'Every alert of this incident has resolved: resolving the incident');
    await this.incidents.resolveForAlerts(em, organizationId, incident);
    open.forget(incident);
    return { action: 'resolved', incident };
  }

  private link(em: EntityManager, source: WebhookSource, alert: NormalizedAlert, incident: Incident, now: Date): Alert {
    return em.create(Alert, {
      source,
      dedupKey: alert.dedupKey,
      groupKey: alert.groupKey,
      incident,
      status: AlertStatus.firing,
      title: alert.title,
      labels: alert.labels,
      startsAt: alert.startsAt ?? now,
      lastReceivedAt: now,
      payload: alert.payload,
    });
  }
}

function parseJson(body: Buffer): unknown {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The request body is not valid JSON');
  }
  assertInputValue(value, '');
  return value;
}

/** The most severe severity among the firing alerts of the same notification group (an alert alone: its own). */
function groupSeverity(alert: NormalizedAlert, all: NormalizedAlert[]): Severity | undefined {
  const peers = alert.groupKey ? all.filter((a) => a.groupKey === alert.groupKey && a.status === 'firing') : [alert];
  const found = peers.map((a) => a.severity).filter((s): s is Severity => Boolean(s));
  return found.sort((a, b) => SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b))[0];
}

/**
 * Alertmanager and Grafana retry a notification answered 5xx and drop one answered 4xx: a deliberate refusal (over the
 * source's rate, queue full, conflicts that kept failing) reaches them as 503 BUSY, with the same Retry-After, so that
 * they send it again. Other senders get 429.
 */
async function refusedAsTheSenderRetries<T>(kind: WebhookSourceKind, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (kind !== WebhookSourceKind.generic && error instanceof AppError && error.code === 'RATE_LIMITED') {
      throw new AppError('BUSY', error.message, undefined, error.headers);
    }
    throw error;
  }
}
