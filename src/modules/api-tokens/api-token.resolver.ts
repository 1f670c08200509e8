import { Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import { Role } from '../../core/roles.js';
import { ApiToken } from './api-token.entity.js';
import { ApiTokenFilter, CreateApiTokenInput, UpdateApiTokenInput } from './api-token.inputs.js';

@Resolver(() => ApiToken)
export class ApiTokenResolver extends CrudResolver({
  entity: ApiToken,
  single: 'apiToken',
  plural: 'apiTokens',
  path: '/api-tokens',
  createInput: CreateApiTokenInput,
  updateInput: UpdateApiTokenInput,
  filterInput: ApiTokenFilter,
  service: (ctx) => ctx.services.apiTokens,
  writeRole: Role.viewer,
}) {}
