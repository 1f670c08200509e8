import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { KEY_PATTERN } from './ids.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

function parse(value: unknown, what: string, accept: (s: string) => boolean): string {
  if (typeof value !== 'string' || !accept(value)) {
    throw new GraphQLError(`must be ${what}`);
  }
  return value;
}

/** A record id (UUID) or its per-organization key (INC-42). Checked before any SQL runs. */
export const IdOrKeyScalar = new GraphQLScalarType({
  name: 'IdOrKey',
  description: 'A record id (UUID) or its human key such as INC-42',
  serialize: (v) => v,
  parseValue: (v) => parse(v, 'a UUID or a key such as INC-42', (s) => isUuid(s) || KEY_PATTERN.test(s.toUpperCase())),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('must be a UUID or a key such as INC-42');
    return parse(ast.value, 'a UUID or a key such as INC-42', (s) => isUuid(s) || KEY_PATTERN.test(s.toUpperCase()));
  },
});

/** A UUID argument; a malformed one is a 400, never a database error. */
export const UuidScalar = new GraphQLScalarType({
  name: 'UUID',
  description: 'A record id (UUID)',
  serialize: (v) => v,
  parseValue: (v) => parse(v, 'a UUID', isUuid).toLowerCase(),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('must be a UUID');
    return parse(ast.value, 'a UUID', isUuid).toLowerCase();
  },
});
