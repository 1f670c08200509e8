import { Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import { Role } from '../../core/roles.js';
import { SlaPolicy } from './sla-policy.entity.js';
import { CreateSlaPolicyInput, SlaPolicyFilter, UpdateSlaPolicyInput } from './sla-policy.inputs.js';

@Resolver(() => SlaPolicy)
export class SlaPolicyResolver extends CrudResolver({
  entity: SlaPolicy,
  single: 'slaPolicy',
  plural: 'slaPolicies',
  path: '/sla-policies',
  createInput: CreateSlaPolicyInput,
  updateInput: UpdateSlaPolicyInput,
  filterInput: SlaPolicyFilter,
  service: (ctx) => ctx.services.slaPolicies,
  writeRole: Role.admin,
}) {}
