import type { EntityManager } from '@mikro-orm/postgresql';
import { wrap } from '@mikro-orm/core';
import type { RequiredEntityData } from '@mikro-orm/core';
import { AppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import { CrudService, referencedById } from '../crud.service.js';
import { isUuid } from '../../core/scalars.js';
import { nextKeyNumber } from '../../db/key-sequence.js';
import { KEY_CTE, prepareNewRecords } from '../../db/fast/one-statement.js';
import { fastPathOn } from '../../db/fast/switches.js';
import { readInOrganization } from '../../db/tenancy.js';
import type { UnitOfWork } from '../../db/unit-of-work.js';
import { ensureTransaction, isDeferred } from '../../db/deferred-transaction.js';
import type { Clock } from '../../core/clock.js';
import type { EventPublisher, PublishedRecord } from '../events/event-publisher.js';
import type { EventType } from '../events/event-types.js';
import { previousValues } from '../events/previous.js';
import { Service } from '../services/service.entity.js';
import { Team } from '../teams/team.entity.js';
import { User } from '../users/user.entity.js';
import { Problem } from '../problems/problem.entity.js';
import type { AlertRule } from '../alert-rules/alert-rule.entity.js';
import { Incident, INCIDENT_KEY_PREFIX } from './incident.entity.js';
import { CreateIncidentInput, IncidentFilter, UpdateIncidentInput } from './incident.inputs.js';
import { IncidentEvent } from './incident-event.entity.js';
import { IncidentEventType, IncidentStatus, Severity } from './incident.enums.js';
import { STATUS_TIMESTAMP, canTransition, isReopen } from './incident-lifecycle.js';
import { type SlaPolicyService, pickPolicy } from '../sla/sla-policy.service.js';
import type { SlaPolicy } from '../sla/sla-policy.entity.js';
import type { SeveritySuggester, SimilarIndexWriter } from './incident-ai.js';
import {
  SLA_CLOCKS,
  SlaBreach,
  SlaClockFields,
  applyTargets,
  breachEntry,
  isPending,
  restartResolutionClock,
  stopClock,
} from '../sla/sla-clock.js';

type Input = Record<string, unknown>;

/**
 * Who makes a change: a person (any Actor is one), or Argus itself acting on an inbound alert, with no user;
 * timeline entries then have no actor.
 */
export interface ChangeAuthor {
  organizationId: string;
  userId: string | null;
}

/** Tolerated clock skew for a client-sent started_at. */
const FUTURE_SKEW_MS = 60_000;

export class IncidentService extends CrudService<Incident> {
  constructor(
    private readonly classifier: SeveritySuggester,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
    private readonly slaPolicies: SlaPolicyService,
    private readonly similar: SimilarIndexWriter,
    private readonly unit: UnitOfWork,
  ) {
    super(Incident, {
      label: 'incident',
      keyPrefix: INCIDENT_KEY_PREFIX,
      filter: IncidentFilter,
      inputs: [CreateIncidentInput, UpdateIncidentInput],
      sort: { fields: ['createdAt', 'updatedAt', 'startedAt', 'severity', 'number', 'status'], default: '-createdAt' },
    });
  }

  /**
   * A new incident's data (classification, SLA clocks), and the alert rules subscribed to its creation, read with the
   * SLA policy in one round trip. `serviceId`: the service the input names by UUID, not read yet (its team not given
   * either): it is read in that same round trip, with the policies its team may bring.
   */
  private async prepare(
    em: EntityManager,
    auth: ChangeAuthor,
    data: Input,
    serviceId?: string,
  ): Promise<{ data: Input; subscribers: AlertRule[] }> {
    const now = this.clock.now();
    const startedAt = data.startedAt as Date | undefined;
    if (startedAt && startedAt.getTime() > now.getTime() + FUTURE_SKEW_MS) {
      throw AppError.validation('startedAt', 'must not be in the future');
    }
    let service = data.service as Service | null | undefined;
    data = withServiceTeam(data, service);
    // The classifier runs on every creation: a missing severity is filled in, a given one is kept and the suggestion
    // is stored beside it, so that how often people accept it can be measured.
    const suggestion = await this.classifier.classify(
      auth.organizationId,
      {
        title: data.title as string,
        description: data.description as string | null | undefined,
        serviceId: serviceId ?? service?.id ?? null,
      },
      { em },
    );
    data = {
      ...data,
      severity: data.severity ?? suggestion.severity,
      autoClassified: !data.severity,
      suggestedSeverity: suggestion.severity,
      classificationConfidence: suggestion.confidence,
      classificationModel: suggestion.model,
    };
    // The SLA clocks start when Argus records the incident, not at started_at (see docs/DECISIONS.md, SLA).
    let policy: SlaPolicy | null;
    let subscribers: AlertRule[];
    if (serviceId) {
      let candidates: SlaPolicy[];
      [[service], candidates, subscribers] = await readInOrganization(
        em,
        referencedById(Service, [serviceId], 'serviceId'),
        this.slaPolicies.candidatesForService(data.severity as Severity, serviceId),
        this.events.subscribed('incident.created'),
      );
      data = withServiceTeam({ ...data, service }, service);
      policy = pickPolicy(candidates, { serviceId: service.id, teamId: service.team?.id ?? null });
    } else {
      [policy, subscribers] = await readInOrganization(
        em,
        this.slaPolicies.match(data.severity as Severity, {
          serviceId: service?.id ?? null,
          teamId: (data.team as Team | null | undefined)?.id ?? null,
        }),
        this.events.subscribed('incident.created'),
      );
    }
    data = { ...data, startedAt: data.startedAt ?? now };
    const sla: SlaClockFields = { slaStartedAt: now, slaBreached: false };
    applyTargets(sla, policy, now);
    return { data: { ...data, ...sla, slaPolicy: policy }, subscribers };
  }

  /**
   * Every read comes first (reference checks, classification, SLA policy, the subscribed alert rules), then the records
   * are made: the incident, its timeline entry, its embedding and its outbox deliveries. They are written at the end of
   * the transaction by one statement that also takes the key, raises the index version and writes the mutation's audit
   * row (prepareNewRecords, UnitOfWork.scheduleLast): taking the key locks the organization's sequence row until the
   * commit, so
   * concurrent creations in one organization wait on each other only over that statement and the commit. Through the
   * API the transaction is deferred (src/db/deferred-transaction.ts): that statement then runs alone, with no BEGIN or
   * COMMIT, and the lock ends with it. Deliveries carry the incident's key in their payload: when a rule subscribes,
   * the transaction begins after the reads and the key is taken first (and held longer).
   */
  override async create(scope: Scope, input: Input): Promise<Incident> {
    const auth = scope.actor!;
    // A service named by UUID, with no team given, is read with the SLA policy (prepare): one round trip less.
    const { serviceId, ...rest } = input;
    const readLater =
      typeof serviceId === 'string' && isUuid(serviceId) && input.teamId === undefined
        ? serviceId.toLowerCase()
        : undefined;
    const creation = async (em: EntityManager) => {
      const { data, subscribers } = await this.prepare(
        em,
        auth,
        await this.toEntityData(em, readLater ? rest : input),
        readLater,
      );
      const oneStatement = fastPathOn('one-statement');
      if (subscribers.length || !oneStatement) await ensureTransaction(em);
      const number =
        subscribers.length || !oneStatement
          ? await nextKeyNumber(em, auth.organizationId, INCIDENT_KEY_PREFIX)
          : undefined;
      const incident = em.create(Incident, { ...data, number } as RequiredEntityData<Incident>);
      await this.recordCreation(em, auth, incident);
      await this.events.publish(
        em,
        auth.organizationId,
        'incident.created',
        published(incident),
        undefined,
        subscribers,
      );
      if (!oneStatement) {
        // The plain path: MikroORM's flush, and the index change written at the commit.
        await em.flush();
        return incident;
      }
      const insert = prepareNewRecords(
        em,
        number === undefined
          ? { entity: incident, organizationId: auth.organizationId, prefix: INCIDENT_KEY_PREFIX }
          : undefined,
      );
      await this.unit.scheduleLast(em, async (joined) => {
        // The index version in the same statement, after the key: the version row stays the last lock taken.
        const versions =
          this.similar.changes?.claim(em, auth.organizationId, number === undefined ? KEY_CTE : null) ?? undefined;
        versions?.settle((await insert<number[]>(versions, joined)) ?? []);
      });
      return incident;
    };
    // In a deferred transaction (createIncident, src/audit/audit-mutations.ts) the reads run before any BEGIN.
    return isDeferred(scope.em) ? creation(scope.em) : scope.em.transactional((em) => creation(em));
  }

  /** The `created` timeline entry (and `problem_linked`), and the embedding with its index change. */
  private async recordCreation(em: EntityManager, auth: ChangeAuthor, incident: Incident): Promise<void> {
    const message = incident.autoClassified
      ? `Incident opened; severity ${incident.severity} suggested by ${incident.classificationModel} (confidence ${incident.classificationConfidence})`
      : `Incident opened with severity ${incident.severity} (${incident.classificationModel} suggested ${incident.suggestedSeverity})`;
    this.addEvent(
      em,
      incident,
      auth,
      IncidentEventType.created,
      message,
      {
        severity: incident.severity,
        status: incident.status,
        auto_classified: incident.autoClassified,
        suggested_severity: incident.suggestedSeverity ?? null,
        sla_policy_id: incident.slaPolicy?.id ?? null,
      },
      this.clock.now(),
    );
    if (incident.problem) this.addProblemEvent(em, auth, incident, IncidentEventType.problem_linked, incident.problem);
    await this.similar.recordIncident(em, auth.organizationId, incident, true);
  }

  /** Deletes in one transaction; the similar-incident index drops the incident only once that has committed. */
  override async remove(scope: Scope, idOrKey: string): Promise<boolean> {
    await scope.em.transactional(async (tem) => {
      const incident = await tem.findOne(Incident, this.whereIdOrKey(idOrKey));
      if (!incident) throw AppError.notFound('incident');
      tem.remove(incident);
      await this.similar.forgetIncident(tem, scope.actor!.organizationId, incident.id);
    });
    return true;
  }

  protected override async applyUpdate(
    em: EntityManager,
    auth: ChangeAuthor,
    incident: Incident,
    data: Input,
  ): Promise<void> {
    const { status, severity, assignee, problem, ...rest } = data as Input & {
      status?: IncidentStatus;
      severity?: Severity;
      assignee?: User | null;
      problem?: Problem | null;
    };
    const now = this.clock.now();
    const embedded = embeddedFields(incident);
    const announcements: Array<[EventType, Input]> = [];
    const breaches: SlaBreach[] = [];
    let rematchSla = false;
    if (status !== undefined && status !== incident.status) {
      const from = incident.status;
      this.transition(em, auth, incident, status, now);
      announcements.push([
        isReopen(from, status) ? 'incident.reopened' : (STATUS_EVENTS[status] ?? 'incident.updated'),
        { status: from },
      ]);
      if (isReopen(from, status)) {
        restartResolutionClock(incident, now);
        rematchSla = true;
      } else {
        // Any move past open stops the response clock; resolving (or closing) stops the resolution clock.
        const stopped = [stopClock(incident, 'response', now)];
        if (status === IncidentStatus.resolved || status === IncidentStatus.closed)
          stopped.push(stopClock(incident, 'resolution', now));
        for (const breach of stopped) if (breach) breaches.push(breach);
      }
    }
    if (severity !== undefined && severity !== incident.severity) {
      this.addEvent(
        em,
        incident,
        auth,
        IncidentEventType.severity_changed,
        `Severity changed from ${incident.severity} to ${severity}`,
        { from: incident.severity, to: severity },
        now,
      );
      announcements.push(['incident.severity_changed', { severity: incident.severity }]);
      incident.severity = severity;
      incident.autoClassified = false;
      rematchSla = true;
    }
    if (assignee !== undefined && (assignee?.id ?? null) !== (incident.assignee?.id ?? null)) {
      this.addEvent(
        em,
        incident,
        auth,
        IncidentEventType.assigned,
        assignee ? 'Incident assigned' : 'Incident unassigned',
        {
          from: incident.assignee?.id ?? null,
          to: assignee?.id ?? null,
        },
        now,
      );
      announcements.push(['incident.assigned', { assigneeId: incident.assignee?.id ?? null }]);
      incident.assignee = assignee;
    }
    if (problem !== undefined) await this.linkProblem(em, auth, incident, problem);
    const changed = Object.keys(rest).filter((k) => !sameValue((incident as unknown as Input)[k], rest[k]));
    if (changed.length) {
      const previous = previousValues(incident, Object.fromEntries(changed.map((k) => [k, rest[k]])));
      em.assign(incident, Object.fromEntries(changed.map((k) => [k, rest[k]])) as never);
      this.addEvent(
        em,
        incident,
        auth,
        IncidentEventType.updated,
        `Updated ${changed.join(', ')}`,
        { fields: changed },
        now,
      );
      if (changed.includes('service') || changed.includes('team')) rematchSla = true;
      announcements.push(['incident.updated', previous]);
    }
    for (const breach of breaches) this.recordBreach(em, incident, breach, now);
    if (rematchSla) await this.recomputeSla(em, incident, now);
    if (embeddedFields(incident) !== embedded)
      await this.similar.recordIncident(em, auth.organizationId, incident, false);
    for (const [type, previous] of announcements)
      await this.events.publish(em, auth.organizationId, type, published(incident), previous);
  }

  /**
   * Severity, service or team changed, or a reopen restarted the resolution clock: the policy is chosen again and the
   * due times of pending clocks follow it. Stopped and breached clocks keep theirs.
   */
  private async recomputeSla(em: EntityManager, incident: Incident, now: Date): Promise<void> {
    if (!SLA_CLOCKS.some((clock) => isPending(incident, clock))) return;
    const policy = await this.slaPolicies.matchFor(em, incident.severity, {
      serviceId: incident.service?.id ?? null,
      teamId: incident.team?.id ?? null,
    });
    incident.slaPolicy = policy;
    applyTargets(incident, policy, now);
  }

  /** A clock stopped after its due time, before the breach job saw it: recorded here, once, under the row lock. */
  private recordBreach(em: EntityManager, incident: Incident, breach: SlaBreach, now: Date): void {
    const entry = breachEntry(breach, now, incident.slaPolicy?.id ?? null);
    em.create(IncidentEvent, {
      incident,
      type: IncidentEventType.sla_breached,
      message: entry.message,
      data: entry.data,
      actor: null,
      occurredAt: breach.dueAt,
    });
  }

  /**
   * Opens an incident for an inbound alert with the rules of create (key, classifier when no severity, team from the
   * service, SLA, the `created` timeline entry and event); Argus, not a person, is the actor. Call inside the ingestion
   * transaction.
   */
  async openForAlert(em: EntityManager, organizationId: string, input: Input): Promise<Incident> {
    const actor: ChangeAuthor = { organizationId, userId: null };
    const { data, subscribers } = await this.prepare(
      em,
      actor,
      await this.toEntityData(em, { ...input, source: 'alert' }),
    );
    // The ingestion flushes the incident with what it links to it; as in create, the key comes after the reads.
    const number = await nextKeyNumber(em, organizationId, INCIDENT_KEY_PREFIX);
    const incident = em.create(Incident, { ...data, number } as RequiredEntityData<Incident>);
    await this.recordCreation(em, actor, incident);
    await this.events.publish(em, organizationId, 'incident.created', published(incident), undefined, subscribers);
    return incident;
  }

  /** An `alert` timeline entry written by Argus: an alert fired again, joined, or resolved. */
  recordAlert(em: EntityManager, organizationId: string, incident: Incident, message: string, data: Input): void {
    this.addEvent(
      em,
      incident,
      { organizationId, userId: null },
      IncidentEventType.alert,
      message,
      data,
      this.clock.now(),
    );
  }

  /**
   * Acknowledges on behalf of an alert source (SLA clocks and events as for a person); past `open`, nothing changes.
   */
  async acknowledgeForAlert(em: EntityManager, organizationId: string, incident: Incident): Promise<boolean> {
    if (incident.status !== IncidentStatus.open) return false;
    await this.applyUpdate(em, { organizationId, userId: null }, incident, { status: IncidentStatus.acknowledged });
    return true;
  }

  /** Resolves once every alert of the incident has resolved; a resolved or closed incident is left as it is. */
  async resolveForAlerts(em: EntityManager, organizationId: string, incident: Incident): Promise<boolean> {
    if (incident.status === IncidentStatus.resolved || incident.status === IncidentStatus.closed) return false;
    await this.applyUpdate(em, { organizationId, userId: null }, incident, { status: IncidentStatus.resolved });
    return true;
  }

  private transition(em: EntityManager, auth: ChangeAuthor, incident: Incident, to: IncidentStatus, now: Date): void {
    const from = incident.status;
    if (!canTransition(from, to)) {
      throw AppError.conflict(`An incident cannot go from ${from} to ${to}`, [
        { field: 'status', message: `cannot go from ${from} to ${to}` },
      ]);
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
    this.addEvent(em, incident, auth, IncidentEventType.status_changed, `Incident ${verb}`, { from, to }, now);
  }

  /**
   * Links the incident to a problem (or unlinks it with null), writing problem_unlinked / problem_linked entries on its
   * timeline. Moving it from one problem to another writes both. Used from both sides: the incident's problem_id and
   * the problem's incident_ids.
   */
  async linkProblem(em: EntityManager, auth: ChangeAuthor, incident: Incident, problem: Problem | null): Promise<void> {
    const from = incident.problem ?? null;
    if ((from?.id ?? null) === (problem?.id ?? null)) return;
    if (from) {
      if (!wrap(from).isInitialized()) await wrap(from).init();
      this.addProblemEvent(em, auth, incident, IncidentEventType.problem_unlinked, from);
    }
    incident.problem = problem;
    if (problem) this.addProblemEvent(em, auth, incident, IncidentEventType.problem_linked, problem);
  }

  private addProblemEvent(
    em: EntityManager,
    auth: ChangeAuthor,
    incident: Incident,
    type: IncidentEventType,
    problem: Problem,
  ): void {
    const verb = type === IncidentEventType.problem_linked ? 'Linked to' : 'Unlinked from';
    this.addEvent(
      em,
      incident,
      auth,
      type,
      `${verb} problem ${problem.key()}: ${problem.title}`,
      { problem_id: problem.id, problem_key: problem.key() },
      this.clock.now(),
    );
  }

  /** `data` keys are snake_case, as REST bodies and webhook payloads are: the same JSON on every surface. */
  private addEvent(
    em: EntityManager,
    incident: Incident,
    auth: ChangeAuthor,
    type: IncidentEventType,
    message: string,
    data: Input,
    occurredAt: Date,
  ): void {
    em.create(IncidentEvent, {
      incident,
      type,
      message,
      data,
      actor: auth.userId ? em.getReference(User, auth.userId) : null,
      occurredAt,
    });
  }
}

const STATUS_EVENTS: Partial<Record<IncidentStatus, EventType>> = {
  acknowledged: 'incident.acknowledged',
  mitigated: 'incident.mitigated',
  resolved: 'incident.resolved',
  closed: 'incident.closed',
};

/** An incident as an event announces it. */
export function published(incident: Incident): PublishedRecord {
  return {
    typeName: 'Incident',
    record: incident,
    facets: { severity: incident.severity, serviceId: incident.serviceId(), teamId: incident.teamId() },
    orderingKey: incident.id,
  };
}

/** An incident's team is its service's unless one is given. */
function withServiceTeam(data: Input, service: Service | null | undefined): Input {
  return service?.team && data.team === undefined ? { ...data, team: service.team } : data;
}

/** What the similar-incident embedding and index depend on: text, service and start. */
function embeddedFields(incident: Incident): string {
  return JSON.stringify([
    incident.title,
    incident.description ?? null,
    incident.service?.id ?? null,
    incident.startedAt.getTime(),
  ]);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  if (a && typeof a === 'object' && b && typeof b === 'object' && 'id' in a && 'id' in b) return a.id === b.id;
  return a === b;
}
