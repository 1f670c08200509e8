import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors.js';
import type { Actor, Scope } from '../../core/scope.js';
import { CrudService } from '../crud.service.js';
import { Role, roleAtLeast } from '../../core/roles.js';
import { User } from '../users/user.entity.js';
import { IncidentEvent } from './incident-event.entity.js';
import { IncidentEventType } from './incident.enums.js';
import { Incident } from './incident.entity.js';
import { published } from './incident.service.js';
import type { EventPublisher } from '../events/event-publisher.js';
import { Clock, systemClock } from '../../core/clock.js';
import { CreateIncidentEventInput, IncidentEventFilter, UpdateIncidentEventInput } from './incident-event.inputs.js';

type Input = Record<string, unknown>;

/** The timeline: people add comments; every other entry is written by the incident's own rules. */
export class IncidentEventService extends CrudService<IncidentEvent> {
  constructor(
    private readonly events: EventPublisher,
    private readonly clock: Clock = systemClock,
  ) {
    super(IncidentEvent, {
      label: 'incident event',
      filter: IncidentEventFilter,
      inputs: [CreateIncidentEventInput, UpdateIncidentEventInput],
      sort: { fields: ['occurredAt', 'createdAt'], default: 'occurredAt' },
    });
  }

  protected override async beforeCreate(em: EntityManager, auth: Actor, data: Input): Promise<Input> {
    const type = data.type as IncidentEventType | null | undefined;
    if (type !== undefined && type !== null && type !== IncidentEventType.comment) {
      throw AppError.validation(
        'type',
        `must be comment: a ${type} entry is written by Argus itself when the incident changes`,
      );
    }
    const occurredAt = data.occurredAt as Date | null | undefined;
    const now = this.clock.now();
    if (occurredAt !== undefined && occurredAt !== null) {
      // A person's comment is stamped when it is written. Setting the time is importing history: admins and owners
      // only, and never before the incident started nor in the future.
      if (!roleAtLeast(auth.role, Role.admin)) {
        throw new AppError(
          'FORBIDDEN',
          'Only admins and owners set occurred_at (importing history); a comment is stamped when it is written',
          [{ field: 'occurredAt', message: 'may be set by admins and owners only' }],
        );
      }
      if (occurredAt.getTime() > now.getTime() + 60_000)
        throw AppError.validation('occurredAt', 'must not be in the future');
      const incident = await em.findOne(Incident, { id: (data.incident as { id: string }).id });
      if (incident && occurredAt.getTime() < incident.startedAt.getTime())
        throw AppError.validation('occurredAt', 'must not be before the incident started');
    }
    return {
      ...data,
      occurredAt: occurredAt ?? now,
      type: IncidentEventType.comment,
      actor: em.getReference(User, auth.userId),
    };
  }

  protected override async afterCreate(em: EntityManager, auth: Actor, comment: IncidentEvent): Promise<void> {
    const incident = comment.incident;
    await this.events.publish(em, auth.organizationId, 'incident.comment_added', {
      typeName: 'IncidentEvent',
      record: comment,
      facets: published(incident).facets,
      orderingKey: incident.id,
    });
  }

  protected override async applyUpdate(
    em: EntityManager,
    auth: Actor,
    event: IncidentEvent,
    data: Input,
  ): Promise<void> {
    this.assertOwnComment(auth, event);
    em.assign(event, data as never);
  }

  override async remove(scope: Scope, id: string): Promise<boolean> {
    const event = await this.get(scope, id);
    this.assertOwnComment(scope.actor!, event);
    await scope.em.remove(event).flush();
    return true;
  }

  private assertOwnComment(auth: Actor, event: IncidentEvent): void {
    if (event.type !== IncidentEventType.comment) {
      throw AppError.conflict('Only comments can be changed; other timeline entries are a record of what happened');
    }
    if (event.actor?.id !== auth.userId && !roleAtLeast(auth.role, Role.admin)) {
      throw AppError.forbidden('Only the author or an admin can change a comment');
    }
  }
}
