import type { IncomingHttpHeaders } from 'node:http';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { AppError } from '../../core/errors.js';
import { assertInputValue } from '../../core/input-bounds.js';
import { isUuid } from '../../core/scalars.js';
import { forkForOrganization } from '../../db/tenancy.js';
import type { Clock } from '../../core/clock.js';
import type { IncidentService } from '../incidents/incident.service.js';
import { Incident } from '../incidents/incident.entity.js';
import { IncidentStatus, Severity } from '../incidents/incident.enums.js';
import { WebhookSource, WebhookVerification } from './webhook-source.entity.js';
import { Alert, AlertStatus } from './alert.entity.js';
import { WebhookReceipt } from './webhook-receipt.entity.js';
import { PAYLOAD_ADAPTERS } from './adapters/index.js';
import type { NormalizedAlert } from './normalized-alert.js';
import { Verdict, verifyBearer, verifySignature } from './source-secrets.js';

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
export type AlertAction = 'opened' | 'grouped' | 'appended' | 'alert_resolved' | 'resolved' | 'acknowledged' | 'unchanged' | 'ignored';

export interface IngestionSummary {
  incidents: Array<{ key: string | null; action: AlertAction; dedup_key: string }>;
  /** Present on the answer to a replayed webhook-id: the first answer, with no second effect. */
  replayed?: true;
}

/** One message for every refusal, so the endpoint tells an outsider nothing about which sources exist. */
const REFUSED = 'Unknown or disabled webhook source, or its signature or token does not verify';

/** Processed webhook ids are kept a day: signatures older than 5 minutes are refused anyway. */
const RECEIPT_RETENTION_MS = 24 * 3600_000;

const CLOSED = [IncidentStatus.resolved, IncidentStatus.closed];
const SEVERITY_ORDER = [Severity.P1, Severity.P2, Severity.P3, Severity.P4];

/**
 * Inbound alerts: verifies the source, turns its payload into normalized alerts, and opens, updates, acknowledges or
 * resolves incidents, all in one transaction per request.
 */
export class AlertIngestionService {
  constructor(
    private readonly incidents: IncidentService,
    private readonly clock: Clock,
  ) {}

  async ingest(root: EntityManager, request: InboundAlertRequest, log: Logger): Promise<IngestionSummary> {
    const { source, webhookId } = await this.authenticate(root, request, log);
    const alerts = PAYLOAD_ADAPTERS[source.kind](parseJson(request.body));
    const em = forkForOrganization(root, source.organization.id);
    return em.transactional((tem) => this.apply(tem, source.id, webhookId, alerts));
  }

  private async authenticate(root: EntityManager, request: InboundAlertRequest, log: Logger): Promise<{ source: WebhookSource; webhookId: string | null }> {
    const refuse = (reason: string) => {
      log.warn({ webhookSourceId: request.sourceId, reason }, 'inbound alert refused');
      return AppError.unauthenticated(REFUSED);
    };
    if (!isUuid(request.sourceId)) throw refuse('not a source id');
    const source = await root.fork().findOne(
      WebhookSource,
      { id: request.sourceId.toLowerCase() },
      { filters: false, populate: ['signingSecret', 'tokenHash'] },
    );
    if (!source) throw refuse('no such source');
    if (!source.enabled) throw refuse('source disabled');
    let verdict: Verdict;
    if (source.verification === WebhookVerification.signature) {
      verdict = source.signingSecret ? verifySignature(source.signingSecret, request.body, request.headers) : { ok: false, reason: 'no secret' };
    } else {
      verdict = source.tokenHash ? verifyBearer(source.tokenHash, request.headers) : { ok: false, reason: 'no token' };
    }
    if (!verdict.ok) throw refuse(verdict.reason);
    return { source, webhookId: verdict.webhookId };
  }

