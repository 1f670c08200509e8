import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors.js';
import type { Actor, Scope } from '../../core/scope.js';
import type { Clock } from '../../core/clock.js';
import { CrudService } from '../crud.service.js';
import { User } from '../users/user.entity.js';
import type { Incident } from '../incidents/incident.entity.js';
import { IncidentEvent } from '../incidents/incident-event.entity.js';
import { IncidentEventType, IncidentStatus } from '../incidents/incident.enums.js';
import type { IncidentService } from '../incidents/incident.service.js';
import { OnCallSchedule } from '../on-call/on-call-schedule.entity.js';
import { calculatorFor } from '../on-call/on-call-schedule.service.js';
import type { OnCallCalculator } from '../on-call/on-call-calculator.js';
import { EscalationLevel, EscalationPolicy } from './escalation-policy.entity.js';
import {
  CreateEscalationPolicyInput,
  EscalationLevelInput,
  EscalationPolicyFilter,
  UpdateEscalationPolicyInput,
} from './escalation-policy.inputs.js';
import { planEscalation } from './escalation-planner.js';
import type { EscalationPlan } from './escalation.types.js';

type Input = Record<string, unknown>;

/** Escalation policies: CRUD with target checks, and the plan of who is paged when. */
export class EscalationPolicyService extends CrudService<EscalationPolicy> {
  constructor(
    private readonly clock: Clock,
    private readonly incidents: IncidentService,
  ) {
    super(EscalationPolicy, {
      label: 'escalation policy',
      filter: EscalationPolicyFilter,
      inputs: [CreateEscalationPolicyInput, UpdateEscalationPolicyInput],
      sort: { fields: ['name', 'createdAt', 'updatedAt'], default: 'name' },
    });
  }

  /**
   * Who is paged at each level, and when. T is the incident's started_at, or `start`, or now; with an incident, the
   * steps from the moment it stopped escalating on are marked suppressed.
   */
  async plan(scope: Scope, policyId: string, incidentId?: string | null, start?: Date | null): Promise<EscalationPlan> {
    if (incidentId && start)
      throw AppError.validation('start', 'cannot be combined with incidentId: the incident gives the start');
    const policy = await this.get(scope, policyId);
    const incident = incidentId ? await this.incidents.get(scope, incidentId) : null;
    const begin = incident ? incident.startedAt : (start ?? this.clock.now());
    const stoppedAt = incident ? await escalationStoppedAt(scope.em, incident) : null;

    const targetIds = [...new Set(policy.levels.flatMap((l) => l.targetIds))];
    const [users, schedules] = await Promise.all([
      scope.em.find(User, { id: { $in: targetIds } }, { fields: ['id'] }),
      scope.em.find(OnCallSchedule, { id: { $in: targetIds } }),
    ]);
    const userIds = new Set(users.map((u) => u.id));
    const calculators = new Map<string, OnCallCalculator>(schedules.map((s) => [s.id, calculatorFor(s)]));
    // A target removed since the policy was saved pages nobody.
    const usersOf = (id: string, at: Date) => (userIds.has(id) ? [id] : (calculators.get(id)?.usersAt(at) ?? []));

    const steps = planEscalation(policy, begin, stoppedAt, usersOf);
    return { policyId: policy.id, incidentId: incident?.id ?? null, start: begin, stoppedAt, steps };
  }

  protected override async beforeCreate(em: EntityManager, _auth: Actor, data: Input): Promise<Input> {
    return this.normalize(em, data);
  }

  protected override async applyUpdate(
    em: EntityManager,
    _auth: Actor,
    record: EscalationPolicy,
    data: Input,
  ): Promise<void> {
    em.assign(record, (await this.normalize(em, data)) as never);
  }

  /** Levels in their stored form; every target must be a user or an on-call schedule of the organization. */
  private async normalize(em: EntityManager, data: Input): Promise<Input> {
    const levels = data.levels as EscalationLevelInput[] | undefined;
    if (!levels) return data;
    const ids = [...new Set(levels.flatMap((l) => l.targetIds))];
    const [users, schedules] = await Promise.all([
      em.find(User, { id: { $in: ids } }, { fields: ['id'] }),
      em.find(OnCallSchedule, { id: { $in: ids } }, { fields: ['id'] }),
    ]);
    const known = new Set([...users, ...schedules].map((r) => r.id));
    levels.forEach((level, i) => {
      const missing = level.targetIds.find((id) => !known.has(id));
      if (missing)
        throw AppError.validation(
          `levels.${i}.targetIds`,
          `refers to no user or on-call schedule of this organization: ${missing}`,
        );
    });
    return {
      ...data,
      levels: levels.map((l): EscalationLevel => ({
        delayMinutes: l.delayMinutes,
        targetIds: [...new Set(l.targetIds)],
      })),
    };
  }
}

/**
 * When the incident stopped escalating: the first time it left `open` (acknowledged, or skipped ahead to a later
 * status). Stamped statuses give the time; a skip straight to `investigating` is found on the timeline.
 */
async function escalationStoppedAt(em: EntityManager, incident: Incident): Promise<Date | null> {
  const stamps = [incident.acknowledgedAt, incident.mitigatedAt, incident.resolvedAt, incident.closedAt].filter(
    (d): d is Date => !!d,
  );
  if (stamps.length) return new Date(Math.min(...stamps.map((d) => d.getTime())));
  if (incident.status === IncidentStatus.open) return null;
  const left = await em.findOne(
    IncidentEvent,
    { incident: incident.id, type: IncidentEventType.status_changed },
    { orderBy: { occurredAt: 'asc' }, fields: ['occurredAt'] },
  );
  return left?.occurredAt ?? null;
}
