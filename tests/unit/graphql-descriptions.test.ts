import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchema, buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';

/**
 * GraphQL descriptions speak GraphQL: a field named in a description is named as the schema names it
 * (`autoClassified`),
 * not as REST does (`auto_classified`). The schema states the descriptions in GraphQL names and the OpenAPI document in
 * REST names (src/api/graphql/descriptions.ts); this reads the emitted file, whatever produced it.
 */
const toCamel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** Every description of the schema, with where it is. */
function descriptions(schema: GraphQLSchema): Array<{ where: string; text: string }> {
  const out: Array<{ where: string; text: string }> = [];
  const add = (where: string, text: string | null | undefined) => text && out.push({ where, text });
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    add(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        add(`${type.name}.${field.name}`, field.description);
        if ('args' in field)
          for (const arg of field.args) add(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) add(`${type.name}.${value.name}`, value.description);
  }
  return out;
}

/** The names of fields and arguments that have more than one word (the ones REST spells differently). */
function camelNames(schema: GraphQLSchema): Set<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)))
      continue;
    for (const field of Object.values(type.getFields())) {
      names.add(field.name);
      if ('args' in field) for (const arg of field.args) names.add(arg.name);
    }
  }
  return new Set([...names].filter((n) => /[A-Z]/.test(n)));
}

/** snake_case words of the descriptions whose camelCase form is a GraphQL field or argument. */
export function snakeCaseFieldNames(schema: GraphQLSchema): string[] {
  const names = camelNames(schema);
  const offenders: string[] = [];
  for (const { where, text } of descriptions(schema)) {
    for (const match of text.matchAll(/(?<![\w.])[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b(?!\.\w)/g)) {
      if (names.has(toCamel(match[0]))) offenders.push(`${where}: ${match[0]} (GraphQL: ${toCamel(match[0])})`);
    }
  }
  return offenders;
}

describe('GraphQL descriptions', () => {
  it('name fields as GraphQL does, in schema.graphql as emitted', () => {
    const schema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8'));
    expect(snakeCaseFieldNames(schema)).toEqual([]);
  });

  it('are checked by a rule that finds a REST name of a field, and leaves enum values and event types alone', () => {
    const schema = buildSchema(`
      enum Kind { """becomes status_changed""" status_changed }
      type Incident { autoClassified: Boolean, slaBreached: Boolean, kind: Kind }
      type Query {
        """Left out, the classifier fills it in (auto_classified); see incident.sla_breached and status_changed"""
        incident(nextCursor: String): Incident
        """After next_cursor"""
        other: Incident
      }`);
    expect(snakeCaseFieldNames(schema)).toEqual([
      'Query.incident: auto_classified (GraphQL: autoClassified)',
      'Query.other: next_cursor (GraphQL: nextCursor)',
    ]);
  });
});
