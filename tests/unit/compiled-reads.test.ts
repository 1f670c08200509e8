import { ApolloServer } from '@apollo/server';
import {
  GraphQLError,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  execute,
  parse,
} from 'graphql';
import { compiledRead, compiledReadsPlugin } from '../../src/db/fast/compiled-reads';

const Item = new GraphQLObjectType({ name: 'Item', fields: { id: { type: GraphQLString }, n: { type: GraphQLInt } } });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      items: {
        type: new GraphQLList(Item),
        args: { first: { type: new GraphQLNonNull(GraphQLInt) } },
        resolve: (_root, args: { first: number }) =>
          Array.from({ length: args.first }, (_v, i) => ({ id: `i${i}`, n: i })),
      },
      broken: {
        type: GraphQLString,
        resolve: () => {
          throw new GraphQLError('not here', { extensions: { code: 'NOT_FOUND' } });
        },
      },
    },
  }),
  mutation: new GraphQLObjectType({ name: 'Mutation', fields: { touch: { type: GraphQLInt, resolve: () => 1 } } }),
});

describe('compiledRead', () => {
  it('answers a query with fragments, aliases and variables as graphql-js does', async () => {
    const document = parse('query Q($k: Int!) { items(first: $k) { ...F other: n } } fragment F on Item { id n }');
    const run = compiledRead(schema, document, 'Q')!;
    const compiledResult = await run(undefined, { k: 3 });
    expect(compiledResult).toEqual(await execute({ schema, document, variableValues: { k: 3 }, operationName: 'Q' }));
    expect((compiledResult.data as { items: unknown[] }).items).toHaveLength(3);
  });

  it("reports bad variables with graphql-js's own errors", async () => {
    const document = parse('query Q($k: Int!) { items(first: $k) { id } }');
    const fromJs = await execute({ schema, document, variableValues: { k: 'x' } });
    const fromCompiled = await compiledRead(schema, document)!(undefined, { k: 'x' });
    expect(fromCompiled.errors?.map((e) => e.message)).toEqual(fromJs.errors?.map((e) => e.message));
    expect(fromCompiled.errors).toHaveLength(1);
  });

  it('compiles a query once, with whenSeenBefore when it is asked for the second time, and never a mutation', () => {
    const mutation = parse('mutation { touch }');
    expect([
      compiledRead(schema, mutation),
      compiledRead(schema, mutation, undefined, true),
      compiledRead(schema, mutation, undefined, true),
    ]).toEqual([null, null, null]);
    const now = parse('{ items(first: 1) { id } }');
    expect(compiledRead(schema, now)).toEqual(expect.any(Function));
    expect(compiledRead(schema, now)).toBe(compiledRead(schema, now));
    const later = parse('{ items(first: 1) { id } }');
    expect(compiledRead(schema, later, undefined, true)).toBeNull();
    const second = compiledRead(schema, later, undefined, true);
    expect(second).toEqual(expect.any(Function));
    expect(compiledRead(schema, later, undefined, true)).toBe(second);
  });
});

describe('compiledReadsPlugin', () => {
  let executedByApollo = 0;
  const server = new ApolloServer({
    schema,
    plugins: [
      compiledReadsPlugin(),
      {
        async requestDidStart() {
          return {
            async executionDidStart() {
              executedByApollo++;
            },
          };
        },
      },
    ],
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  async function run(query: string) {
    executedByApollo = 0;
    const response = await server.executeOperation({ query });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { result: response.body.singleResult, status: response.http.status, executedByApollo };
  }

  it('answers a query without errors from its compiled form once it has been seen', async () => {
    const first = await run('{ items(first: 2) { id } }');
    const second = await run('{ items(first: 2) { id } }');
    expect([first.executedByApollo, second.executedByApollo]).toEqual([1, 0]);
    expect(second.result).toEqual({ data: { items: [{ id: 'i0' }, { id: 'i1' }] } });
    expect(second.result).toEqual(first.result);
  });

  it('leaves a query with errors, and mutations, to Apollo, whose error path formats them', async () => {
    await run('{ broken items(first: 1) { id } }');
    const failed = await run('{ broken items(first: 1) { id } }');
    expect(failed.executedByApollo).toBe(1);
    expect(failed.result.data).toEqual({ broken: null, items: [{ id: 'i0' }] });
    expect(failed.result.errors?.[0]).toMatchObject({
      message: 'not here',
      path: ['broken'],
      extensions: { code: 'NOT_FOUND' },
    });
    await run('mutation { touch }');
    expect((await run('mutation { touch }')).executedByApollo).toBe(1);
  });
});
