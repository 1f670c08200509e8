import type { AuthChecker } from 'type-graphql';
import { AppError } from '../../core/errors.js';
import type { Context } from './context.js';
import { Role, roleAtLeast } from '../../core/roles.js';

/**
 * The one place roles are checked. `@Authorized()` needs any signed-in user; `@Authorized(Role.responder)` needs at
 * least that role. Failing throws the documented error instead of TypeGraphQL's generic one.
 */
export const authChecker: AuthChecker<Context, Role> = ({ context }, roles) => {
  if (!context.actor) throw context.authError ?? AppError.unauthenticated();
  const required = roles[0];
  if (required && !roleAtLeast(context.actor.role, required)) {
    throw AppError.forbidden(`This action needs the ${required} role or higher`);
  }
  return true;
};

/** For code paths outside resolvers' decorators (e.g. a rule that depends on the record). */
export function requireAuth(ctx: Context) {
  if (!ctx.actor) throw ctx.authError ?? AppError.unauthenticated();
  return ctx.actor;
}
