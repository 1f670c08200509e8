import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { Role } from '../../core/roles.js';
import { User } from '../users/user.entity.js';

export enum ApiTokenKind {
  personal = 'personal',
  service = 'service',
}
registerEnumType(ApiTokenKind, {
  name: 'ApiTokenKind',
  description:
    "personal: acts as its user, never above their current role; service: the organization's, with the role an admin chose",
});

/** A bearer token for scripts (`argus_pat_…`). Only a SHA-256 of it is stored; the token itself is shown once. */
@ObjectType()
@Entity({ tableName: 'api_tokens' })
export class ApiToken extends TenantEntity<'lastUsedAt' | 'lastUsedIp' | 'expiresAt'> {
  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field(() => ApiTokenKind)
  @Enum({ items: () => ApiTokenKind, nativeEnumName: 'api_token_kind' })
  kind: ApiTokenKind;

  @Field(() => Role)
  @Enum({ items: () => Role, nativeEnumName: 'role' })
  role: Role;

  /** Who created it; a personal token acts as this user, a service token is attributed to them in the audit log. */
  @ManyToOne(() => User, { deleteRule: 'cascade', hidden: true })
  user: User;

  @Field(() => ID, { description: 'Who created it (for a personal token, the user it acts as)' })
  userId(): string {
    return this.user.id;
  }

  @Property({ type: 'text', unique: true, hidden: true })
  tokenHash: string;

  @Field({ description: "The token's first characters, to recognise it" })
  @Property({ type: 'text' })
  tokenPrefix: string;

  @Field(() => Date, { nullable: true, description: 'After this time the token is refused; null: no expiry' })
  @Property({ type: 'timestamptz', nullable: true })
  expiresAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'The client address of the last use' })
  @Property({ type: 'text', nullable: true })
  lastUsedIp?: string | null;

  /** The token in clear, only on the object the create returns (kept, encrypted, for an Idempotency-Key's replay). */
  @Property({ type: 'text', persist: false, nullable: true, hidden: true })
  issuedToken?: string;

  @Field(() => String, { nullable: true, description: 'argus_pat_…: only in the create response, shown once' })
  token(): string | null {
    return this.issuedToken ?? null;
  }
}
