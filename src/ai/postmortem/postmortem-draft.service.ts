import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsBoolean, IsOptional } from 'class-validator';
import { AppError } from '../../core/errors.js';
import { requireActor } from '../../core/scope.js';
import type { Scope } from '../../core/scope.js';
import { IdOrKeyScalar } from '../../core/scalars.js';
import { Role, roleAtLeast } from '../../core/roles.js';
import type { Clock } from '../../core/clock.js';
import type { PostmortemDrafter } from './postmortem-drafter.js';
import type { PostmortemDraftContent } from './embedded-drafter.js';
import type { DraftSource, TimelineSnapshot } from './draft-source.js';
import { Incident } from '../../modules/incidents/incident.entity.js';
import { IncidentEvent } from '../../modules/incidents/incident-event.entity.js';
import { IncidentEventType } from '../../modules/incidents/incident.enums.js';
import { ChangeRequest } from '../../modules/changes/change-request.entity.js';
import { User } from '../../modules/users/user.entity.js';
import type { IncidentService } from '../../modules/incidents/incident.service.js';
import {
  ActionItem,
  Postmortem,
  PostmortemStatus,
  PostmortemTimelineEntry,
} from '../../modules/postmortems/postmortem.entity.js';

@InputType()
export class DraftPostmortemInput {
  @Field(() => IdOrKeyScalar, { description: 'The incident, by id or key (INC-42)' })
  incidentId: string;

  @Field({
    defaultValue: false,
    description: 'Also save the draft as the incident’s postmortem (status draft, aiGenerated); responders and up',
  })
  @IsOptional()
  @IsBoolean()
  persist: boolean = false;
}

@ObjectType({
  description: 'A postmortem drafted from an incident’s record; timeline and action items as a Postmortem keeps them',
})
export class PostmortemDraft {
  @Field()
  title: string;

  @Field({ description: 'Who and what was affected, for how long' })
  severityImpact: string;

  @Field(() => [PostmortemTimelineEntry], { description: 'The incident’s timeline, with its recorded times' })
  timeline: PostmortemTimelineEntry[];

  @Field(() => String, {
    nullable: true,
    description: 'From the linked problem or the comments; null when the record names none',
  })
  rootCause: string | null;

  @Field(() => [String])
  contributingFactors: string[];

  @Field(() => [ActionItem], {
    description: 'From linked change requests, the problem’s workaround and follow-up comments',
  })
  actionItems: ActionItem[];

  @Field(() => Int, { description: 'From started to resolved, or to now while the incident is not resolved (ongoing)' })
  durationMinutes: number;

  @Field({ description: 'True when the incident is not resolved: the duration runs to the time of the draft' })
  ongoing: boolean;

  @Field()
  startedAt: Date;

  @Field(() => Date, { nullable: true, description: 'resolved_at; null while ongoing' })
  endedAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'How it was mitigated and resolved, from the comments of that time',
  })
  resolution: string | null;

  @Field(() => ID)
  incidentId: string;

  @Field()
  incidentKey: string;

  @Field(() => ID, { nullable: true, description: 'The linked problem' })
  problemId: string | null;

  @Field(() => [ID], { description: 'Change requests linked to the incident (see docs/DECISIONS.md)' })
  changeRequestIds: string[];
}

@ObjectType()
export class PostmortemDraftResult {
  @Field(() => PostmortemDraft)
  draft: PostmortemDraft;

  @Field({ description: 'Which model wrote the draft: the configured chat model, or the embedded drafter' })
  model: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the configured model was not used (timeout, rate_limited, server_error, model_error, unreachable, malformed_output)',
  })
  fallbackReason: string | null;

  @Field(() => [String], {
    description: 'Facts the model changed that were put back from the record (durations, timestamps...)',
  })
  corrections: string[];

  @Field(() => Postmortem, { nullable: true, description: 'The saved postmortem, when persist was true' })
  postmortem: Postmortem | null;
}

/** The order of entries written in one transaction (same time): the opening first. */
const TYPE_ORDER: Record<string, number> = {
  created: 0,
  problem_linked: 1,
  status_changed: 2,
  severity_changed: 3,
  assigned: 4,
};

/**
 * POST /ai/postmortem-draft: the record of an incident → a draft (PostmortemDrafter), optionally saved as the
 * incident's
 * postmortem. Any role may draft (a draft shows only what the caller can read anyway); saving needs a responder.
 */
export class PostmortemDraftService {
  constructor(
    private readonly drafter: PostmortemDrafter,
    private readonly incidents: IncidentService,
    private readonly clock: Clock,
  ) {}

  async draft(scope: Scope, input: { incidentId: string; persist?: boolean | null }): Promise<PostmortemDraftResult> {
    const auth = requireActor(scope);
    if (input.persist && !roleAtLeast(auth.role, Role.responder)) {
      throw AppError.forbidden(
        'Saving a draft needs the responder role or higher; draft with persist false to preview it',
      );
    }
    const source = await this.loadSource(scope.em, input.incidentId);
    const answer = await this.drafter.draft(source);
    const draft = Object.assign(new PostmortemDraft(), answer.content);
    const postmortem = input.persist ? await this.save(scope.em, source.incident.id, answer.content) : null;
    return {
      draft,
      model: answer.model,
      fallbackReason: answer.fallbackReason,
      corrections: answer.corrections,
      postmortem,
    };
  }

