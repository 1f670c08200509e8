import { IsEmail, IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity.js';

const PASSWORD = { min: 10, max: 200 };
/** A 6-digit TOTP code or a recovery code (xxxx-xxxx-xxxx). */
const MFA_CODE = /^(\d{6}|[0-9a-z]{4}-?[0-9a-z]{4}-?[0-9a-z]{4})$/i;
const MFA_CODE_MESSAGE = 'must be a 6-digit code or a recovery code';

@InputType()
export class SignupInput {
  @Field()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @Field({ description: `${PASSWORD.min} to ${PASSWORD.max} characters` })
  @Length(PASSWORD.min, PASSWORD.max)
  password: string;

  @Field()
  @Length(1, 120)
  name: string;

  @Field()
  @Length(1, 120)
  organizationName: string;
}

@InputType()
export class LoginInput {
  @Field()
  @Length(1, 254)
  email: string;

  @Field()
  @Length(1, PASSWORD.max)
  password: string;

  @Field(() => String, {
    nullable: true,
    description: 'When MFA is on: the current code of the authenticator app, or one unused recovery code',
  })
  @IsOptional()
  @Matches(MFA_CODE, { message: MFA_CODE_MESSAGE })
  mfaCode?: string;
}

@InputType()
export class RefreshInput {
  @Field()
  @Length(1, 200)
  refreshToken: string;
}

@InputType()
export class AcceptInvitationInput {
  @Field()
  @Length(1, 200)
  invitationToken: string;

  @Field()
  @Length(PASSWORD.min, PASSWORD.max)
  password: string;
}

/**
 * The answer to a sign-up, the same whether the email was new (the organization and its owner were created) or already
 * had an account (nothing was created): no token, so that nobody learns from it which emails have accounts. The new
 * owner signs in with `login`.
 */
@ObjectType()
export class SignupAccepted {
  @Field({ description: 'Always "accepted"' })
  status: string;

  @Field({ description: 'What to do next: sign in with this email and password' })
  message: string;

  /** The created owner, for the audit row only (not a GraphQL field, so never answered). */
  createdUser?: User;
}

@ObjectType()
export class AuthPayload {
  @Field()
  accessToken: string;

  @Field()
  refreshToken: string;

  @Field()
  tokenType: string;

  @Field(() => Int, { description: 'Seconds until the access token expires' })
  expiresIn: number;

  @Field(() => User)
  user: User;
}

@InputType()
export class ChangePasswordInput {
  @Field()
  @Length(1, PASSWORD.max)
  currentPassword: string;

  @Field({ description: `${PASSWORD.min} to ${PASSWORD.max} characters` })
  @Length(PASSWORD.min, PASSWORD.max)
  newPassword: string;
}

@InputType()
export class EnrollMfaInput {
  @Field({ description: 'The current password: a stolen access token alone cannot put a second factor on the account' })
  @Length(1, PASSWORD.max)
  password: string;
}

@InputType()
export class ConfirmMfaInput {
  @Field({ description: 'A code from the authenticator app, proving it holds the secret' })
  @Matches(/^\d{6}$/, { message: 'must be a 6-digit code' })
  code: string;
}

@InputType()
export class DisableMfaInput {
  @Field()
  @Length(1, PASSWORD.max)
  password: string;

  @Field({ description: 'A current code of the authenticator app, or an unused recovery code' })
  @Matches(MFA_CODE, { message: MFA_CODE_MESSAGE })
  code: string;
}

@ObjectType({ description: 'A TOTP secret to add to an authenticator app; MFA is on once confirmMfa accepts a code' })
export class MfaEnrollment {
  @Field({ description: 'Base32; shown once' })
  secret: string;

  @Field({ description: 'otpauth:// URI for a QR code' })
  otpauthUri: string;
}

@ObjectType()
export class MfaRecoveryCodes {
  @Field(() => [String], {
    description: 'One-time codes for when the authenticator is lost; shown once, stored hashed',
  })
  recoveryCodes: string[];
}
