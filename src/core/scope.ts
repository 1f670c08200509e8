import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from './errors.js';
import type { Role } from './roles.js';

/** A signed-in caller: a person or an API token acting for one, always inside one organization. */
export interface Actor {
  userId: string;
  organizationId: string;
  role: Role;
  /** Set when the caller authenticated with an API token (audited with it). */
  apiTokenId?: string;
}

/**
 * What a domain service needs to act for someone, whichever way the call came in (GraphQL, REST, a background job,
 * an inbound webhook, the demo seed): an EntityManager (tenant-filtered to the actor's organization when there is
 * one) and the actor. The transport's own request context satisfies it; nothing below the api layer sees more.
 */
export interface Scope {
  em: EntityManager;
  actor: Actor | null;
}

/** The scope of a signed-in actor, as services that require one take it. */
export interface ActorScope extends Scope {
  actor: Actor;
}

/** The actor of a scope that must have one (the api layer has already refused anonymous callers). */
export function requireActor(scope: Scope): Actor {
  if (!scope.actor) throw AppError.unauthenticated();
  return scope.actor;
}
