import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { User } from '../users/user.entity.js';

export type SignInMethod = 'password' | 'sso';

/**
 * One refresh token of a rotation family. Only a SHA-256 of the token is stored. A token that is presented after
 * it was used (rotated) revokes its whole family: that is how a stolen token is detected.
 */
@Entity({ tableName: 'refresh_tokens' })
export class RefreshToken {
  [OptionalProps]?: 'createdAt' | 'signInMethod';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user: User;

  @Index()
  @Property({ type: 'uuid' })
  familyId: string;

  @Property({ type: 'text', unique: true })
  tokenHash: string;

  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  /** How the family's session began: a refresh of a password session is refused once the organization requires SSO. */
  @Property({ type: 'text', default: 'password' })
  signInMethod: SignInMethod = 'password';
}
