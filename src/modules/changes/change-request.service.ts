import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import { AppError } from '../../core/errors.js';
import type { Actor, Scope } from '../../core/scope.js';
import { CrudService } from '../crud.service.js';
import { previousValues } from '../events/previous.js';
import type { EventPublisher, PublishedRecord } from '../events/event-publisher.js';
import { nextKeyNumber } from '../../db/key-sequence.js';
import type { Clock } from '../../core/clock.js';
import { User } from '../users/user.entity.js';
import { ChangeRequest, CHANGE_KEY_PREFIX } from './change-request.entity.js';
import { ChangeStatus, ChangeType } from './change-request.enums.js';
import { DECISION_STATUSES, canChangeTransition, isClosedChange, statusOnSubmit } from './change-lifecycle.js';
import { ChangeRequestFilter, CreateChangeRequestInput, UpdateChangeRequestInput } from './change-request.inputs.js';

type Input = Record<string, unknown>;

const MAX_COMMENT = 2000;
/** What an approver approved: changing any of these after approval needs a new decision. */
const MATERIAL_FIELDS = new Set([
  'title',
  'description',
  'risk',
  'plannedStart',
  'plannedEnd',
  'service',
  'assets',
  'implementer',
  'rollbackPlan',
]);
const APPROVED_STATUSES: readonly ChangeStatus[] = [ChangeStatus.approved, ChangeStatus.scheduled];
const INPUT_NAMES: Record<string, string> = { service: 'serviceId', assets: 'assetIds', implementer: 'implementerId' };
const toInputField = (property: string) => INPUT_NAMES[property] ?? property;

