import { Entity, OneToOne, Property } from '@mikro-orm/core';
import { Organization } from '../../db/organization.entity.js';

/**
 * The re-embedding of one organization's incidents by the configured embedding model: its progress, kept in
 * PostgreSQL so that any process can resume it and show it. The row is the job's lock as well: a batch runs while its
 * transaction holds the row (`for update skip locked`), so one process works on an organization at a time. Internal:
 * read through the embeddingStatus query.
 */
@Entity({ tableName: 'embedding_jobs' })
export class EmbeddingJob {
  @OneToOne({ entity: () => Organization, primary: true, owner: true, deleteRule: 'cascade' })
  organization: Organization;

  /** The model the organization is being (or was) embedded with. */
  @Property({ type: 'text' })
  model: string;

  /** pending, running, failed (the last batch failed; retried at the next run) or done. */
  @Property({ type: 'text' })
  state: string;

  @Property({ type: 'integer' })
  total: number;

  @Property({ type: 'integer' })
  done: number;

  @Property({ type: 'timestamptz' })
  startedAt: Date;

  @Property({ type: 'timestamptz', nullable: true })
  finishedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
