import {
  GraphQLInputType,
  GraphQLOutputType,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';

const snakeNames = new Map<string, string>();
/** camelCase → snake_case; field names are few, so each is converted once. */
export const toSnake = (s: string): string => {
  let snake = snakeNames.get(s);
  if (snake === undefined) {
    snake = s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (snakeNames.size < 10_000) snakeNames.set(s, snake);
  }
  return snake;
};
export const toCamel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** A REST body → GraphQL input: snake_case keys of input object types become camelCase; scalar values untouched. */
export function camelInput(value: unknown, type: GraphQLInputType): unknown {
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return camelInput(value, type.ofType);
  if (isListType(type)) return Array.isArray(value) ? value.map((v) => camelInput(v, type.ofType)) : value;
  if (!isInputObjectType(type) || typeof value !== 'object' || Array.isArray(value)) return value;
  const fields = type.getFields();
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const name = toCamel(key);
    const field = fields[name];
    out[name] = field ? camelInput(v, field.type) : v;
  }
  return out;
}

/** True for object types that are records of their own (they have an id): REST shows them by id, not nested. */
export function isRecordType(type: GraphQLOutputType): boolean {
  const named = getNamedType(type);
  return isObjectType(named) && 'id' in named.getFields();
}
