import { EntityMetadata, IDatabaseDriver, ReferenceKind } from '@mikro-orm/core';

/**
 * Read-only records for lists: plain rows from the QueryBuilder (types converted, no managed entities, no identity
 * map), given the entity's prototype so that its GraphQL method fields (`key()`, `serviceId()`) answer as on an
 * entity. Hydrating managed entities costs ~45 µs each and a list of 50 does not need them (docs/PERFORMANCE.md).
 * A many-to-one relation is a RowRef; RelationField loads it (batched) when a query selects it.
 *
 * Rows are never written: writes load managed entities.
 */
export class RowRef {
  constructor(readonly id: string) {}
}

const rowSafe = new WeakMap<EntityMetadata, boolean>();

/** MikroORM's own mapped types, which the QueryBuilder converts as em.find does. */
const BUILT_IN_TYPES = new Set([
  'DateTimeType',
  'JsonType',
  'ArrayType',
  'BooleanType',
  'IntegerType',
  'BigIntType',
  'FloatType',
  'DoubleType',
  'StringType',
  'TextType',
  'UuidType',
  'EnumType',
  'EnumArrayType',
  'DateType',
  'TimeType',
  'BlobType',
  'Uint8ArrayType',
  'DecimalType',
  'SmallIntType',
  'TinyIntType',
  'MediumIntType',
  'IntervalType',
  'UnknownType',
  'CharacterType',
]);

/**
 * True when every property is a column of a built-in type or a many-to-one: then a row has everything the entity's
 * fields read. Entities with collections (team members), embeddables or custom types keep being loaded as entities.
 */
export function servesRows(meta: EntityMetadata): boolean {
  let safe = rowSafe.get(meta);
  if (safe === undefined) {
    safe = meta.props.every(
      (p) =>
        (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE) &&
        (!p.customType || BUILT_IN_TYPES.has(p.customType.constructor.name)),
    );
    rowSafe.set(meta, safe);
  }
  return safe;
}

type Row = Record<string, unknown>;
type Mapper = (row: Row) => object;

const mappers = new WeakMap<EntityMetadata, Mapper>();
/** What a date converter returns for a date in a form it does not know. */
const UNKNOWN = Symbol('unknown date');

/**
 * Maps a row of the entity's table (column names, values as pg returns them) to a read-only record of the entity:
 * what MikroORM's result mapping gives (booleans as booleans, dates as Date), each many-to-one a RowRef, the entity's
 * prototype. A date comes as text with its offset (MikroORM has pg return dates as text) and is parsed by the
 * platform as MikroORM's mapping parses it. A row that lacks a column, or has a date in another form, takes MikroORM's
 * own mapping.
 *
 * Like MikroORM's own mapper, it is generated code (from the entity's metadata, never from data): an object literal
 * with every property named, so that all records of an entity share one shape and reading them stays fast.
 */
export function rowMapper<T extends object>(meta: EntityMetadata<T>, driver: IDatabaseDriver): (row: Row) => T {
  let mapper = mappers.get(meta);
  if (!mapper) {
    const slow = (row: Row) => toRow(meta, driver.mapResult(row as never, meta) as Row);
    const props = meta.props.filter((p) => p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE);
    // One column per property, nothing computed: otherwise MikroORM maps every row.
    const plain = props.every((p) => p.fieldNames?.length === 1 && !p.formula && p.persist !== false);
    mapper = plain ? generate(meta, props, driver.getPlatform().parseDate.bind(driver.getPlatform()), slow) : slow;
    mappers.set(meta, mapper);
  }
  return mapper as (row: Row) => T;
}

function generate(
  meta: EntityMetadata,
  props: EntityMetadata['props'],
  parseDate: (text: string) => unknown,
  slow: Mapper,
): Mapper {
  const column = (p: EntityMetadata['props'][number]) => `row[${JSON.stringify(p.fieldNames[0])}]`;
  const value = (p: EntityMetadata['props'][number]) => {
    const c = column(p);
    if (p.kind === ReferenceKind.MANY_TO_ONE) return `${c} === null ? null : new RowRef(String(${c}))`;
    if (p.runtimeType === 'boolean') return `${c} === null ? null : !!${c}`;
    if (p.runtimeType === 'Date') return `date(${c})`;
    return c;
  };
  const dates = props.filter((p) => p.runtimeType === 'Date' && p.kind === ReferenceKind.SCALAR);
  const body = [
    `if (${props.map((p) => `${column(p)} === undefined`).join(' || ')}) return slow(row);`,
    `const record = {\n${props.map((p) => `  ${JSON.stringify(p.name)}: ${value(p)},`).join('\n')}\n};`,
    dates.length
      ? `if (${dates.map((p) => `record[${JSON.stringify(p.name)}] === UNKNOWN`).join(' || ')}) return slow(row);`
      : '',
    // The prototype last: MikroORM defines accessors on the entity's prototype that must not run here.
    'return Object.setPrototypeOf(record, prototype);',
  ].join('\n');
  const date = (v: unknown) =>
    v === null || v instanceof Date ? v : typeof v === 'string' && hasOffset(v) ? parseDate(v) : UNKNOWN;
  // Code generated from the entity's metadata (never from data), as MikroORM's own mapper is.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function(
    'RowRef',
    'date',
    'UNKNOWN',
    'slow',
    'prototype',
    `return function map${meta.className}Row(row) {\n${body}\n};`,
  ) as (
    rowRef: typeof RowRef,
    date: (v: unknown) => unknown,
    unknownDate: typeof UNKNOWN,
    slow: Mapper,
    prototype: object,
  ) => Mapper;
  return factory(RowRef, date, UNKNOWN, slow, meta.prototype as object);
}

/** `2026-11-28 18:24:54.206+00`, `…-05:30`, `…Z`: a time that names its offset. */
function hasOffset(text: string): boolean {
  return text.endsWith('Z') || text.lastIndexOf('+') > 10 || text.lastIndexOf('-') > 10;
}

/** One mapped result (property names) as a read-only record of the entity. */
export function toRow<T extends object>(meta: EntityMetadata<T>, data: Record<string, unknown>): T {
  for (const prop of meta.relations) {
    if (prop.kind !== ReferenceKind.MANY_TO_ONE) continue;
    const value = data[prop.name];
    if (value === null || value === undefined) {
      data[prop.name] = null;
      continue;
    }
    const id: unknown = typeof value === 'object' ? (value as { id: unknown }).id : value;
    data[prop.name] = new RowRef(String(id));
  }
  return Object.setPrototypeOf(data, meta.prototype) as T;
}
