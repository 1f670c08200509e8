import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { AppError } from '../../core/errors.js';
import { Role, roleAtLeast } from '../../core/roles.js';
import { requireActor, type Actor, type Scope } from '../../core/scope.js';
import type { Clock } from '../../core/clock.js';
import type { Page, PageArgs } from '../../db/pagination.js';
import { CrudService } from '../crud.service.js';
import { User } from '../users/user.entity.js';
import { ApiToken, ApiTokenKind } from './api-token.entity.js';
import { ApiTokenFilter } from './api-token.inputs.js';

type Input = Record<string, unknown>;

export const API_TOKEN_PREFIX = 'argus_pat_';
/** The characters of a token shown in lists (the prefix and four more). */
const SHOWN_CHARACTERS = API_TOKEN_PREFIX.length + 4;

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * API tokens: personal ones (anyone, for themselves, at most their own role) and service tokens (admins, with a role
 * they choose). Admins see and revoke every token of the organization; others their own. Tokens are created by
 * people only: a request authenticated by a token cannot mint another.
 */
export class ApiTokenService extends CrudService<ApiToken> {
  constructor(private readonly clock: Clock) {
    super(ApiToken, {
      label: 'API token',
      filter: ApiTokenFilter,
      sort: { fields: ['name', 'createdAt', 'lastUsedAt', 'expiresAt'], default: '-createdAt' },
    });
  }

  override async get(scope: Scope, id: string): Promise<ApiToken> {
    const token = await super.get(scope, id);
    if (!visibleTo(requireActor(scope), token)) throw AppError.notFound(this.options.label);
    return token;
  }

  override async list(
    scope: Scope,
    filter: Input | undefined,
    page: PageArgs,
    withTotal = false,
  ): Promise<Page<ApiToken>> {
    const actor = requireActor(scope);
    const where = roleAtLeast(actor.role, Role.admin)
      ? this.whereFromFilter(filter ?? {})
      : ({
          $and: [this.whereFromFilter(filter ?? {}), { user: actor.userId, kind: ApiTokenKind.personal }],
        } as FilterQuery<ApiToken>);
    return this.listWhere(scope, where, page, withTotal);
  }

  /** Revocation: the row goes, and the next request with the token is refused, in every process. */
  override async remove(scope: Scope, id: string): Promise<boolean> {
    const token = await this.get(scope, id);
    await scope.em.remove(token).flush();
    return true;
  }

  protected override async beforeCreate(em: EntityManager, actor: Actor, data: Input): Promise<Input> {
    if (actor.apiTokenId)
      throw AppError.forbidden('API tokens are created by people signed in, not by another API token');
    const kind = (data.kind as ApiTokenKind | undefined) ?? ApiTokenKind.personal;
    let role = data.role as Role | undefined;
    if (kind === ApiTokenKind.service) {
      if (!roleAtLeast(actor.role, Role.admin)) throw AppError.forbidden('Service tokens are created by admins');
      if (!role) throw AppError.validation('role', 'is required for a service token');
      if (role === Role.owner)
        throw AppError.validation('role', 'of a service token must be admin, responder or viewer');
    } else {
      role ??= actor.role;
      if (!roleAtLeast(actor.role, role))
        throw AppError.forbidden(`A personal token's role cannot be above yours (${actor.role})`);
    }
    const expiresAt = data.expiresAt as Date | null | undefined;
    if (expiresAt && expiresAt.getTime() <= this.clock.now().getTime())
      throw AppError.validation('expiresAt', 'must be in the future');
    const token = data.plainToken as string;
    return {
      name: data.name,
      kind,
      role,
      expiresAt: expiresAt ?? null,
      user: em.getReference(User, actor.userId),
      tokenHash: hashApiToken(token),
      tokenPrefix: token.slice(0, SHOWN_CHARACTERS),
    };
  }

  /** The token is made here and handed through the create's input, so the answer can show it once. */
  override async create(scope: Scope, input: Input): Promise<ApiToken> {
    return super.create(scope, { ...input, plainToken: `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}` });
  }

  protected override async afterCreate(
    _em: EntityManager,
    _actor: Actor,
    record: ApiToken,
    input: Input,
  ): Promise<void> {
    record.issuedToken = input.plainToken as string;
  }

  protected override async applyUpdate(em: EntityManager, actor: Actor, token: ApiToken, data: Input): Promise<void> {
    if (!visibleTo(actor, token)) throw AppError.notFound(this.options.label);
    if (data.name !== undefined) token.name = data.name as string;
  }
}

function visibleTo(actor: Actor, token: ApiToken): boolean {
  return (
    roleAtLeast(actor.role, Role.admin) || (token.kind === ApiTokenKind.personal && token.user.id === actor.userId)
  );
}
