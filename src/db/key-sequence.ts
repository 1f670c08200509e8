import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Per-organization counters behind human keys such as INC-12, PRB-3 and CHG-88. */
@Entity({ tableName: 'key_sequences' })
export class KeySequence {
  @PrimaryKey({ type: 'uuid' })
  organizationId: string;

  @PrimaryKey({ type: 'text' })
  prefix: string;

  @Property({ type: 'int' })
  last: number;
}

/** Takes the next number of a prefix in an organization (parameters: organization id, prefix); returns `last`. */
export const NEXT_KEY_SQL = `insert into key_sequences (organization_id, prefix, last) values (?, ?, 1)
     on conflict (organization_id, prefix) do update set last = key_sequences.last + 1
     returning last`;

/** Takes the next number atomically; call inside the transaction that inserts the record. */
export async function nextKeyNumber(em: EntityManager, organizationId: string, prefix: string): Promise<number> {
  const rows = await em
    .getConnection()
    .execute<{ last: number }[]>(NEXT_KEY_SQL, [organizationId, prefix], 'all', em.getTransactionContext());
  return rows[0].last;
}