/** Change requests: CHG-n keys, the planned window, the lifecycle and the approval rules. */
export class ChangeRequestService extends CrudService<ChangeRequest> {
  constructor(
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {
    super(ChangeRequest, {
      label: 'change request',
      keyPrefix: CHANGE_KEY_PREFIX,
      filter: ChangeRequestFilter,
      inputs: [CreateChangeRequestInput, UpdateChangeRequestInput],
      sort: { fields: ['createdAt', 'updatedAt', 'number', 'status', 'risk'], default: '-createdAt' },
    });
  }

  /** The approver's decision: only on a submitted change, by an admin or owner who is not its requester. */
  async approve(scope: Scope, idOrKey: string, comment?: string | null): Promise<ChangeRequest> {
    return this.decide(scope, idOrKey, ChangeStatus.approved, comment);
  }

  async reject(scope: Scope, idOrKey: string, comment?: string | null): Promise<ChangeRequest> {
    return this.decide(scope, idOrKey, ChangeStatus.rejected, comment);
  }

  protected override async beforeCreate(em: EntityManager, auth: Actor, data: Input): Promise<Input> {
    assertWindow(
      data.plannedStart as Date | null | undefined,
      data.plannedEnd as Date | null | undefined,
      'plannedEnd',
    );
    const number = await nextKeyNumber(em, auth.organizationId, CHANGE_KEY_PREFIX);
    return { ...data, number, requester: em.getReference(User, auth.userId) };
  }

  protected override async afterCreate(em: EntityManager, auth: Actor, change: ChangeRequest): Promise<void> {
    await this.events.publish(em, auth.organizationId, 'change_request.created', publishedChange(change));
  }

  protected override async applyUpdate(
    em: EntityManager,
    auth: Actor,
    change: ChangeRequest,
    data: Input,
  ): Promise<void> {
    const from = change.status;
    const previous = previousValues(change, data);
    await this.applyChange(
      em,
      change,
      data,
      Object.keys(previous).filter((key) => MATERIAL_FIELDS.has(key)),
    );
    const type = change.status !== from ? 'change_request.status_changed' : 'change_request.updated';
    await this.events.publish(em, auth.organizationId, type, publishedChange(change), { ...previous, status: from });
  }

  private async applyChange(em: EntityManager, change: ChangeRequest, data: Input, material: string[]): Promise<void> {
    if (isClosedChange(change.status)) {
      throw AppError.conflict(`${change.key()} is ${change.status}; a closed change request can no longer be changed`);
    }
    const { status, type, ...rest } = data as Input & { status?: ChangeStatus; type?: ChangeType };
    if (type !== undefined && type !== change.type) {
      if (change.status !== ChangeStatus.draft) {
        throw AppError.conflict(
          `The type of a change request is fixed once it is submitted (${change.key()} is ${change.status})`,
          [{ field: 'type', message: 'can only change while the change request is a draft' }],
        );
      }
      change.type = type;
    }
    if (material.length && change.status === ChangeStatus.implementing) {
      throw AppError.conflict(
        `${change.key()} is being implemented; what was approved can no longer change`,
        material.map((field) => ({
          field: toInputField(field),
          message: 'cannot change while the change is implementing',
        })),
      );
    }
    em.assign(change, rest as never);
    assertWindow(
      change.plannedStart,
      change.plannedEnd,
      'plannedEnd' in rest || !('plannedStart' in rest) ? 'plannedEnd' : 'plannedStart',
    );
    if (material.length && APPROVED_STATUSES.includes(change.status)) this.reopenApproval(change);
    if (status !== undefined && status !== change.status) this.move(change, status);
  }

  /**
   * A material edit of an approved (or scheduled) change is a new request: it goes back to submitted with the decision
   * cleared, for an approver to decide again (a standard change is approved again on submission, as always).
   */
  private reopenApproval(change: ChangeRequest): void {
    change.status = statusOnSubmit(change.type);
    change.approver = null;
    change.decidedAt = change.status === ChangeStatus.approved ? this.clock.now() : null;
    change.decisionComment = null;
  }

  /** A plain status move (PATCH status). Submitting a standard change lands it on approved at once. */
  private move(change: ChangeRequest, to: ChangeStatus): void {
    const from = change.status;
    if (DECISION_STATUSES.includes(to)) {
      throw AppError.conflict(
        `A change request is ${to} through its approval (POST /change-requests/${change.key()}/${to === ChangeStatus.approved ? 'approve' : 'reject'}), not a status update`,
        [{ field: 'status', message: `cannot be set to ${to} directly` }],
      );
    }
    if (!canChangeTransition(from, to)) {
      throw AppError.conflict(`A change request cannot go from ${from} to ${to}`, [
        { field: 'status', message: `cannot go from ${from} to ${to}` },
      ]);
    }
    if (to === ChangeStatus.scheduled && (!change.plannedStart || !change.plannedEnd)) {
      const field = change.plannedStart ? 'plannedEnd' : 'plannedStart';
      throw AppError.conflict('A change request needs a planned start and end to be scheduled', [
        { field, message: 'is required to schedule the change' },
      ]);
    }
    if (to === ChangeStatus.submitted) {
      change.status = statusOnSubmit(change.type);
      if (change.status === ChangeStatus.approved) change.decidedAt = this.clock.now();
      return;
    }
    change.status = to;
  }

  private async decide(
    scope: Scope,
    idOrKey: string,
    to: ChangeStatus.approved | ChangeStatus.rejected,
    comment?: string | null,
  ): Promise<ChangeRequest> {
    if (comment && comment.length > MAX_COMMENT)
      throw AppError.validation('comment', `must be at most ${MAX_COMMENT} characters`);
    const auth = scope.actor!;
    return scope.em.transactional(async (em) => {
      const change = await em.findOne(ChangeRequest, this.whereIdOrKey(idOrKey), {
        lockMode: LockMode.PESSIMISTIC_WRITE,
      });
      if (!change) throw AppError.notFound(this.options.label);
      const verb = to === ChangeStatus.approved ? 'approve' : 'reject';
      if (change.requester?.id === auth.userId)
        throw AppError.forbidden(`You requested ${change.key()}; another admin must ${verb} it`);
      if (change.status !== ChangeStatus.submitted) {
        throw AppError.conflict(`Only a submitted change request can be ${to}; ${change.key()} is ${change.status}`, [
          { field: 'status', message: `is ${change.status}, not submitted` },
        ]);
      }
      change.status = to;
      change.approver = em.getReference(User, auth.userId);
      change.decidedAt = this.clock.now();
      change.decisionComment = comment ?? null;
      await this.events.publish(em, auth.organizationId, 'change_request.status_changed', publishedChange(change), {
        status: ChangeStatus.submitted,
      });
      await em.flush();
      return change;
    });
  }
}

/** The planned window, when both ends are known, must start before it ends. */
function assertWindow(
  start: Date | null | undefined,
  end: Date | null | undefined,
  field: 'plannedStart' | 'plannedEnd',
): void {
  if (start && end && start.getTime() >= end.getTime()) {
    throw AppError.validation(
      field,
      field === 'plannedEnd' ? 'must be after the planned start' : 'must be before the planned end',
    );
  }
}

function publishedChange(change: ChangeRequest): PublishedRecord {
  return {
    typeName: 'ChangeRequest',
    record: change,
    facets: { serviceId: change.serviceId() },
    orderingKey: change.id,
  };
}