  private async apply(em: EntityManager, sourceId: string, webhookId: string | null, alerts: NormalizedAlert[]): Promise<IngestionSummary> {
    // One request at a time per source: dedup and replay checks below read what earlier requests wrote.
    const source = await em.findOneOrFail(WebhookSource, { id: sourceId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (webhookId) {
      const receipt = await em.findOne(WebhookReceipt, { source, webhookId });
      if (receipt) return { ...(receipt.summary as unknown as IngestionSummary), replayed: true };
    }
    const now = this.clock.now();
    const opened = new Map<string, Incident>();
    const summary: IngestionSummary = { incidents: [] };
    for (const alert of alerts) {
      const result = await this.applyOne(em, source, alert, alerts, opened, now);
      summary.incidents.push({ key: result.incident?.key() ?? null, action: result.action, dedup_key: alert.dedupKey });
      await em.flush();
    }
    source.lastAlertAt = now;
    if (webhookId) em.create(WebhookReceipt, { source, webhookId, summary: { ...summary } });
    await em.nativeDelete(WebhookReceipt, { source, createdAt: { $lt: new Date(Date.now() - RECEIPT_RETENTION_MS) } });
    return summary;
  }

  private async applyOne(
    em: EntityManager,
    source: WebhookSource,
    alert: NormalizedAlert,
    all: NormalizedAlert[],
    openedByGroup: Map<string, Incident>,
    now: Date,
  ): Promise<{ action: AlertAction; incident?: Incident }> {
    const organizationId = source.organization.id;
    const entry = (incident: Incident, message: string) =>
      this.incidents.recordAlert(em, organizationId, incident, message, {
        source_id: source.id,
        source_name: source.name,
        dedup_key: alert.dedupKey,
        status: alert.status,
        labels: alert.labels,
      });
    const current = await this.openAlert(em, source, { dedupKey: alert.dedupKey });

    if (alert.status === 'firing') {
      if (current) {
        const again = current.status === AlertStatus.resolved;
        em.assign(current, { status: AlertStatus.firing, resolvedAt: null, title: alert.title, labels: alert.labels, payload: alert.payload, lastReceivedAt: now });
        current.occurrences += 1;
        entry(current.incident, `${again ? 'Alert firing again' : 'Alert still firing'}: ${alert.title}`);
        return { action: 'appended', incident: current.incident };
      }
      const group = alert.groupKey;
      const groupIncident = group ? (openedByGroup.get(group) ?? (await this.openAlert(em, source, { groupKey: group }))?.incident) : undefined;
      if (groupIncident) {
        this.link(em, source, alert, groupIncident, now);
        entry(groupIncident, `Alert joined from ${source.name}: ${alert.title}`);
        return { action: 'grouped', incident: groupIncident };
      }
      const incident = await this.incidents.openForAlert(em, organizationId, {
        title: alert.title,
        description: alert.description,
        severity: groupSeverity(alert, all) ?? source.defaultSeverity ?? undefined,
        serviceId: source.defaultService?.id,
        startedAt: alert.startsAt && alert.startsAt < now ? alert.startsAt : now,
      });
      this.link(em, source, alert, incident, now);
      entry(incident, `Alert firing from ${source.name}: ${alert.title}`);
      if (group) openedByGroup.set(group, incident);
      return { action: 'opened', incident };
    }

    if (!current) {
      if (alert.status === 'resolved') {
        // The incident was closed by people meanwhile: the alert's own record still ends.
        await em.nativeUpdate(Alert, { source, dedupKey: alert.dedupKey, status: AlertStatus.firing }, { status: AlertStatus.resolved, resolvedAt: alert.endsAt ?? now });
      }
      return { action: 'ignored' };
    }
    const incident = current.incident;
    current.lastReceivedAt = now;

    if (alert.status === 'acknowledged') {
      if (!(await this.incidents.acknowledgeForAlert(em, organizationId, incident))) return { action: 'unchanged', incident };
      entry(incident, `Alert acknowledged at ${source.name}: ${alert.title}`);
      return { action: 'acknowledged', incident };
    }

    if (current.status === AlertStatus.resolved) return { action: 'unchanged', incident };
    em.assign(current, { status: AlertStatus.resolved, resolvedAt: alert.endsAt ?? now, payload: alert.payload });
    entry(incident, `Alert resolved: ${alert.title}`);
    await em.flush();
    const firing = await em.count(Alert, { incident, status: AlertStatus.firing });
    if (firing > 0) return { action: 'alert_resolved', incident };
    entry(incident, 'Every alert of this incident has resolved: resolving the incident');
    await this.incidents.resolveForAlerts(em, organizationId, incident);
    return { action: 'resolved', incident };
  }

  /** The latest alert of this source (by dedup key or by group) whose incident is still open, its incident locked. */
  private async openAlert(em: EntityManager, source: WebhookSource, by: { dedupKey: string } | { groupKey: string }): Promise<Alert | null> {
    const [alert] = await em.find(
      Alert,
      { source, ...by, incident: { status: { $nin: CLOSED } } },
      { populate: ['incident'], orderBy: { createdAt: 'desc' }, limit: 1 },
    );
    if (!alert) return null;
    const incident = await em.findOne(Incident, { id: alert.incident.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    return incident && !CLOSED.includes(incident.status) ? alert : null;
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
