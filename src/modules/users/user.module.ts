import { randomBytes } from 'node:crypto';
import { IsEmail, IsOptional, Length, MaxLength } from 'class-validator';
import { Arg, Authorized, Ctx, Field, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CrudResolver } from '../../api/graphql/crud.js';
import { CrudService } from '../crud.service.js';
import { AppError } from '../../core/errors.js';
import type { Actor, Context } from '../../api/graphql/context.js';
import { Role, roleAtLeast } from '../../core/roles.js';
import { hashRefreshToken } from '../auth/tokens.js';
import { restRoute } from '../../api/rest/routes.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotent } from '../../api/idempotency/idempotency.js';
import { User, normalizeEmail } from './user.entity.js';

const INVITATION_TTL_DAYS = 7;

@InputType()
export class InviteUserInput {
  @Field()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @Field()
  @Length(1, 120)
  name: string;

  @Field(() => Role)
  role: Role;
}

@InputType()
export class UpdateUserInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string;

  @Field(() => Role, { nullable: true })
  role?: Role;
}

@InputType()
export class UserFilter {
  @Field(() => [Role], { nullable: true })
  role?: Role[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}

@ObjectType()
export class UserInvitation {
  @Field(() => User)
  user: User;

  @Field({ description: 'Shown once: the invited user accepts with it at /auth/accept-invitation' })
  invitationToken: string;

  @Field()
  expiresAt: Date;
}

type Input = Record<string, unknown>;

export class UserService extends CrudService<User> {
  constructor() {
    super(User, {
      label: 'user',
      filters: { role: { kind: 'in', property: 'role' }, q: { kind: 'text', properties: ['name', 'email'] } },
      sort: { fields: ['name', 'email', 'createdAt'], default: 'name' },
    });
  }

  async invite(ctx: Context, input: InviteUserInput): Promise<UserInvitation> {
    const auth = ctx.auth!;
    this.assertMayGrant(auth, input.role);
    const token = `inv_${randomBytes(24).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 86400_000);
    const email = normalizeEmail(input.email);
    const taken = await ctx.em.count(User, { email }, { filters: false });
    if (taken) throw AppError.conflict('A user with this email already exists', [{ field: 'email', message: 'is already registered' }]);
    const user = ctx.em.create(User, {
      email,
      name: input.name,
      role: input.role,
      invitationTokenHash: hashRefreshToken(token),
      invitationExpiresAt: expiresAt,
    });
    await ctx.em.flush();
    return { user, invitationToken: token, expiresAt };
  }

  protected override async applyUpdate(em: EntityManager, auth: Actor, user: User, data: Input): Promise<void> {
    const role = data.role as Role | undefined;
    if (role !== undefined && role !== user.role) {
      if (user.id === auth.userId) throw AppError.forbidden('You cannot change your own role');
      this.assertMayGrant(auth, role);
      this.assertMayGrant(auth, user.role);
      if (user.role === Role.owner) await this.assertNotLastOwner(em, user);
      user.role = role;
      user.tokenVersion += 1;
    }
    if (data.name !== undefined) user.name = data.name as string;
  }

  override async remove(ctx: Context, id: string): Promise<boolean> {
    const user = await this.get(ctx, id);
    if (user.id === ctx.auth!.userId) throw AppError.conflict('You cannot remove yourself');
    this.assertMayGrant(ctx.auth!, user.role);
    if (user.role === Role.owner) await this.assertNotLastOwner(ctx.em, user);
    await ctx.em.remove(user).flush();
    return true;
  }

  /** Only an owner hands out or takes away the owner role; admins manage everyone else. */
  private assertMayGrant(auth: Actor, role: Role): void {
    if (role === Role.owner && auth.role !== Role.owner) throw AppError.forbidden('Only an owner can grant or change the owner role');
    if (!roleAtLeast(auth.role, Role.admin)) throw AppError.forbidden();
  }

  private async assertNotLastOwner(em: EntityManager, user: User): Promise<void> {
    const owners = await em.count(User, { role: Role.owner, id: { $ne: user.id } });
    if (owners === 0) throw AppError.conflict('An organization must keep at least one owner');
  }
}

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
  async createUser(
    @Arg('input', () => InviteUserInput) input: InviteUserInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<UserInvitation> {
    return idempotent(ctx, 'createUser', idempotencyKey, input, () => ctx.services.users.invite(ctx, input));
  }
}

restRoute('Mutation.createUser', { method: 'POST', path: '/users', responseStatus: 201, tags: ['users'] });
