import { Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import { Role } from '../../core/roles.js';
import { IdentityProvider } from './identity-provider.entity.js';
import {
  CreateIdentityProviderInput,
  IdentityProviderFilter,
  UpdateIdentityProviderInput,
} from './identity-provider.inputs.js';

@Resolver(() => IdentityProvider)
export class IdentityProviderResolver extends CrudResolver({
  entity: IdentityProvider,
  single: 'identityProvider',
  plural: 'identityProviders',
  path: '/identity-providers',
  createInput: CreateIdentityProviderInput,
  updateInput: UpdateIdentityProviderInput,
  filterInput: IdentityProviderFilter,
  service: (ctx) => ctx.services.identityProviders,
  readRole: Role.admin,
  writeRole: Role.admin,
}) {}
