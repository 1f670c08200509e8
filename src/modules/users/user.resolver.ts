import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import type { Context } from '../../api/graphql/context.js';
import { Role } from '../../core/roles.js';
import { RestRoute } from '../../api/rest/routes.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotent } from '../../api/idempotency/idempotency.js';
import { User } from './user.entity.js';
import { InviteUserInput, UpdateUserInput, UserFilter } from './user.inputs.js';
import { UserInvitation } from './user.types.js';

@Resolver(() => User)
export class UserResolver extends CrudResolver({
  entity: User,
  single: 'user',
  plural: 'users',
  path: '/users',
  updateInput: UpdateUserInput,
  filterInput: UserFilter,
  service: (ctx) => ctx.services.users,
  writeRole: Role.admin,
}) {
  @Authorized(Role.admin)
  @Mutation(() => UserInvitation, { description: 'Invites a user into the organization; the token is shown once' })
  @RestRoute({ method: 'POST', path: '/users', responseStatus: 201, tags: ['users'] })
  async createUser(
    @Arg('input', () => InviteUserInput) input: InviteUserInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION })
    idempotencyKey: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<UserInvitation> {
    return idempotent(ctx, 'createUser', idempotencyKey, input, () => ctx.services.users.invite(ctx, input));
  }
}