  /**
   * Saves the draft as the incident's postmortem: creates it (draft, aiGenerated), or updates the AI draft made before.
   * A postmortem a person wrote or edited (aiGenerated false), or took to review or publication, is never overwritten.
   */
  private async save(em: EntityManager, incidentId: string, content: PostmortemDraftContent): Promise<Postmortem> {
    return em.transactional(async (tem) => {
      // Concurrent saves for one incident queue on its row, so the second one updates what the first created.
      const incident = await tem.findOneOrFail(Incident, { id: incidentId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const existing = await tem.findOne(Postmortem, { incident });
      const data = {
        title: content.title,
        severityImpact: content.severityImpact,
        timeline: content.timeline.map((e) => ({ at: e.at, description: e.description })),
        rootCause: content.rootCause,
        contributingFactors: content.contributingFactors,
        actionItems: content.actionItems.map((a) => ({
          description: a.description,
          ownerId: a.ownerId,
          dueAt: a.dueAt,
          done: a.done,
        })),
        durationMinutes: content.durationMinutes,
      };
      if (existing) {
        if (!existing.aiGenerated || existing.status !== PostmortemStatus.draft) {
          const why =
            existing.status !== PostmortemStatus.draft
              ? `is ${existing.status.replace('_', ' ')}`
              : 'was written or edited by a person';
          throw AppError.conflict(
            `${incident.key()} already has a postmortem that ${why}; it is not overwritten (draft with persist false to compare)`,
            [{ field: 'incidentId', message: `already has a postmortem that ${why}` }],
          );
        }
        tem.assign(existing, data);
        return existing;
      }
      return tem.create(Postmortem, { ...data, incident, status: PostmortemStatus.draft, aiGenerated: true });
    });
  }

  /**
   * The incident's record as plain snapshots: the incident, its timeline, the people named, its problem, candidate
   * changes.
   */
  private async loadSource(em: EntityManager, incidentId: string): Promise<DraftSource> {
    const incident = await em.findOne(Incident, this.incidents.whereIdOrKey(incidentId), {
      populate: ['service', 'team', 'problem'],
    });
    if (!incident) throw AppError.notFound('incident');
    const events = await em.find(
      IncidentEvent,
      { incident },
      { orderBy: [{ occurredAt: 'asc' }, { createdAt: 'asc' }] },
    );
    events.sort(
      (a, b) =>
        a.occurredAt.getTime() - b.occurredAt.getTime() ||
        a.createdAt.getTime() - b.createdAt.getTime() ||
        (TYPE_ORDER[a.type] ?? 9) - (TYPE_ORDER[b.type] ?? 9),
    );
    const problem = incident.problem ?? null;
    const serviceId = incident.service?.id ?? null;
    const keyPattern = (key: string) => `%${key}%`;
    const or: object[] = [
      { title: { $ilike: keyPattern(incident.key()) } },
      { description: { $ilike: keyPattern(incident.key()) } },
    ];
    if (problem)
      or.push({ title: { $ilike: keyPattern(problem.key()) } }, { description: { $ilike: keyPattern(problem.key()) } });
    if (serviceId) or.push({ service: serviceId }, { assets: { service: serviceId } });
    const changes = await em.find(ChangeRequest, { $or: or }, { populate: ['assets'], orderBy: { createdAt: 'asc' } });

    const userIds = new Set<string>();
    for (const e of events) {
      if (e.actor) userIds.add(e.actor.id);
      if (e.type === IncidentEventType.assigned && typeof e.data.to === 'string') userIds.add(e.data.to);
    }
    const users = userIds.size ? await em.find(User, { id: { $in: [...userIds] } }) : [];

    return {
      incident: {
        id: incident.id,
        key: incident.key(),
        title: incident.title,
        description: incident.description ?? null,
        severity: incident.severity,
        status: incident.status,
        startedAt: incident.startedAt,
        acknowledgedAt: incident.acknowledgedAt ?? null,
        mitigatedAt: incident.mitigatedAt ?? null,
        resolvedAt: incident.resolvedAt ?? null,
        serviceId,
        serviceName: incident.service?.name ?? null,
        teamName: incident.team?.name ?? null,
        slaBreached: incident.slaBreached,
      },
      events: events.map((e): TimelineSnapshot => ({
        type: e.type,
        message: e.message ?? null,
        actorId: e.actor?.id ?? null,
        data: e.data,
        occurredAt: e.occurredAt,
      })),
      userNames: Object.fromEntries(users.map((u) => [u.id, u.name])),
      problem: problem && {
        id: problem.id,
        key: problem.key(),
        title: problem.title,
        description: problem.description ?? null,
        status: problem.status,
        rootCause: problem.rootCause ?? null,
        workaround: problem.workaround ?? null,
      },
      changes: changes.map((c) => ({
        id: c.id,
        key: c.key(),
        title: c.title,
        description: c.description ?? null,
        status: c.status,
        type: c.type,
        plannedStart: c.plannedStart ?? null,
        plannedEnd: c.plannedEnd ?? null,
        createdAt: c.createdAt,
        serviceId: c.service?.id ?? null,
        assetServiceIds: c.assets
          .getItems()
          .map((a) => a.service?.id)
          .filter((id): id is string => Boolean(id)),
        ownerId: c.implementer?.id ?? c.requester?.id ?? null,
      })),
      now: this.clock.now(),
    };
  }
}
