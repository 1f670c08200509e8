import { helper } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { stampOrganization } from '../tenancy.js';
import type { JoinableWrite } from '../unit-of-work.js';
import { NEXT_KEY_SQL } from '../key-sequence.js';

/** The name of the CTE that takes the key, for statements added after it that must run after it. */
export const KEY_CTE = 'key';

/** More of the same statement: CTEs written after the inserts' (with their parameters), and what it selects of them. */
export interface StatementTail {
  ctes: string[];
  params: unknown[];
  select: string;
}

/** The record that gets the next number of `prefix` in the organization, taken in the same statement as the inserts. */
export interface KeyedRecord {
  entity: { number: number };
  organizationId: string;
  prefix: string;
}

/**
 * Inserts every new record of `em`'s unit of work in one statement (one `insert` per record, as data-modifying CTEs),
 * instead of a flush's statement per table; with `keyed`, the statement also takes the next key number (the same
 * upsert as nextKeyNumber) and puts it in the record's `number` column. The columns and values are the flush's own:
 * MikroORM's snapshot of each record (references as ids, custom types converted), stamped with the organization as
 * the tenancy subscriber would. Foreign keys are checked at the end of the statement, so the order of the inserts
 * does not matter.
 *
 * In two steps: the statement is built from the records as they are now, and they are registered as managed and
 * unchanged at once, so that no flush writes them; the returned function runs it (e.g. at commit,
 * UnitOfWork.scheduleLast), with `tail` and the `joined` writes added then, and returns what `tail` selects. Changes
 * made to the records in between are not written.
 */
export function prepareNewRecords(
  em: EntityManager,
  keyed?: KeyedRecord,
): <T>(tail?: StatementTail, joined?: JoinableWrite[]) => Promise<T | undefined> {
  const uow = em.getUnitOfWork();
  const comparator = em.getComparator();
  const platform = em.getPlatform();
  const records = [...uow.getPersistStack()].filter((entity) => !helper(entity).__originalEntityData);
  const ctes: string[] = [];
  const params: unknown[] = [];
  if (keyed) {
    ctes.push(`"${KEY_CTE}" as (${NEXT_KEY_SQL})`);
    params.push(keyed.organizationId, keyed.prefix);
  }
  for (const entity of records) {
    stampOrganization(em, entity);
    const meta = helper(entity).__meta;
    const data = comparator.prepareEntity(entity) as Record<string, unknown>;
    const columns: string[] = [];
    const values: string[] = [];
    for (const [name, value] of Object.entries(data)) {
      const prop = meta.properties[name as never] as { fieldNames?: string[] } | undefined;
      if (!prop?.fieldNames || prop.fieldNames.length !== 1)
        throw new Error(`Cannot insert ${meta.className}.${name} in one statement`);
      columns.push(platform.quoteIdentifier(prop.fieldNames[0]));
      values.push('?');
      params.push(value);
    }
    if (keyed && entity === keyed.entity) {
      columns.push('"number"');
      values.push(`(select last from "${KEY_CTE}")`);
    }
    ctes.push(
      `"r${ctes.length}" as (insert into ${platform.quoteIdentifier(meta.tableName)} (${columns.join(', ')}) values (${values.join(', ')}))`,
    );
    uow.register(entity, data, { refresh: true });
  }
  return async <T>(tail?: StatementTail, joined: JoinableWrite[] = []): Promise<T | undefined> => {
    const all = [...ctes, ...(tail?.ctes ?? []), ...joined.map((write, i) => `"j${i}" as (${write.sql})`)];
    if (!all.length) return undefined;
    const sql = `with ${all.join(',\n')} select ${keyed ? `(select last from "${KEY_CTE}")` : 'null'} as last, ${tail?.select ?? 'null'} as tail`;
    const allParams = [...params, ...(tail?.params ?? []), ...joined.flatMap((write) => write.params)];
    const [row] = await em
      .getConnection()
      .execute<Array<{ last: number | null; tail: T }>>(sql, allParams, 'all', em.getTransactionContext());
    if (keyed) {
      keyed.entity.number = row.last!;
      uow.register(keyed.entity, comparator.prepareEntity(keyed.entity), { refresh: true });
    }
    return row.tail;
  };
}
