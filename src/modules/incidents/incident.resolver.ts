import { Resolver } from 'type-graphql';
import { CrudResolver } from '../../graphql/crud.js';
import { Role } from '../../auth/roles.js';
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
  updateInput: UpdateIncidentInput,
  filterInput: IncidentFilter,
  service: (ctx) => ctx.services.incidents,
  writeRole: Role.responder,
  deleteRole: Role.admin,
}) {}

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
