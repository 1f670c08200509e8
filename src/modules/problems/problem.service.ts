import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors.js';
import type { Actor, Scope } from '../../core/scope.js';
import { CrudService, findByIdsOrKeys } from '../crud.service.js';
import { previousValues } from '../events/previous.js';
import type { EventPublisher, PublishedRecord } from '../events/event-publisher.js';
import { nextKeyNumber } from '../../db/key-sequence.js';
import type { Clock } from '../../core/clock.js';
import { Incident, INCIDENT_KEY_PREFIX } from '../incidents/incident.entity.js';
import type { IncidentService } from '../incidents/incident.service.js';
import { Problem, PROBLEM_KEY_PREFIX } from './problem.entity.js';
import { ProblemStatus } from './problem.enums.js';
import { PROBLEM_STATUS_TIMESTAMP, canProblemTransition, isProblemReopen } from './problem-lifecycle.js';
import { CreateProblemInput, ProblemFilter, UpdateProblemInput } from './problem.inputs.js';

type Input = Record<string, unknown>;

/** Problems: the PRB-n keys, their lifecycle, and the incidents they cause (linked on the incidents' timelines). */
export class ProblemService extends CrudService<Problem> {
  constructor(
    private readonly incidents: IncidentService,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {
    super(Problem, {
      label: 'problem',
      keyPrefix: PROBLEM_KEY_PREFIX,
      filter: ProblemFilter,
      inputs: [CreateProblemInput, UpdateProblemInput],
      sort: { fields: ['createdAt', 'updatedAt', 'number', 'priority', 'status'], default: '-createdAt' },
    });
  }

  protected override async beforeCreate(em: EntityManager, auth: Actor, data: Input): Promise<Input> {
    const { incidentIds: _linkedAfterInsert, ...rest } = data;
    const number = await nextKeyNumber(em, auth.organizationId, PROBLEM_KEY_PREFIX);
    return { ...rest, number };
  }

  protected override async afterCreate(em: EntityManager, auth: Actor, problem: Problem, input: Input): Promise<void> {
    if (input.incidentIds) await this.relinkIncidents(em, auth, problem, input.incidentIds as string[]);
    await this.events.publish(em, auth.organizationId, 'problem.created', publishedProblem(problem));
  }

  protected override async applyUpdate(em: EntityManager, auth: Actor, problem: Problem, data: Input): Promise<void> {
    const { status, incidentIds, ...rest } = data as Input & { status?: ProblemStatus; incidentIds?: string[] | null };
    if (incidentIds !== undefined) await this.relinkIncidents(em, auth, problem, incidentIds ?? []);
    const previous = previousValues(problem, rest);
    em.assign(problem, rest as never);
    const from = problem.status;
    if (status !== undefined && status !== problem.status) this.transition(problem, status);
    if (problem.status !== from) {
      await this.events.publish(em, auth.organizationId, 'problem.status_changed', publishedProblem(problem), {
        ...previous,
        status: from,
      });
    } else if (Object.keys(previous).length || incidentIds !== undefined) {
      await this.events.publish(em, auth.organizationId, 'problem.updated', publishedProblem(problem), previous);
    }
  }

  /** Deleting a problem unlinks its incidents, each with a timeline entry. */
  override async remove(scope: Scope, idOrKey: string): Promise<boolean> {
    return scope.em.transactional(async (em) => {
      const problem = await this.get({ ...scope, em: em }, idOrKey);
      await this.relinkIncidents(em, scope.actor!, problem, []);
      await em.flush();
      em.remove(problem);
      await em.flush();
      return true;
    });
  }

  private transition(problem: Problem, to: ProblemStatus): void {
    const from = problem.status;
    if (!canProblemTransition(from, to)) {
      throw AppError.conflict(`A problem cannot go from ${from} to ${to}`, [
        { field: 'status', message: `cannot go from ${from} to ${to}` },
      ]);
    }
    const now = this.clock.now();
    if (isProblemReopen(from, to)) {
      problem.resolvedAt = null;
    } else {
      const stamp = PROBLEM_STATUS_TIMESTAMP[to as keyof typeof PROBLEM_STATUS_TIMESTAMP];
      if (stamp) problem[stamp] = now;
      if (to === ProblemStatus.closed && !problem.resolvedAt) problem.resolvedAt = now;
    }
    problem.status = to;
  }

  /**
   * Makes `refs` (ids or INC keys) exactly the incidents of this problem; an incident of another problem moves here.
   */
  private async relinkIncidents(em: EntityManager, auth: Actor, problem: Problem, refs: string[]): Promise<void> {
    const wanted = await findByIdsOrKeys(em, Incident, [...new Set(refs)], 'incidentIds', INCIDENT_KEY_PREFIX);
    const current = await em.find(Incident, { problem: problem.id });
    for (const incident of current) {
      if (!wanted.includes(incident)) await this.incidents.linkProblem(em, auth, incident, null);
    }
    for (const incident of wanted) await this.incidents.linkProblem(em, auth, incident, problem);
  }
}

function publishedProblem(problem: Problem): PublishedRecord {
  return {
    typeName: 'Problem',
    record: problem,
    facets: { severity: problem.priority, serviceId: problem.serviceId() },
    orderingKey: problem.id,
  };
}
