import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Organization } from '../../db/organization.entity.js';
import { User } from '../users/user.entity.js';

/**
 * One single sign-on in progress: the authorization request's `state` (hashed), nonce and PKCE verifier, kept for the
 * callback; then the one-time code (hashed) the console exchanges for tokens. Each is claimed once.
 */
@Entity({ tableName: 'sso_logins' })
export class SsoLogin {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization: Organization;

  @Property({ type: 'text', unique: true })
  stateHash: string;

  @Property({ type: 'text' })
  nonce: string;

  @Property({ type: 'text' })
  codeVerifier: string;

  @Property({ type: 'text' })
  redirectUri: string;

  @Index()
  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  @Property({ type: 'timestamptz', nullable: true })
  stateUsedAt?: Date | null;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'cascade' })
  user?: User | null;

  @Property({ type: 'text', nullable: true, unique: true })
  codeHash?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  codeExpiresAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  codeUsedAt?: Date | null;
}
