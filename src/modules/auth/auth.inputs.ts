import { IsEmail, IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity.js';

const PASSWORD = { min: 10, max: 200 };

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

  @Field(() => String, { nullable: true, description: 'The current code of an authenticator app, when MFA is on' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'must be a 6-digit code' })
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
