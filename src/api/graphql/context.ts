import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { AppError } from '../../core/errors.js';
import { forkForOrganization } from '../../db/tenancy.js';
import type { Role } from '../../core/roles.js';
import type { Actor, Scope } from '../../core/scope.js';
import type { TokenService } from '../../modules/auth/tokens.js';
import type { TokenCheckCache } from '../../modules/auth/token-check-cache.js';
import type { Services } from '../services.js';
import { authenticateApiToken, isApiToken } from '../../modules/api-tokens/api-token-auth.js';
import { recordedAddress } from '../../core/client-address.js';
import type { BearerHeader } from '../../core/bearer.js';

export type { Actor };

/**
 * The request's context: a Scope (the EntityManager and the caller, when a valid token was sent) and the transport's
 * own.
 */
export interface Context extends Scope {
  requestId: string;
  /** Why a token that was sent was refused; raised only by operations that need auth. */
  authError: AppError | null;
  services: Services;
  log: Logger;
  ip: string;
  /** For the audit log: the User-Agent header and which surface the request came through. */
  userAgent: string | null;
  surface: 'graphql' | 'rest';
}

export interface ContextDeps {
  orm: MikroORM;
  tokens: TokenService;
  tokenChecks: TokenCheckCache;
  services: Services;
  log: Logger;
}

/** The one context factory, for Apollo (/graphql) and SOFA (/api/v1) alike. */
export async function createContext(
  deps: ContextDeps,
  request: { bearer?: BearerHeader; requestId?: string; ip?: string; userAgent?: string; surface?: 'graphql' | 'rest' },
): Promise<Context> {
  const requestId = request.requestId ?? randomUUID();
  const base = {
    requestId,
    services: deps.services,
    log: deps.log.child({ requestId }),
    ip: request.ip ?? '',
    userAgent: request.userAgent?.slice(0, 500) ?? null,
    surface: request.surface ?? 'graphql',
  };
  const bearer = request.bearer ?? { kind: 'none' };
  if (bearer.kind === 'none') return { ...base, em: deps.orm.em.fork(), actor: null, authError: null };
  if (bearer.kind === 'malformed') {
    return {
      ...base,
      em: deps.orm.em.fork(),
      actor: null,
      authError: AppError.unauthenticated('Authorization header must be "Bearer <token>"'),
    };
  }
  const token = bearer.token;
  try {
    if (isApiToken(token)) {
      const actor = await authenticateApiToken(deps.orm.em.fork(), token, recordedAddress(base.ip));
      return { ...base, em: forkForOrganization(deps.orm.em, actor.organizationId), actor, authError: null };
    }
    const claims = deps.tokens.verifyAccess(token);
    const em = forkForOrganization(deps.orm.em, claims.org);
    let user = deps.tokenChecks.get(claims.sub);
    // The session: a token of a logged-out session, or of a family revoked for refresh-token reuse, is refused.
    let revoked = claims.sid ? deps.tokenChecks.sessionRevoked(claims.sid) : false;
    if (!user || revoked === undefined) {
      const [row] = await em
        .getConnection()
        .execute<Array<{ role: Role; token_version: number; organization_id: string; revoked: boolean }>>(
          `select role, token_version, organization_id,
           exists (select 1 from refresh_tokens r where r.family_id = ?::uuid and r.revoked_at is not null) as revoked
         from users where id = ?`,
          [claims.sid ?? '00000000-0000-0000-0000-000000000000', claims.sub],
        );
      if (row) {
        deps.tokenChecks.set(
          claims.sub,
          (user = { role: row.role, tokenVersion: row.token_version, organizationId: row.organization_id }),
        );
        if (claims.sid) deps.tokenChecks.setSession(claims.sid, (revoked = row.revoked));
      }
    }
    if (!user || revoked || user.organizationId !== claims.org || user.tokenVersion !== claims.ver)
      throw AppError.unauthenticated('Invalid or expired access token');
    return { ...base, em, actor: { userId: claims.sub, organizationId: claims.org, role: user.role }, authError: null };
  } catch (error) {
    const authError = error instanceof AppError ? error : AppError.unauthenticated('Invalid or expired access token');
    return { ...base, em: deps.orm.em.fork(), actor: null, authError };
  }
}
