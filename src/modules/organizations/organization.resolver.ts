import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../api/graphql/context.js';
import { RestRoute } from '../../api/rest/routes.js';
import { Role } from '../../core/roles.js';
import { Organization } from '../../db/organization.entity.js';
import { UpdateOrganizationInput } from './organization.inputs.js';
import { organizationService } from './organization.service.js';
import { Me, MyOrganization } from './me.type.js';
import type { User } from '../users/user.entity.js';

@Resolver(() => Organization)
export class OrganizationResolver {
  @Authorized()
  @Query(() => Organization, { description: "The caller's organization" })
  @RestRoute({ method: 'GET', path: '/organization', tags: ['organization'] })
  organization(@Ctx() ctx: Context): Promise<Organization> {
    return organizationService.get(ctx);
  }

  @Authorized(Role.owner)
  @Mutation(() => Organization, { description: "Renames the caller's organization or changes its slug (owners)" })
  @RestRoute({ method: 'PATCH', path: '/organization', tags: ['organization'] })
  updateOrganization(
    @Arg('input', () => UpdateOrganizationInput) input: UpdateOrganizationInput,
    @Ctx() ctx: Context,
  ): Promise<Organization> {
    return organizationService.update(ctx, input);
  }
}

@Resolver(() => Me)
export class MeResolver {
  @FieldResolver(() => ID)
  organizationId(@Root() user: User): string {
    return user.organization.id;
  }

  @FieldResolver(() => MyOrganization)
  async organization(@Root() user: User, @Ctx() ctx: Context): Promise<MyOrganization> {
    const organization = await ctx.em.findOneOrFail(Organization, { id: user.organization.id });
    return { name: organization.name, slug: organization.slug };
  }
}
