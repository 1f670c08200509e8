import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors.js';
import { Role, roleAtLeast } from '../../core/roles.js';
import type { Actor } from '../../core/scope.js';
import { API_TOKEN_PREFIX, hashApiToken } from './api-token.service.js';

/** How often a token's last use (time and address) is written at most, while the address stays the same. */
const LAST_USE_RESOLUTION_MS = 30_000;
const TOKEN_SHAPE = /^argus_pat_[A-Za-z0-9_-]{43}$/;

export function isApiToken(bearer: string): boolean {
  return bearer.startsWith(API_TOKEN_PREFIX);
}

interface TokenRow {
  id: string;
  organization_id: string;
  user_id: string;
  kind: 'personal' | 'service';
  role: Role;
  expires_at: Date | null;
  last_used_at: Date | null;
  last_used_ip: string | null;
  user_role: Role;
  user_disabled: boolean;
}

/**
 * The actor of an API token, read from the database on every request (no cache: a revoked token, or one whose user
 * was disabled, is refused at once by every process). A personal token never acts above its user's current role.
 */
export async function authenticateApiToken(
  em: EntityManager,
  token: string,
  address: string | null,
  now = new Date(),
): Promise<Actor> {
  if (!TOKEN_SHAPE.test(token)) throw AppError.unauthenticated('Invalid API token');
  const [row] = await em.getConnection().execute<TokenRow[]>(
    `select t.id, t.organization_id, t.user_id, t.kind, t.role, t.expires_at, t.last_used_at, t.last_used_ip,
       u.role as user_role, u.disabled as user_disabled
     from api_tokens t join users u on u.id = t.user_id and u.organization_id = t.organization_id
     where t.token_hash = ?`,
    [hashApiToken(token)],
  );
  if (!row || row.user_disabled) throw AppError.unauthenticated('Invalid API token');
  if (row.expires_at && new Date(row.expires_at).getTime() <= now.getTime())
    throw AppError.unauthenticated('This API token has expired');
  const stale =
    !row.last_used_at ||
    now.getTime() - new Date(row.last_used_at).getTime() >= LAST_USE_RESOLUTION_MS ||
    row.last_used_ip !== address;
  if (stale) {
    await em
      .getConnection()
      .execute('update api_tokens set last_used_at = ?, last_used_ip = ? where id = ?', [now, address, row.id]);
  }
  const role = row.kind === 'personal' && !roleAtLeast(row.user_role, row.role) ? row.user_role : row.role;
  return { userId: row.user_id, organizationId: row.organization_id, role, apiTokenId: row.id };
}

/** The id of a valid, unexpired token (for rate limits, which count per token); undefined for anything else. */
export async function apiTokenIdOf(em: EntityManager, token: string): Promise<string | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const [row] = await em
    .getConnection()
    .execute<Array<{ id: string }>>(
      'select id from api_tokens where token_hash = ? and (expires_at is null or expires_at > now())',
      [hashApiToken(token)],
    );
  return row?.id;
}
