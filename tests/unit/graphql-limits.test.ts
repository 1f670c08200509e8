import 'reflect-metadata';
import { GraphQLSchema, parse } from 'graphql';
import { getSchema } from '../../src/app/schema';
import { MAX_REPEATS, checkOperation, measureDocument, measureOperation } from '../../src/api/graphql/limits';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await getSchema();
});

const measure = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  measureOperation(schema, parse(query), operationName, variables);
const limits = { maxDepth: 10, maxAliases: 15, maxCost: 10_000, maxTokens: 5000 };

describe('the cost of an operation', () => {
  it('is one point per record: a page of the default 25 costs 26', () => {
    expect(measure('{ incidents { total items { id title } } }').cost).toBe(26);
  });

  it('multiplies nested records by the page size, and lists without a limit by 10', () => {
    expect(measure('{ teams(limit: 10) { items { members { id } } } }').cost).toBe(1 + 10 + 100);
    expect(measure('{ incidents(limit: 100) { items { service { team { id } } } } }').cost).toBe(1 + 100 + 100 + 100);
  });

  it('reads the page size from variables and caps it at 100', () => {
    const query = 'query($n: Int) { incidents(limit: $n) { items { id } } }';
    expect(measure(query, { n: 7 }).cost).toBe(8);
    expect(measure(query, { n: 5000 }).cost).toBe(101);
    expect(measure(query, {}).cost).toBe(26);
  });

  it('charges the declared price of expensive fields', () => {
    const plan = measure(
      '{ escalationPlan(policyId: "00000000-0000-4000-8000-000000000001") { steps { level userIds } } }',
    );
    expect(plan.cost).toBe(50);
    const shifts = measure(
      '{ a: onCallShifts(scheduleId: "00000000-0000-4000-8000-000000000001") { shifts { userIds } } b: onCall(scheduleId: "00000000-0000-4000-8000-000000000001") { userIds } }',
    );
    expect(shifts.cost).toBe(60);
    expect(shifts.aliases).toBe(2);
  });

  it('counts through fragments and inline fragments, and only the chosen operation', () => {
    const query = `
      query A { incidents(limit: 2) { items { ...F } } }
      query B { teams { total } }
      fragment F on Incident { ... on Incident { service { id } } team { id } }`;
    expect(measure(query, {}, 'A')).toMatchObject({ cost: 1 + 2 + 2 + 2, depth: 4 });
    expect(measure(query, {}, 'B')).toMatchObject({ cost: 1, depth: 2 });
  });

  it('measures the whole document: every operation whatever operationName selects, and fragments nobody spreads', () => {
    const doc = (query: string) => measureDocument(schema, parse(query), {});
    const repeated = `me { ${'id '.repeat(MAX_REPEATS + 5)}}`;
    const path = [
      'incidents',
      'items',
      'service',
      'team',
      'services',
      'items',
      'team',
      'services',
      'items',
      'team',
      'services',
      'items',
    ];
    const deep = `${path.join(' { ')} { id${' }'.repeat(path.length)}`;
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: me { id }`).join(' ');
    // The hostile part hidden in a second operation, in an unused fragment, or under a field the schema lacks.
    const hiding: Array<(part: string) => string> = [
      (part) => `query Small { me { id } } query Big { ${part} }`,
      (part) => `{ me { id } } fragment Unused on Query { ${part} }`,
      (part) => `query Small { me { id } } fragment Unused on NoSuchType { ${part} }`,
      (part) => `{ noSuchField { ${part} } }`,
    ];
    for (const hide of hiding) {
      expect(doc(hide(repeated)).repeats).toBeGreaterThan(MAX_REPEATS);
      expect(doc(hide(aliases)).aliases).toBe(20);
      expect(checkOperation(doc(hide(repeated)), limits)).toBeDefined();
      expect(checkOperation(doc(hide(aliases)), limits)).toBeDefined();
    }
    expect(doc(hiding[0](deep)).depth).toBeGreaterThan(10);
    expect(doc(hiding[1](deep)).depth).toBeGreaterThan(10);
    expect(
      checkOperation(doc('query A { me { id } } query B { incidents { total } } fragment F on User { name }'), limits),
    ).toBeUndefined();
  });

  it('leaves introspection and __typename out', () => {
    expect(
      measure('{ __typename __schema { types { fields { type { ofType { ofType { name } } } } } } }'),
    ).toMatchObject({ cost: 0, depth: 0 });
  });
});

describe('checkOperation', () => {
  it('passes what is within every limit and names the first one exceeded', () => {
    expect(checkOperation(measure('{ me { id } }'), limits)).toBeUndefined();
    expect(checkOperation({ depth: 11, aliases: 0, cost: 0, repeats: 1, truncated: false }, limits)?.message).toMatch(
      /11 levels deep/,
    );
    expect(checkOperation({ depth: 2, aliases: 16, cost: 0, repeats: 1, truncated: false }, limits)?.message).toMatch(
      /16 aliases/,
    );
    expect(checkOperation({ depth: 2, aliases: 0, cost: 10_001, repeats: 1, truncated: false }, limits)).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'query' }],
    });
  });

  it('does not throw on documents that validation would refuse', () => {
    for (const query of [
      '{ nope { x } }',
      '{ me { ...Missing } }',
      'query A { me { id } } query B { me { id } }',
      'subscription { x }',
    ]) {
      expect(() => measure(query)).not.toThrow();
    }
  });
});
