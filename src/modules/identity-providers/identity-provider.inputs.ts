import { ArrayMaxSize, IsBoolean, IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { FilterEq } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';
import { ReferenceField } from '../reference-fields.js';
import { User } from '../users/user.entity.js';
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

  @ReferenceField(() => User, { property: 'breakGlassUser', description: 'An owner of the organization' })
  breakGlassUserId?: string | null;
}

@InputType()
export class UpdateIdentityProviderInput extends PartialInputType(CreateIdentityProviderInput, {
  descriptions: {
    clientSecret: 'A new secret (rotation); write-only',
    issuer: null,
    defaultRole: null,
    breakGlassUserId: null,
  },
}) {}

@InputType()
export class IdentityProviderFilter {
  @FilterEq('ssoRequired', () => Boolean)
  @IsOptional()
  @IsBoolean()
  ssoRequired?: boolean;
}
