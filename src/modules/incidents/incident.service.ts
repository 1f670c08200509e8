import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequiredEntityData } from '@mikro-orm/core';
import { AppError } from '../../graphql/errors.js';
import type { AuthInfo } from '../../graphql/context.js';
import { CrudService } from '../crud.service.js';
import { nextKeyNumber } from '../../db/key-sequence.js';
import type { SeverityClassifier } from '../../ai/baseline-classifier.js';
import type { Clock } from '../../time/clock.js';
import { Service } from '../services/service.entity.js';
import { Team } from '../teams/team.entity.js';
import { User } from '../users/user.entity.js';
import { Incident, INCIDENT_KEY_PREFIX } from './incident.entity.js';
import { IncidentEvent } from './incident-event.entity.js';
import { IncidentEventType, IncidentStatus, Severity } from './incident.enums.js';
import { STATUS_TIMESTAMP, canTransition, isReopen } from './incident-lifecycle.js';

type Input = Record<string, unknown>;

/**
 * Who makes a change: a person (any AuthInfo is one), or Argus itself acting on an inbound alert, with no user;
 * timeline entries then have no actor.
 */
export interface Actor {
  organizationId: string;
  userId: string | null;
}

/** Tolerated clock skew for a client-sent started_at. */
const FUTURE_SKEW_MS = 60_000;

export class IncidentService extends CrudService<Incident> {
  constructor(
    private readonly classifier: SeverityClassifier,
    private readonly clock: Clock,
  ) {
    super(Incident, {
      label: 'incident',
      keyPrefix: INCIDENT_KEY_PREFIX,
      filters: {
        status: { kind: 'in', property: 'status' },
        severity: { kind: 'in', property: 'severity' },
        serviceId: { kind: 'in', property: 'service' },
        teamId: { kind: 'in', property: 'team' },
        assigneeId: { kind: 'in', property: 'assignee' },
        tags: { kind: 'contains', property: 'tags' },
        createdAfter: { kind: 'after', property: 'createdAt' },
        createdBefore: { kind: 'before', property: 'createdAt' },
        q: { kind: 'text', properties: ['title', 'description'] },
      },
      sort: { fields: ['createdAt', 'updatedAt', 'startedAt', 'severity', 'number', 'status'], default: '-createdAt' },
      references: {
        serviceId: { property: 'service', entity: Service },
        teamId: { property: 'team', entity: Team },
        assigneeId: { property: 'assignee', entity: User },
      },
    });
  }

  protected override async beforeCreate(em: EntityManager, auth: Actor, data: Input): Promise<Input> {
    const startedAt = data.startedAt as Date | undefined;
    if (startedAt && startedAt.getTime() > this.clock.now().getTime() + FUTURE_SKEW_MS) {
      throw AppError.validation('startedAt', 'must not be in the future');
    }
    const service = data.service as Service | null | undefined;
    if (service?.team && data.team === undefined) data = { ...data, team: service.team };
    const number = await nextKeyNumber(em, auth.organizationId, INCIDENT_KEY_PREFIX);
    data = { ...data, startedAt: data.startedAt ?? this.clock.now() };
    if (data.severity) return { ...data, number, autoClassified: false };
    const result = await this.classifier.classify({ title: data.title as string, description: data.description as string | null });
    return {
      ...data,
      number,
      severity: result.severity,
      autoClassified: true,
      classificationConfidence: result.confidence,
      classificationModel: result.model,
    };
  }

  protected override async afterCreate(em: EntityManager, auth: Actor, incident: Incident): Promise<void> {
    const message = incident.autoClassified
      ? `Incident opened; severity ${incident.severity} suggested by ${incident.classificationModel} (confidence ${incident.classificationConfidence})`
      : `Incident opened with severity ${incident.severity}`;
    this.addEvent(em, incident, auth, IncidentEventType.created, message, {
      severity: incident.severity,
      status: incident.status,
      autoClassified: incident.autoClassified,
    });
  }

