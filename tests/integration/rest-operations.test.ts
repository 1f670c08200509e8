import { Kind, OperationDefinitionNode, print } from 'graphql';
import { getSchema } from '../../src/app/schema';
import { SofaOperations, resolveRoutes } from '../../src/api/rest/sofa';

describe('REST routes run the operations SOFA derives from the schema', () => {
  it("every route has its SOFA operation, selecting exactly the route's field with all its arguments", async () => {
    const schema = await getSchema();
    const routes = resolveRoutes(schema);
    const operations = new SofaOperations(schema, routes);
    expect(routes.length).toBeGreaterThan(50);
    for (const route of routes) {
      const { document } = await operations.of(route);
      const operation = document.definitions[0] as OperationDefinitionNode;
      expect({ route: route.graphqlPath, kind: operation.operation }).toEqual({
        route: route.graphqlPath,
        kind: route.graphqlPath.startsWith('Query.') ? 'query' : 'mutation',
      });
      const field = operation.selectionSet.selections[0];
      expect(field.kind === Kind.FIELD && field.name.value).toBe(route.field.name);
      const variables = (operation.variableDefinitions ?? []).map((v) => v.variable.name.value).sort();
      expect(variables).toEqual(expect.arrayContaining(route.field.args.map((a) => a.name)));
    }
  });

  it('reads each operation once and hands out the same document afterwards', async () => {
    const schema = await getSchema();
    const routes = resolveRoutes(schema);
    const operations = new SofaOperations(schema, routes);
    const list = routes.find((r) => r.graphqlPath === 'Query.incidents')!;
    const first = await operations.of(list);
    expect(await operations.of(list)).toBe(first);
    expect(print(first.document)).toContain('incidents(');
  });
});
