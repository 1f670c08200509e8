import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery, QueryOrder } from '@mikro-orm/core';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { AppError } from '../core/errors.js';
import { servesRows } from './fast/rows.js';
import { fastPathOn } from './fast/switches.js';
import { countRows, listRows, listRowsAndCount } from './fast/list-queries.js';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 1–${MAX_LIMIT} (default ${DEFAULT_LIMIT})` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  @Field(() => String, { nullable: true, description: 'The next_cursor of the previous page' })
  @IsOptional()
  @MaxLength(512)
  cursor?: string;

  @Field(() => String, {
    nullable: true,
    description: 'A sortable field, descending with a leading "-", e.g. -created_at',
  })
  @IsOptional()
  @Matches(/^-?[a-zA-Z_]{1,40}$/, { message: 'must be a field name, optionally prefixed with -' })
  sort?: string;
}

export interface Page<T> {
  items: T[];
  /** Counted only when read: a GraphQL query that does not select `total` costs no count statement. */
  readonly total: number | Promise<number>;
  nextCursor: string | null;
}

/** The list envelope of an entity: `{items, total, nextCursor}`. */
export function PageType<T extends object>(itemType: ClassType<T>) {
  @ObjectType(`${itemType.name}Page`, { simpleResolvers: true })
  class EntityPage implements Page<T> {
    @Field(() => [itemType])
    items: T[];

    // A resolver of its own (not simple): the count is a promise, started only when the field is selected.
    @Field(() => Int, { simple: false, description: 'How many records match the filter, across all pages' })
    total: number | Promise<number>;

    @Field(() => String, { nullable: true, description: 'Pass as cursor to get the next page; null on the last page' })
    nextCursor: string | null;
  }
  return EntityPage;
}

export interface SortSpec {
  /** camelCase names of NOT NULL properties that may be sorted on. */
  fields: string[];
  /** e.g. '-createdAt' */
  default: string;
}

interface Cursor {
  s: string;
  v: unknown;
  id: string;
}

const toCamel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function parseSort(sort: string | undefined, spec: SortSpec): { field: string; desc: boolean } {
  const raw = sort ?? spec.default;
  const desc = raw.startsWith('-');
  const field = toCamel(desc ? raw.slice(1) : raw);
  if (!spec.fields.includes(field)) {
    throw AppError.validation(
      'sort',
      `must be one of ${spec.fields.map((f) => f.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())).join(', ')} (prefix - for descending)`,
    );
  }
  return { field, desc };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/;

/**
 * A cursor is strictly typed: exactly `{s, v, id}`, made for this sort, `id` a UUID and `v` of the sort field's own
 * type (an ISO time for a date, a finite number, a string, a boolean). Anything else (operator objects, arrays,
 * other types, a NUL) is 400 naming `cursor`, before a statement is built from it.
 */
function decodeCursor(cursor: string, sortKey: string, valueType: string): { v: unknown; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const c = parsed as Partial<Cursor> | undefined;
  if (
    c &&
    typeof c === 'object' &&
    !Array.isArray(c) &&
    Object.keys(c).length === 3 &&
    c.s === sortKey &&
    typeof c.id === 'string' &&
    UUID.test(c.id)
  ) {
    const v = c.v;
    if (valueType === 'date' && typeof v === 'string' && ISO_TIME.test(v) && !Number.isNaN(Date.parse(v)))
      return { v: new Date(v), id: c.id };
    if (valueType === 'number' && typeof v === 'number' && Number.isFinite(v)) return { v, id: c.id };
    if (valueType === 'boolean' && typeof v === 'boolean') return { v, id: c.id };
    if (valueType === 'string' && typeof v === 'string' && !v.includes('\u0000') && v.length <= 1000)
      return { v, id: c.id };
  }
  throw AppError.validation('cursor', 'is not a cursor of this list and sort order');
}

/** The JSON type a cursor carries for a sort property. */
function cursorValueType(runtimeType: string | undefined, type: string | undefined): string {
  const t = (runtimeType ?? type ?? '').toLowerCase();
  if (t === 'date' || t.includes('timestamp') || t.includes('datetime')) return 'date';
  if (t === 'number' || t.includes('int') || t === 'float' || t === 'double' || t === 'decimal') return 'number';
  if (t === 'boolean') return 'boolean';
  return 'string';
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/**
 * Keyset pagination on (sort field, id): stable under inserts, no OFFSET. The cursor carries the sort it was made
 * for, so it cannot be replayed against another order. `withTotal`: the caller will read `total` (REST always does),
 * so the count is read with the page, in the same round trip.
 */
export async function paginate<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  page: PageArgs,
  sortSpec: SortSpec,
  withTotal = false,
): Promise<Page<T>> {
  const limit = page.limit ?? DEFAULT_LIMIT;
  const { field, desc } = parseSort(page.sort, sortSpec);
  const sortKey = `${desc ? '-' : ''}${field}`;
  const op = desc ? '$lt' : '$gt';
  let pageWhere = where;
  const meta = em.getMetadata().find<T>(typeof entity === 'string' ? entity : (entity as { name: string }).name)!;
  if (page.cursor) {
    const property = (
      meta.properties as unknown as Record<string, { runtimeType?: string; type?: string } | undefined>
    )[field];
    const c = decodeCursor(page.cursor, sortKey, cursorValueType(property?.runtimeType, property?.type));
    const value = c.v;
    const after = { $or: [{ [field]: { [op]: value } }, { [field]: value, id: { [op]: c.id } }] };
    pageWhere = { $and: [where, after] } as FilterQuery<T>;
  }
  const order = (desc ? 'desc' : 'asc') as QueryOrder;
  const orderBy = { [field]: order, id: order } as never;
  // Lists are read-only: entities whose fields are all columns come back as plain rows (rows.ts), under the same
  // filters (the tenant filter) as em.find, with SQL built once per shape of the request (list-queries.ts).
  let rows: T[];
  let total: number | Promise<number> | undefined;
  const asRows = fastPathOn('lists') && servesRows(meta);
  if (!asRows) rows = await em.find(entity, pageWhere, { orderBy, limit: limit + 1 });
  else if (withTotal) ({ rows, total } = await listRowsAndCount(em, meta, pageWhere, where, orderBy, limit + 1));
  else rows = await listRows(em, meta, pageWhere, orderBy, limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1] as Record<string, unknown> | undefined;
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor({
          s: sortKey,
          v: last[field] instanceof Date ? last[field].toISOString() : last[field],
          id: last.id as string,
        })
      : null;
  return {
    items,
    nextCursor,
    get total() {
      total ??= asRows ? countRows(em, meta, where) : em.count(entity, where);
      return total;
    },
  };
}
