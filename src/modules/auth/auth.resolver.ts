import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { restRoute } from '../../rest/routes.js';
import { User } from '../users/user.entity.js';
import { AcceptInvitationInput, AuthPayload, LoginInput, RefreshInput, SignupInput } from './auth.inputs.js';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Creates an organization and its owner' })
  signup(@Arg('input', () => SignupInput) input: SignupInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return ctx.services.auth.signup(ctx.em, input);
  }

  @Mutation(() => AuthPayload)
  login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return ctx.services.auth.login(ctx.em, input);
  }

  @Mutation(() => AuthPayload, { description: 'A new token pair; the refresh token sent stops working' })
  refreshToken(@Arg('input', () => RefreshInput) input: RefreshInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return ctx.services.auth.refresh(ctx.em, input);
  }

  @Mutation(() => Boolean, { description: 'Revokes the refresh token and its whole family' })
  logout(@Arg('input', () => RefreshInput) input: RefreshInput, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.auth.logout(ctx.em, input);
  }

  @Mutation(() => AuthPayload, { description: 'Sets the password of an invited user and signs them in' })
  acceptInvitation(@Arg('input', () => AcceptInvitationInput) input: AcceptInvitationInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return ctx.services.auth.acceptInvitation(ctx.em, input);
  }

  @Authorized()
  @Query(() => User, { description: 'The signed-in user' })
  me(@Ctx() ctx: Context): User {
    return ctx.auth!.user;
  }
}

restRoute('Mutation.signup', { method: 'POST', path: '/auth/signup', responseStatus: 201, tags: ['auth'] });
restRoute('Mutation.login', { method: 'POST', path: '/auth/login', tags: ['auth'] });
restRoute('Mutation.refreshToken', { method: 'POST', path: '/auth/refresh', tags: ['auth'] });
restRoute('Mutation.logout', { method: 'POST', path: '/auth/logout', responseStatus: 204, tags: ['auth'] });
restRoute('Mutation.acceptInvitation', { method: 'POST', path: '/auth/accept-invitation', tags: ['auth'] });
restRoute('Query.me', { method: 'GET', path: '/auth/me', tags: ['auth'] });
