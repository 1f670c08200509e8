import type { EntityManager, QueryBuilder } from '@mikro-orm/postgresql';
import type { EntityMetadata, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import { organizationOf } from '../tenancy.js';
import { rowMapper } from './rows.js';

/**
 * The SQL of a list page and of its count, built by MikroORM's QueryBuilder under the EntityManager's filters (the
 * tenant filter) once per *shape* of the request (entity, organization, the filter's structure, sort, limit) and
 * reused with the request's own values. Building the query is most of MikroORM's CPU in a list request
 * (docs/PERFORMANCE.md); the SQL, its tenant condition and the mapping of rows are still MikroORM's.
 *
 * The values of a shape are found in the built query by building it once with sentinel values in their place: every
 * binding that is a sentinel is the request's value at that position, every other binding (the organization of the
 * tenant filter, the limit) is part of the shape. A shape is not reused when a sentinel is changed or inlined by the
 * builder, or when the built query does not bind the organization (no tenant condition): those are built per request.
 */

type AnyQueryBuilder = QueryBuilder<object>;
type Binding = { leaf: number } | { value: unknown };
interface Compiled {
  sql: string;
  bindings: Binding[];
}

const MAX_SHAPES = 2000;
const SENTINEL = '\u0001argus-sentinel-';
/** Far from any real value: the 1st of January 1000 plus the leaf's number of milliseconds. */
const SENTINEL_EPOCH = Date.UTC(1000, 0, 1);
const SENTINEL_NUMBER = 987_654_321.25;

class NotReusable extends Error {}

/** Compiled SQL by shape; null for a shape that is built per request. The oldest shape is forgotten first. */
const shapes = new Map<string, Compiled | null>();

interface Statement {
  sql: string;
  params: unknown[];
}

/** The page of `where` in `orderBy`, at most `limit` rows, as read-only rows (rows.ts). */
export async function listRows<T extends object>(
  em: EntityManager,
  meta: EntityMetadata<T>,
  where: FilterQuery<T>,
  orderBy: QueryOrderMap<T>,
  limit: number,
): Promise<T[]> {
  const [rows] = await execute(em, [await pageStatement(em, meta, where, orderBy, limit)]);
  return toRows(em, meta, rows);
}

/** How many rows match `where`, under the same filters. */
export async function countRows<T extends object>(
  em: EntityManager,
  meta: EntityMetadata<T>,
  where: FilterQuery<T>,
): Promise<number> {
  const [rows] = await execute(em, [await countStatement(em, meta, where)]);
  return Number((rows[0] as { count: number | string }).count);
}

/**
 * A page and the count of `countWhere` in one round trip: both statements go in one query message, so PostgreSQL
 * runs them in one implicit transaction (the total is of the same snapshot as the page).
 */
export async function listRowsAndCount<T extends object>(
  em: EntityManager,
  meta: EntityMetadata<T>,
  where: FilterQuery<T>,
  countWhere: FilterQuery<T>,
  orderBy: QueryOrderMap<T>,
  limit: number,
): Promise<{ rows: T[]; total: number }> {
  const [rows, count] = await execute(em, [
    await pageStatement(em, meta, where, orderBy, limit),
    await countStatement(em, meta, countWhere),
  ]);
  return { rows: toRows(em, meta, rows), total: Number((count[0] as { count: number | string }).count) };
}

function pageStatement<T extends object>(
  em: EntityManager,
  meta: EntityMetadata<T>,
  where: FilterQuery<T>,
  orderBy: QueryOrderMap<T>,
  limit: number,
): Promise<Statement> {
  const build = (w: FilterQuery<T>) =>
    em
      .createQueryBuilder<T>(meta.class)
      .select('*')
      .where(w)
      .orderBy(orderBy)
      .limit(limit) as unknown as AnyQueryBuilder;
  return statementOf(em, meta, `rows|${JSON.stringify(orderBy)}|${limit}`, where, build);
}

function countStatement<T extends object>(
  em: EntityManager,
  meta: EntityMetadata<T>,
  where: FilterQuery<T>,
): Promise<Statement> {
  const build = (w: FilterQuery<T>) =>
    em.createQueryBuilder<T>(meta.class).count().where(w) as unknown as AnyQueryBuilder;
  return statementOf(em, meta, 'count', where, build);
}

function toRows<T extends object>(em: EntityManager, meta: EntityMetadata<T>, rows: unknown[]): T[] {
  return (rows as Record<string, unknown>[]).map(rowMapper(meta, em.getDriver()));
}

/** The rows of each statement, sent as one query message in the EntityManager's transaction, if any. */
async function execute(em: EntityManager, statements: Statement[]): Promise<unknown[][]> {
  const sql = statements.map((s) => s.sql).join(';\n');
  const results = await em.getConnection('read').execute(
    sql,
    statements.flatMap((s) => s.params),
    'all',
    em.getTransactionContext(),
  );
  return statements.length === 1 ? [results as unknown[]] : (results as unknown[][]);
}

async function statementOf<T extends object>(
  em: EntityManager,
  meta: EntityMetadata<T>,
  kind: string,
  where: FilterQuery<T>,
  build: (where: FilterQuery<T>) => AnyQueryBuilder,
): Promise<Statement> {
  const organizationId = organizationOf(em);
  const leaves: unknown[] = [];
  let key: string | undefined;
  try {
    if (organizationId) key = `${meta.className}|${organizationId}|${kind}|${shapeOf(where, leaves)}`;
  } catch (error) {
    if (!(error instanceof NotReusable)) throw error;
  }
  let compiled = key === undefined ? null : shapes.get(key);
  if (compiled === undefined) {
    compiled = await compile(build, where, leaves.length, organizationId!);
    if (shapes.size >= MAX_SHAPES) shapes.delete(shapes.keys().next().value as string);
    shapes.set(key!, compiled);
  }
  if (!compiled) {
    const qb = build(where);
    await qb.applyFilters();
    const { sql, bindings } = qb.getKnexQuery().toSQL();
    return { sql, params: [...bindings] };
  }
  return { sql: compiled.sql, params: compiled.bindings.map((b) => ('leaf' in b ? leaves[b.leaf] : b.value)) };
}

async function compile<T extends object>(
  build: (where: FilterQuery<T>) => AnyQueryBuilder,
  where: FilterQuery<T>,
  leafCount: number,
  organizationId: string,
): Promise<Compiled | null> {
  let next = 0;
  const qb = build(withSentinels(where, () => next++) as FilterQuery<T>);
  await qb.applyFilters();
  const { sql, bindings } = qb.getKnexQuery().toSQL();
  if (sql.includes(SENTINEL) || !bindings.includes(organizationId)) return null;
  const found = new Set<number>();
  const template: Binding[] = [];
  for (const value of bindings) {
    const leaf = sentinelLeaf(value);
    if (leaf === undefined) {
      if (typeof value === 'string' && value.includes(SENTINEL)) return null;
      template.push({ value });
    } else {
      if (leaf < 0 || leaf >= leafCount) return null;
      found.add(leaf);
      template.push({ leaf });
    }
  }
  // A value the builder dropped or rewrote (a sentinel that no longer appears as itself) makes the shape unsafe to
  // reuse.
  if (found.size !== leafCount) return null;
  return { sql, bindings: template };
}

/** The structure of a filter, with every string, number and date replaced by its position among `leaves`. */
function shapeOf(value: unknown, leaves: unknown[]): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'boolean':
      return String(value);
    case 'string':
    case 'number':
      leaves.push(value);
      return typeof value === 'string' ? 's' : 'n';
    case 'object': {
      if (value instanceof Date) {
        leaves.push(value);
        return 'd';
      }
      if (Array.isArray(value)) return `[${value.map((v) => shapeOf(v, leaves)).join(',')}]`;
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new NotReusable();
      return `{${Object.entries(value)
        .map(([k, v]) => `${JSON.stringify(k)}:${shapeOf(v, leaves)}`)
        .join(',')}}`;
    }
    default:
      throw new NotReusable();
  }
}

function withSentinels(value: unknown, nextLeaf: () => number): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') return value;
  if (typeof value === 'string') return `${SENTINEL}${nextLeaf()}`;
  if (typeof value === 'number') return SENTINEL_NUMBER + nextLeaf();
  if (value instanceof Date) return new Date(SENTINEL_EPOCH + nextLeaf());
  if (Array.isArray(value)) return value.map((v) => withSentinels(v, nextLeaf));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, withSentinels(v, nextLeaf)]),
  );
}

function sentinelLeaf(value: unknown): number | undefined {
  if (typeof value === 'string' && value.startsWith(SENTINEL)) {
    const leaf = value.slice(SENTINEL.length);
    return /^\d+$/.test(leaf) ? Number(leaf) : -1;
  }
  if (
    typeof value === 'number' &&
    value >= SENTINEL_NUMBER &&
    value < SENTINEL_NUMBER + 1e6 &&
    (value - SENTINEL_NUMBER) % 1 === 0
  )
    return value - SENTINEL_NUMBER;
  if (value instanceof Date) {
    const leaf = value.getTime() - SENTINEL_EPOCH;
    if (leaf >= 0 && leaf < 1e6) return leaf;
  }
  return undefined;
}
