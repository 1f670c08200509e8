import { GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString, execute, parse } from 'graphql';
import { selectsField } from '../../src/api/graphql/selection';

const seen: boolean[] = [];
const Page = new GraphQLObjectType({
  name: 'Page',
  fields: { total: { type: GraphQLInt }, items: { type: new GraphQLList(GraphQLString) } },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      page: {
        type: Page,
        resolve: (_root, _args, _ctx, info) => {
          seen.push(selectsField(info, 'total'));
          return { total: 1, items: [] };
        },
      },
    },
  }),
});

async function asks(query: string): Promise<boolean> {
  seen.length = 0;
  const result = await execute({ schema, document: parse(query) });
  expect(result.errors).toBeUndefined();
  return seen[0];
}

describe('selectsField', () => {
  it('sees a field selected directly, through an inline fragment and through a named fragment', async () => {
    expect(await asks('{ page { total items } }')).toBe(true);
    expect(await asks('{ page { items ... on Page { total } } }')).toBe(true);
    expect(await asks('query { page { ...P } } fragment P on Page { items total }')).toBe(true);
  });

  it('does not see a field that is not selected, or one selected under another name only as an alias', async () => {
    expect(await asks('{ page { items } }')).toBe(false);
    expect(await asks('{ page { total: items } }')).toBe(false);
    expect(await asks('query { page { ...P } } fragment P on Page { items }')).toBe(false);
  });

  it('answers each document on its own (remembered per field node)', async () => {
    const withTotal = parse('{ page { total } }');
    const without = parse('{ page { items } }');
    for (let i = 0; i < 2; i++) {
      seen.length = 0;
      await execute({ schema, document: withTotal });
      await execute({ schema, document: without });
      expect(seen).toEqual([true, false]);
    }
  });
});
