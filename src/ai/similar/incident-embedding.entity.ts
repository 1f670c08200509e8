import { Entity, ManyToOne, OneToOne, Property } from '@mikro-orm/core';
import { Incident } from '../../modules/incidents/incident.entity.js';
import { Organization } from '../../db/organization.entity.js';

/**
 * The stored embedding of one incident: the sparse vector of `model` (bytea: uint16 bucket indices, then float32
 * weights). Written in the same transaction as the incident's text; deleted with it. Any process rebuilds its
 * in-memory index from these rows (and re-embeds rows of another model). Internal: not on the API.
 */
@Entity({ tableName: 'incident_embeddings' })
export class IncidentEmbedding {
  @OneToOne({ entity: () => Incident, primary: true, owner: true, deleteRule: 'cascade' })
  incident: Incident;

  @ManyToOne(() => Organization, { deleteRule: 'cascade', index: true })
  organization: Organization;

  @Property({ type: 'text' })
  model: string;

  @Property({ type: 'blob' })
  sparse: Buffer;

  /**
   * The configured OpenAI-compatible embedding model that made `vector`; null when there is none (or the text changed
   * since).
   */
  @Property({ type: 'text', nullable: true })
  vectorModel?: string | null;

  /**
   * That model's vector of the same text: float32, little-endian. Written by the re-embedding job
   * (src/ai/reembedding/).
   */
  @Property({ type: 'blob', nullable: true })
  vector?: Buffer | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
