import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../api/graphql/context.js';
import { RestRoute } from '../../api/rest/routes.js';
import { AuthPayload } from '../auth/auth.inputs.js';
import { ExchangeSsoCodeInput, SsoDiscovery } from './sso.inputs.js';
import { ssoStartPath } from './sso-paths.js';

@Resolver()
export class SsoResolver {
  @Mutation(() => AuthPayload, {
    description:
      'The one-time code of a single sign-on, for the same tokens a password sign-in gives (once, within 60 s)',
  })
  @RestRoute({ method: 'POST', path: '/auth/sso/exchange', tags: ['auth'] })
  exchangeSsoCode(
    @Arg('input', () => ExchangeSsoCodeInput) input: ExchangeSsoCodeInput,
    @Ctx() ctx: Context,
  ): Promise<AuthPayload> {
    return ctx.services.sso.exchange(ctx.em, input.code);
  }

  @Query(() => SsoDiscovery, {
    description: "The organization whose identity provider (alone) allows this email's domain",
  })
  @RestRoute({ method: 'GET', path: '/auth/sso/discover', tags: ['auth'] })
  async ssoDiscovery(@Arg('email', () => String) email: string, @Ctx() ctx: Context): Promise<SsoDiscovery> {
    const organization = await ctx.services.sso.discover(ctx.em, email);
    return { slug: organization.slug, startPath: ssoStartPath(organization.slug) };
  }
}
