import type { EntityManager } from '@mikro-orm/postgresql';
import { CrudService } from '../crud.service.js';
import { AppError } from '../../core/errors.js';
import type { Actor } from '../../core/scope.js';
import { User } from '../users/user.entity.js';
import { Incident } from '../incidents/incident.entity.js';
import { published } from '../incidents/incident.service.js';
import type { EventPublisher } from '../events/event-publisher.js';
import { ActionItem, Postmortem, PostmortemStatus } from './postmortem.entity.js';
import { CreatePostmortemInput, PostmortemFilter, UpdatePostmortemInput } from './postmortem.inputs.js';
import type { EventType } from '../events/event-types.js';

const FORWARD: Record<PostmortemStatus, PostmortemStatus[]> = {
  draft: [PostmortemStatus.in_review, PostmortemStatus.published],
  in_review: [PostmortemStatus.draft, PostmortemStatus.published],
  published: [],
};

type Input = Record<string, unknown>;

/** The moves of a postmortem that subscribers hear of: ready for review, and published. */
const ANNOUNCED_STATUS: Partial<Record<PostmortemStatus, EventType>> = {
  [PostmortemStatus.in_review]: 'postmortem.in_review',
  [PostmortemStatus.published]: 'postmortem.published',
};

export class PostmortemService extends CrudService<Postmortem> {
  constructor(private readonly events: EventPublisher) {
    super(Postmortem, {
      label: 'postmortem',
      filter: PostmortemFilter,
      inputs: [CreatePostmortemInput, UpdatePostmortemInput],
      sort: { fields: ['createdAt', 'updatedAt', 'title'], default: '-createdAt' },
    });
  }

  protected override async toEntityData(em: EntityManager, input: Input): Promise<Input> {
    const { actionItems, ...rest } = input;
    const data = await super.toEntityData(em, rest);
    if (actionItems !== undefined) data.actionItems = await this.checkOwners(em, actionItems as ActionItem[]);
    return data;
  }

  protected override async beforeCreate(em: EntityManager, _auth: Actor, data: Input): Promise<Input> {
    const incident = data.incident as Incident;
    if (await em.count(Postmortem, { incident })) {
      throw AppError.conflict(`${incident.key()} already has a postmortem`, [
        { field: 'incidentId', message: 'already has a postmortem' },
      ]);
    }
    const duration = data.durationMinutes ?? minutesBetween(incident.startedAt, incident.resolvedAt);
    return { ...data, durationMinutes: duration, aiGenerated: false };
  }

  protected override async applyUpdate(
    em: EntityManager,
    auth: Actor,
    postmortem: Postmortem,
    data: Input,
  ): Promise<void> {
    const status = data.status as PostmortemStatus | undefined;
    const before = postmortem.status;
    if (postmortem.status === PostmortemStatus.published && Object.keys(data).length) {
      throw AppError.conflict('A published postmortem is final');
    }
    if (status !== undefined && status !== postmortem.status && !FORWARD[postmortem.status].includes(status)) {
      throw AppError.conflict(`A postmortem cannot go from ${postmortem.status} to ${status}`, [
        { field: 'status', message: `cannot go from ${postmortem.status} to ${status}` },
      ]);
    }
    if (data.incident) throw AppError.validation('incidentId', 'cannot be changed');
    // A person editing an AI draft's content makes it theirs: a later AI draft will not overwrite it
    // (docs/DECISIONS.md).
    if (postmortem.aiGenerated && Object.keys(data).some((k) => k !== 'status')) data = { ...data, aiGenerated: false };
    em.assign(postmortem, data as never);
    const announced = status !== before ? ANNOUNCED_STATUS[status as PostmortemStatus] : undefined;
    if (announced) {
      const incident = await em.findOneOrFail(Incident, { id: postmortem.incident.id });
      await this.events.publish(
        em,
        auth.organizationId,
        announced,
        {
          typeName: 'Postmortem',
          record: postmortem,
          facets: published(incident).facets,
          orderingKey: incident.id,
        },
        { status: before },
      );
    }
  }

  private async checkOwners(em: EntityManager, items: ActionItem[]): Promise<ActionItem[]> {
    const ids = [...new Set(items.map((i) => i.ownerId).filter((id): id is string => Boolean(id)))];
    if (ids.length && (await em.count(User, { id: { $in: ids } })) !== ids.length) {
      throw AppError.validation('actionItems.ownerId', 'refers to no user of this organization');
    }
    return items.map((i) => ({
      description: i.description,
      ownerId: i.ownerId ?? null,
      dueAt: i.dueAt ?? null,
      done: i.done ?? false,
    }));
  }
}

function minutesBetween(start: Date, end?: Date | null): number | null {
  return end ? Math.max(0, Math.round((end.getTime() - start.getTime()) / 60_000)) : null;
}
