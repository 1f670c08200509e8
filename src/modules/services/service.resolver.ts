import { Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import { Role } from '../../core/roles.js';
import { Service } from './service.entity.js';
import { CreateServiceInput, ServiceFilter, UpdateServiceInput } from './service.inputs.js';

@Resolver(() => Service)
export class ServiceResolver extends CrudResolver({
  entity: Service,
  single: 'service',
  plural: 'services',
  path: '/services',
  createInput: CreateServiceInput,
  updateInput: UpdateServiceInput,
  filterInput: ServiceFilter,
  service: (ctx) => ctx.services.services,
  writeRole: Role.admin,
}) {}
