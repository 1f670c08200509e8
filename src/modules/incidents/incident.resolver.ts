import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../api/graphql/context.js';
import { AppError } from '../../core/errors.js';
import { timelineLoader } from './timeline.loader.js';
import { CrudResolver } from '../../api/graphql/crud.js';
import { Role } from '../../core/roles.js';
import { Incident } from './incident.entity.js';
import { CreateIncidentInput, IncidentFilter, UpdateIncidentInput } from './incident.inputs.js';
import { IncidentEvent } from './incident-event.entity.js';
import { CreateIncidentEventInput, IncidentEventFilter, UpdateIncidentEventInput } from './incident-event.inputs.js';

@Resolver(() => Incident)
export class IncidentResolver extends CrudResolver({
  entity: Incident,
  single: 'incident',
  plural: 'incidents',
  path: '/incidents',
  keyed: true,
  createInput: CreateIncidentInput,
  createRuns: 'deferred',
  updateInput: UpdateIncidentInput,
  filterInput: IncidentFilter,
  service: (ctx) => ctx.services.incidents,
  writeRole: Role.responder,
  deleteRole: Role.admin,
}) {
  @FieldResolver(() => [IncidentEvent], {
    description: 'The newest timeline entries, newest first (limit 1–100, default 10)',
  })
  async timeline(
    @Root() incident: Incident,
    @Arg('limit', () => Int, { defaultValue: 10 }) limit: number,
    @Ctx() ctx: Context,
  ): Promise<IncidentEvent[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw AppError.validation('limit', 'must be an integer from 1 to 100');
    return timelineLoader(ctx.em, limit).load(incident.id);
  }
}

@Resolver(() => IncidentEvent)
export class IncidentEventResolver extends CrudResolver({
  entity: IncidentEvent,
  single: 'incidentEvent',
  plural: 'incidentEvents',
  path: '/incident-events',
  createInput: CreateIncidentEventInput,
  updateInput: UpdateIncidentEventInput,
  filterInput: IncidentEventFilter,
  service: (ctx) => ctx.services.incidentEvents,
  writeRole: Role.responder,
}) {}
