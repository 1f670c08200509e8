import { ArrayMaxSize, IsBoolean, IsOptional, Length, Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Role } from '../../core/roles.js';

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CLAIM = /^[A-Za-z0-9_:./-]{1,100}$/;

@InputType()
export class CreateIdentityProviderInput {
  @Field({ description: 'https (http only on loopback, or with ARGUS_SSO_ALLOW_HTTP_ISSUER)' })
  @Length(1, 500)
  issuer: string;

  @Field()
  @Length(1, 500)
  clientId: string;

  @Field({ description: 'Write-only: stored encrypted, never returned' })
  @Length(1, 2000)
  clientSecret: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(DOMAIN, { each: true, message: 'must be lower-case domain names (example.com)' })
  allowedDomains?: string[];

  @Field({ nullable: true, description: 'Default "groups"' })
  @IsOptional()
  @Matches(CLAIM, { message: 'must be a claim name: 1–100 letters, digits or _ : . / -' })
  groupsClaim?: string;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @IsOptional()
  roleMapping?: Record<string, unknown>;

  @Field(() => Role, { nullable: true, description: 'Default viewer; never owner' })
  @IsOptional()
  defaultRole?: Role;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  jitProvisioning?: boolean;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  ssoRequired?: boolean;

  @Field(() => ID, { nullable: true, description: 'An owner of the organization' })
  @IsOptional()
  breakGlassUserId?: string | null;
}

@InputType()
export class UpdateIdentityProviderInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 500)
  issuer?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 500)
  clientId?: string;

  @Field({ nullable: true, description: 'A new secret (rotation); write-only' })
  @IsOptional()
  @Length(1, 2000)
  clientSecret?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(DOMAIN, { each: true, message: 'must be lower-case domain names (example.com)' })
  allowedDomains?: string[];

  @Field({ nullable: true })
  @IsOptional()
  @Matches(CLAIM, { message: 'must be a claim name: 1–100 letters, digits or _ : . / -' })
  groupsClaim?: string;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @IsOptional()
  roleMapping?: Record<string, unknown>;

  @Field(() => Role, { nullable: true })
  @IsOptional()
  defaultRole?: Role;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  jitProvisioning?: boolean;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  ssoRequired?: boolean;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  breakGlassUserId?: string | null;
}

@InputType()
export class IdentityProviderFilter {
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  ssoRequired?: boolean;
}
