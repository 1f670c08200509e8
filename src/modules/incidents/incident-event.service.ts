import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors.js';
import type { Actor, Scope } from '../../core/scope.js';
import { CrudService } from '../crud.service.js';
import { Role, roleAtLeast } from '../../core/roles.js';
import { User } from '../users/user.entity.js';
import { IncidentEvent } from './incident-event.entity.js';
import { IncidentEventType } from './incident.enums.js';
import { Incident, INCIDENT_KEY_PREFIX } from './incident.entity.js';
import { published } from './incident.service.js';
import type { EventPublisher } from '../events/event-publisher.js';

type Input = Record<string, unknown>;

/** The timeline: people add comments; every other entry is written by the incident's own rules. */
export class IncidentEventService extends CrudService<IncidentEvent> {
  constructor(private readonly events: EventPublisher) {
    super(IncidentEvent, {
      label: 'incident event',
      filters: {
        incidentId: { kind: 'in', property: 'incident', keyPrefix: INCIDENT_KEY_PREFIX },
        type: { kind: 'in', property: 'type' },
        actorId: { kind: 'in', property: 'actor' },
        createdAfter: { kind: 'after', property: 'createdAt' },
        createdBefore: { kind: 'before', property: 'createdAt' },
        q: { kind: 'text', properties: ['message'] },
      },
      sort: { fields: ['occurredAt', 'createdAt'], default: 'occurredAt' },
      references: { incidentId: { property: 'incident', entity: Incident, keyPrefix: INCIDENT_KEY_PREFIX } },
    });
  }

  protected override async beforeCreate(em: EntityManager, auth: Actor, data: Input): Promise<Input> {
    const occurredAt = data.occurredAt as Date | undefined;
    if (occurredAt && occurredAt.getTime() > Date.now() + 60_000) throw AppError.validation('occurredAt', 'must not be in the future');
    return { ...data, type: IncidentEventType.comment, actor: em.getReference(User, auth.userId) };
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

  protected override async applyUpdate(em: EntityManager, auth: Actor, event: IncidentEvent, data: Input): Promise<void> {
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
