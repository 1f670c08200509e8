import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors.js';
import type { Actor } from '../../core/scope.js';
import { Role } from '../../core/roles.js';
import type { SecretBox } from '../../core/secret-box.js';
import { CrudService } from '../crud.service.js';
import { User } from '../users/user.entity.js';
import { IdentityProvider } from './identity-provider.entity.js';
import { checkIssuer } from './issuer-url.js';
import {
  CreateIdentityProviderInput,
  IdentityProviderFilter,
  UpdateIdentityProviderInput,
} from './identity-provider.inputs.js';

type Input = Record<string, unknown>;

/** Roles a group may map to: never owner (owners are named in Argus, not by a provider's group). */
export const MAPPABLE_ROLES: readonly Role[] = [Role.admin, Role.responder, Role.viewer];
const MAX_MAPPINGS = 100;

/** The organization's identity provider (one at most): validation, the sealed client secret, the break-glass owner. */
export class IdentityProviderService extends CrudService<IdentityProvider> {
  constructor(
    private readonly secrets: SecretBox,
    private readonly allowHttpIssuer: boolean,
  ) {
    super(IdentityProvider, {
      label: 'identity provider',
      filter: IdentityProviderFilter,
      inputs: [CreateIdentityProviderInput, UpdateIdentityProviderInput],
      sort: { fields: ['createdAt', 'issuer'], default: 'createdAt' },
    });
  }

  /** The client secret in clear, for the token request. */
  clientSecretOf(provider: IdentityProvider): string {
    return this.secrets.open(provider.clientSecretSealed);
  }

  protected override async beforeCreate(em: EntityManager, _actor: Actor, data: Input): Promise<Input> {
    if (await em.count(IdentityProvider, {}))
      throw AppError.conflict('This organization already has an identity provider: update it instead');
    return this.checked(data);
  }

  protected override async applyUpdate(
    em: EntityManager,
    _actor: Actor,
    provider: IdentityProvider,
    data: Input,
  ): Promise<void> {
    em.assign(provider, this.checked(data));
  }

  private checked(data: Input): Input {
    const out: Input = { ...data };
    if (data.issuer !== undefined) out.issuer = checkIssuer(data.issuer as string, this.allowHttpIssuer);
    if (data.clientSecret !== undefined) {
      out.clientSecretSealed = this.secrets.seal(data.clientSecret as string);
      delete out.clientSecret;
    }
    if (data.roleMapping !== undefined) out.roleMapping = checkMapping(data.roleMapping);
    if (data.defaultRole === Role.owner) throw AppError.validation('defaultRole', 'must be admin, responder or viewer');
    if (data.breakGlassUser && (data.breakGlassUser as User).role !== Role.owner) {
      throw AppError.validation('breakGlassUserId', 'must be an owner of this organization');
    }
    return out;
  }
}

function checkMapping(value: unknown): Record<string, Role> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw AppError.validation('roleMapping', 'must be an object of group names to roles');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_MAPPINGS)
    throw AppError.validation('roleMapping', `must map at most ${MAX_MAPPINGS} groups`);
  for (const [group, role] of entries) {
    if (group.length < 1 || group.length > 200)
      throw AppError.validation('roleMapping', 'group names must be 1–200 characters');
    if (!MAPPABLE_ROLES.includes(role as Role))
      throw AppError.validation(
        'roleMapping',
        `maps "${group.slice(0, 40)}" to ${JSON.stringify(role)?.slice(0, 40)}: must be admin, responder or viewer`,
      );
  }
  return Object.fromEntries(entries) as Record<string, Role>;
}