  protected override async applyUpdate(em: EntityManager, auth: AuthInfo, incident: Incident, data: Input): Promise<void> {
    const { status, severity, assignee, ...rest } = data as Input & { status?: IncidentStatus; severity?: Severity; assignee?: User | null };
    const now = this.clock.now();
    if (status !== undefined && status !== incident.status) this.transition(em, auth, incident, status, now);
    if (severity !== undefined && severity !== incident.severity) {
      this.addEvent(em, incident, auth, IncidentEventType.severity_changed, `Severity changed from ${incident.severity} to ${severity}`, { from: incident.severity, to: severity });
      incident.severity = severity;
      incident.autoClassified = false;
    }
    if (assignee !== undefined && (assignee?.id ?? null) !== (incident.assignee?.id ?? null)) {
      this.addEvent(em, incident, auth, IncidentEventType.assigned, assignee ? 'Incident assigned' : 'Incident unassigned', {
        from: incident.assignee?.id ?? null,
        to: assignee?.id ?? null,
      });
      incident.assignee = assignee;
    }
    const changed = Object.keys(rest).filter((k) => !sameValue((incident as unknown as Input)[k], rest[k]));
    if (changed.length) {
      em.assign(incident, Object.fromEntries(changed.map((k) => [k, rest[k]])) as never);
      this.addEvent(em, incident, auth, IncidentEventType.updated, `Updated ${changed.join(', ')}`, { fields: changed });
    }
  }

  /**
   * Opens an incident for an inbound alert with the rules of create (key, classifier when no severity, team from the
   * service, the `created` timeline entry); Argus, not a person, is the actor. Call inside the ingestion transaction.
   */
  async openForAlert(em: EntityManager, organizationId: string, input: Input): Promise<Incident> {
    const actor: Actor = { organizationId, userId: null };
    const data = await this.toEntityData(em, { ...input, source: 'alert' });
    const incident = em.create(Incident, (await this.beforeCreate(em, actor, data)) as RequiredEntityData<Incident>);
    await this.afterCreate(em, actor, incident);
    return incident;
  }

  /** An `alert` timeline entry written by Argus: an alert fired again, joined, or resolved. */
  recordAlert(em: EntityManager, organizationId: string, incident: Incident, message: string, data: Input): void {
    this.addEvent(em, incident, { organizationId, userId: null }, IncidentEventType.alert, message, data);
  }

  /** Acknowledges on behalf of an alert source; an incident already past `open` is left as it is. */
  acknowledgeForAlert(em: EntityManager, organizationId: string, incident: Incident): boolean {
    if (incident.status !== IncidentStatus.open) return false;
    this.transition(em, { organizationId, userId: null }, incident, IncidentStatus.acknowledged, this.clock.now());
    return true;
  }

  /** Resolves once every alert of the incident has resolved; a resolved or closed incident is left as it is. */
  resolveForAlerts(em: EntityManager, organizationId: string, incident: Incident): boolean {
    if (incident.status === IncidentStatus.resolved || incident.status === IncidentStatus.closed) return false;
    this.transition(em, { organizationId, userId: null }, incident, IncidentStatus.resolved, this.clock.now());
    return true;
  }

  private transition(em: EntityManager, auth: Actor, incident: Incident, to: IncidentStatus, now: Date): void {
    const from = incident.status;
    if (!canTransition(from, to)) {
      throw AppError.conflict(`An incident cannot go from ${from} to ${to}`, [{ field: 'status', message: `cannot go from ${from} to ${to}` }]);
    }
    if (isReopen(from, to)) {
      incident.resolvedAt = null;
      incident.mitigatedAt = null;
    } else {
      const stamp = STATUS_TIMESTAMP[to as keyof typeof STATUS_TIMESTAMP];
      if (stamp) incident[stamp] = now;
      if (to === IncidentStatus.closed && !incident.resolvedAt) incident.resolvedAt = now;
    }
    incident.status = to;
    const verb = isReopen(from, to) ? 'reopened' : `moved from ${from} to ${to}`;
    this.addEvent(em, incident, auth, IncidentEventType.status_changed, `Incident ${verb}`, { from, to });
  }

  private addEvent(em: EntityManager, incident: Incident, auth: Actor, type: IncidentEventType, message: string, data: Input): void {
    em.create(IncidentEvent, { incident, type, message, data, actor: auth.userId ? em.getReference(User, auth.userId) : null });
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  if (a && typeof a === 'object' && b && typeof b === 'object' && 'id' in a && 'id' in b) return a.id === b.id;
  return a === b;
}
