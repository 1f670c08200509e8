import { EntityMetadata, ReferenceKind } from '@mikro-orm/core';

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
const BUILT_IN_TYPES = new Set(['DateTimeType', 'JsonType', 'ArrayType', 'BooleanType', 'IntegerType', 'BigIntType', 'FloatType', 'DoubleType', 'StringType', 'TextType', 'UuidType', 'EnumType', 'EnumArrayType', 'DateType', 'TimeType', 'BlobType', 'Uint8ArrayType', 'DecimalType', 'SmallIntType', 'TinyIntType', 'MediumIntType', 'IntervalType', 'UnknownType', 'CharacterType']);

/**
 * True when every property is a column of a built-in type or a many-to-one: then a row has everything the entity's
 * fields read. Entities with collections (team members), embeddables or custom types keep being loaded as entities.
 */
export function servesRows(meta: EntityMetadata): boolean {
  let safe = rowSafe.get(meta);
  if (safe === undefined) {
    safe = meta.props.every(
      (p) => (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE) && (!p.customType || BUILT_IN_TYPES.has(p.customType.constructor.name)),
    );
    rowSafe.set(meta, safe);
  }
  return safe;
}

/** One mapped result (property names) as a read-only record of the entity. */
export function toRow<T extends object>(meta: EntityMetadata<T>, data: Record<string, unknown>): T {
  for (const prop of meta.relations) {
    if (prop.kind !== ReferenceKind.MANY_TO_ONE) continue;
    const value = data[prop.name];
    data[prop.name] = value === null || value === undefined ? null : new RowRef(typeof value === 'object' ? String((value as { id: unknown }).id) : String(value));
  }
  return Object.setPrototypeOf(data, meta.prototype) as T;
}
