import { isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import type {
  GraphQLField,
  GraphQLInputField,
  GraphQLInputObjectType,
  GraphQLInterfaceType,
  GraphQLObjectType,
  GraphQLSchema,
} from 'graphql';
import { toCamel, toSnake } from '../../core/casing.js';

/**
 * Descriptions are written once, in the code, and name fields either way; each surface states them in its own names:
 * the GraphQL schema in camelCase (`autoClassified`), the OpenAPI document in snake_case (`auto_classified`). Only
 * words that are the names of the schema's fields and arguments change; enum values and event types (`sla_breached`,
 * `change_request.created`) stay as they are.
 */
export function fieldNames(schema: GraphQLSchema): Set<string> {
  const names = new Set<string>();
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean),
  );
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)))
      continue;
    for (const field of fieldsOf(type)) {
      if (/[A-Z]/.test(field.name) && !roots.has(type as never)) names.add(field.name);
      if ('args' in field) for (const arg of field.args) if (/[A-Z]/.test(arg.name)) names.add(arg.name);
    }
  }
  // The names of operations are not keys of a body: "One alertRule by id" keeps its word.
  for (const root of roots) for (const name of Object.keys(root!.getFields())) names.delete(name);
  return names;
}

function fieldsOf(
  type: GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType,
): Array<GraphQLField<unknown, unknown> | GraphQLInputField> {
  return isInputObjectType(type) ? Object.values(type.getFields()) : Object.values(type.getFields());
}

const SNAKE_WORD = /(?<![\w.])[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b(?!\.\w)/g;
const CAMEL_WORD = /(?<![\w.])[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+\b(?!\.\w)/g;

/** `auto_classified` → `autoClassified` where that is a field of the schema. */
export function inGraphQLNames(text: string, names: Set<string>): string {
  return text.replace(SNAKE_WORD, (word) => (names.has(toCamel(word)) ? toCamel(word) : word));
}

/** `autoClassified` → `auto_classified` where that is a field of the schema. */
export function inRestNames(text: string, names: Set<string>): string {
  return text.replace(CAMEL_WORD, (word) => (names.has(word) ? toSnake(word) : word));
}

/** Every description of the schema in GraphQL names (in place: the schema is being built). */
export function describeInGraphQLNames(schema: GraphQLSchema): void {
  const names = fieldNames(schema);
  const fix = (holder: { description?: string | null | undefined }) => {
    if (holder.description) holder.description = inGraphQLNames(holder.description, names);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    fix(type);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of fieldsOf(type)) {
        fix(field);
        if ('args' in field) for (const arg of field.args) fix(arg);
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) fix(value);
  }
}
