import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../api/graphql/context.js';
import { RestRoute } from '../../api/rest/routes.js';
import { User } from '../users/user.entity.js';
import { Me } from '../organizations/me.type.js';
import {
  AcceptInvitationInput,
  AuthPayload,
  ChangePasswordInput,
  ConfirmMfaInput,
  DisableMfaInput,
  EnrollMfaInput,
  LoginInput,
  MfaEnrollment,
  MfaRecoveryCodes,
  RefreshInput,
  SignupAccepted,
  SignupInput,
} from './auth.inputs.js';
import { AuditFailuresByEmail, MutationRuns } from '../../api/graphql/mutation-runs.js';

@Resolver()
export class AuthResolver {
  @Mutation(() => SignupAccepted, {
    description:
      'Creates an organization and its owner when the email has no account yet, and nothing when it has one; the answer is the same either way (no token: sign in with login)',
  })
  @RestRoute({ method: 'POST', path: '/auth/signup', responseStatus: 202, tags: ['auth'] })
  signup(@Arg('input', () => SignupInput) input: SignupInput, @Ctx() ctx: Context): Promise<SignupAccepted> {
    return ctx.services.auth.signup(ctx.em, input);
  }

  @Mutation(() => AuthPayload)
  @MutationRuns('after')
  @AuditFailuresByEmail()
  @RestRoute({ method: 'POST', path: '/auth/login', tags: ['auth'] })
  login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return ctx.services.auth.login(ctx.em, input, { ip: ctx.ip });
  }

  @Mutation(() => AuthPayload, { description: 'A new token pair; the refresh token sent stops working' })
  @MutationRuns('after')
  @RestRoute({ method: 'POST', path: '/auth/refresh', tags: ['auth'] })
  refreshToken(@Arg('input', () => RefreshInput) input: RefreshInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return ctx.services.auth.refresh(ctx.em, input);
  }

  @Mutation(() => Boolean, { description: 'Revokes the refresh token and its whole family' })
  @RestRoute({ method: 'POST', path: '/auth/logout', responseStatus: 204, tags: ['auth'] })
  logout(@Arg('input', () => RefreshInput) input: RefreshInput, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.auth.logout(ctx.em, input);
  }

  @Mutation(() => AuthPayload, { description: 'Sets the password of an invited user and signs them in' })
  @MutationRuns('after')
  @RestRoute({ method: 'POST', path: '/auth/accept-invitation', tags: ['auth'] })
  acceptInvitation(
    @Arg('input', () => AcceptInvitationInput) input: AcceptInvitationInput,
    @Ctx() ctx: Context,
  ): Promise<AuthPayload> {
    return ctx.services.auth.acceptInvitation(ctx.em, input, { ip: ctx.ip });
  }

  @Authorized()
  @Mutation(() => AuthPayload, { description: 'A new password; every other session and access token of the user ends' })
  @RestRoute({ method: 'POST', path: '/auth/change-password', tags: ['auth'] })
  changePassword(
    @Arg('input', () => ChangePasswordInput) input: ChangePasswordInput,
    @Ctx() ctx: Context,
  ): Promise<AuthPayload> {
    return ctx.services.auth.changePassword(ctx.em, ctx.actor!.userId, input);
  }

  @Authorized()
  @Mutation(() => MfaEnrollment, {
    description: 'Starts turning on TOTP MFA: a secret for the authenticator app, confirmed with confirmMfa',
  })
  @RestRoute({ method: 'POST', path: '/auth/mfa/enroll', tags: ['auth'] })
  enrollMfa(@Arg('input', () => EnrollMfaInput) input: EnrollMfaInput, @Ctx() ctx: Context): Promise<MfaEnrollment> {
    return ctx.services.auth.enrollMfa(ctx.em, ctx.actor!.userId, input);
  }

  @Authorized()
  @Mutation(() => MfaRecoveryCodes, {
    description: 'Turns MFA on with a code from the enrolled authenticator; returns the recovery codes once',
  })
  @RestRoute({ method: 'POST', path: '/auth/mfa/confirm', tags: ['auth'] })
  confirmMfa(
    @Arg('input', () => ConfirmMfaInput) input: ConfirmMfaInput,
    @Ctx() ctx: Context,
  ): Promise<MfaRecoveryCodes> {
    return ctx.services.auth.confirmMfa(ctx.em, ctx.actor!.userId, input);
  }

  @Authorized()
  @Mutation(() => User, { description: 'Turns MFA off with the password and a code or recovery code' })
  @RestRoute({ method: 'POST', path: '/auth/mfa/disable', tags: ['auth'] })
  disableMfa(@Arg('input', () => DisableMfaInput) input: DisableMfaInput, @Ctx() ctx: Context): Promise<User> {
    return ctx.services.auth.disableMfa(ctx.em, ctx.actor!.userId, input);
  }

  @Authorized()
  @Query(() => Me, { description: 'The signed-in user, with their organization' })
  @RestRoute({ method: 'GET', path: '/auth/me', tags: ['auth'] })
  async me(@Ctx() ctx: Context): Promise<User> {
    return ctx.em.findOneOrFail(User, { id: ctx.actor!.userId });
  }
}
