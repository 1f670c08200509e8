import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { Role } from '../../core/roles.js';

/**
 * One account per email across the installation (the row with a password); besides it, pending invitations to the
 * same email may wait in other organizations, one per organization.
 */
@ObjectType()
@Entity({ tableName: 'users' })
@Unique({ properties: ['organization', 'email'] })
@Index({
  name: 'users_email_account_unique',
  expression: 'create unique index "users_email_account_unique" on "users" ("email") where "password_hash" is not null',
})
export class User extends TenantEntity<'mfaEnabled' | 'tokenVersion' | 'mfaRecoveryCodeHashes' | 'disabled'> {
  @Field()
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

  /** The confirmed TOTP secret (base32); an HMAC key, so stored as is, like webhook signing secrets. Never exposed. */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  mfaSecret?: string | null;

  /** A secret handed out by enrolMfa and not yet confirmed with a code. */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  mfaPendingSecret?: string | null;

  /** The RFC 6238 time step of the last accepted code: codes of this step or earlier are refused (no replays). */
  @Property({ type: 'bigint', nullable: true, hidden: true, lazy: true })
  mfaLastTimeStep?: string | null;

  /** SHA-256 of each unused recovery code; a code is removed when used. */
  @Property({ type: 'text[]', default: '{}', hidden: true, lazy: true })
  mfaRecoveryCodeHashes: string[] = [];

  @Field({ description: 'A disabled user cannot sign in (password or single sign-on) and their tokens stop working' })
  @Property({ type: 'boolean', default: false })
  disabled: boolean = false;

  /** The identity provider's `sub` for this user, recorded at the first single sign-on; later ones must match it. */
  @Property({ type: 'text', nullable: true, hidden: true })
  ssoSubject?: string | null;

  /** Bumped to invalidate every access token issued before (role change, password change, removal). */
  @Property({ type: 'int', default: 0, hidden: true })
  tokenVersion: number = 0;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
