import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { TenantEntity } from '../../db/base.entity.js';
import { Role } from '../../core/roles.js';
import { User } from '../users/user.entity.js';

/**
 * An organization's OpenID Connect identity provider (at most one). The client secret is stored sealed (SecretBox)
 * and never returned.
 */
@ObjectType()
@Entity({ tableName: 'identity_providers' })
export class IdentityProvider extends TenantEntity<
  'allowedDomains' | 'groupsClaim' | 'roleMapping' | 'defaultRole' | 'jitProvisioning' | 'ssoRequired'
> {
  @Field({ description: 'The issuer URL; its /.well-known/openid-configuration is read at sign-in' })
  @Property({ type: 'text' })
  issuer: string;

  @Field()
  @Property({ type: 'text' })
  clientId: string;

  @Property({ type: 'text', hidden: true, lazy: true })
  clientSecretSealed: string;

  @Field(() => [String], { description: 'Email domains allowed to sign in (lower case); empty allows any' })
  @Property({ type: 'text[]', default: '{}' })
  allowedDomains: string[] = [];

  @Field({ description: "The ID token claim that lists the user's groups" })
  @Property({ type: 'text', default: 'groups' })
  groupsClaim: string = 'groups';

  @Field(() => GraphQLJSONObject, {
    description: '{"<group>": "admin" | "responder" | "viewer"}; the highest role of the user\'s groups wins',
  })
  @Property({ type: 'jsonb', default: '{}' })
  roleMapping: Record<string, Role> = {};

  @Field(() => Role, { description: 'The role of a user in none of the mapped groups' })
  @Enum({ items: () => Role, nativeEnumName: 'role', default: Role.viewer })
  defaultRole: Role = Role.viewer;

  @Field({ description: 'Create a user at their first single sign-on' })
  @Property({ type: 'boolean', default: false })
  jitProvisioning: boolean = false;

  @Field({
    description:
      'Members must sign in through the provider: password sign-in is refused, except for the break-glass owner',
  })
  @Property({ type: 'boolean', default: false })
  ssoRequired: boolean = false;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null', hidden: true })
  breakGlassUser?: User | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The owner who may still sign in with a password when SSO is required',
  })
  breakGlassUserId(): string | null {
    return this.breakGlassUser?.id ?? null;
  }
}
