import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * One Idempotency-Key of one caller (src/idempotency/idempotency.ts). Only a hash of the key is kept; the response to
 * replay is encrypted with a key derived from the key itself, so the table alone reveals no secret a create returned.
 * Read and written with SQL by that module only.
 */
@Entity({ tableName: 'idempotency_keys' })
@Unique({ properties: ['organizationId', 'userId', 'keyHash'] })
@Index({ properties: ['expiresAt'] })
export class IdempotencyKey {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  organizationId: string;

  @Property({ type: 'uuid' })
  userId: string;

  @Property({ type: 'text' })
  keyHash: string;

  /** The mutation and a hash of its input: the same key with another request is refused. */
  @Property({ type: 'text' })
  operation: string;

  @Property({ type: 'text' })
  fingerprint: string;

  @Property({ type: 'bytea', nullable: true })
  response?: Buffer | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt: Date;
}
