import { Entity, Enum, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { Role } from '../../auth/roles.js';

@ObjectType()
@Entity({ tableName: 'users' })
export class User extends TenantEntity<'mfaEnabled' | 'tokenVersion'> {
  @Field()
  @Unique()
  @Property({ type: 'text' })
  email: string;

  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field(() => Role)
  @Enum({ items: () => Role, nativeEnumName: 'role' })
  role: Role;

  @Field()
  @Property({ type: 'boolean', default: false })
  mfaEnabled: boolean = false;

  /** argon2id hash; null until an invited user accepts the invitation. Never exposed. */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  passwordHash?: string | null;

  /** SHA-256 of the one-time invitation token; cleared when the invitation is accepted. */
  @Property({ type: 'text', nullable: true, hidden: true, unique: true })
  invitationTokenHash?: string | null;

  @Property({ type: 'timestamptz', nullable: true, hidden: true })
  invitationExpiresAt?: Date | null;

  @Field({ description: 'False until an invited user has set a password' })
  active(): boolean {
    return !this.invitationTokenHash;
  }

  /** Bumped to invalidate every access token issued before (role change, password change, removal). */
  @Property({ type: 'int', default: 0, hidden: true })
  tokenVersion: number = 0;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
