import { GraphQLOutputType, GraphQLSchema, getNullableType, isLeafType, isListType, isObjectType } from 'graphql';
import { Collection } from '@mikro-orm/core';
import { isRecordType, toSnake } from '../../core/casing.js';

/**
 * A record as the REST API shows it (snake_case keys, relations by id, scalars serialized), computed from the
 * schema: used where a record leaves Argus outside a request, e.g. in webhook payloads.
 */
export class RecordView {
  constructor(private readonly schema: GraphQLSchema) {}

  async of(typeName: string, record: object): Promise<Record<string, unknown>> {
    const type = this.schema.getType(typeName);
    if (!type || !isObjectType(type)) throw new Error(`No object type ${typeName} in the schema`);
    // Id lists (`incident_ids`) come from to-many relations, which must be loaded first.
    for (const value of Object.values(record)) {
      if (value instanceof Collection && !value.isInitialized()) await value.init();
    }
    return this.value(record, type) as Record<string, unknown>;
  }

  private value(value: unknown, type: GraphQLOutputType): unknown {
    if (value === null || value === undefined) return null;
    const t = getNullableType(type);
    if (isListType(t)) return (value as unknown[]).map((v) => this.value(v, t.ofType));
    if (isLeafType(t)) return t.serialize(value);
    if (!isObjectType(t)) return null;
    const out: Record<string, unknown> = {};
    for (const field of Object.values(t.getFields())) {
      if (isRecordType(field.type) && isRecordType(t)) continue;
      if (field.args.length) continue;
      const raw = (value as Record<string, unknown>)[field.name];
      const resolved = typeof raw === 'function' ? (raw as () => unknown).call(value) : raw;
      if (resolved instanceof Promise) continue;
      out[toSnake(field.name)] = this.value(resolved, field.type);
    }
    return out;
  }
}
