
/**
 * The REST surface, as GraphQL field → method and path. Resolvers declare their routes next to themselves; SOFA
 * builds the handlers and the OpenAPI document from this table, and nothing else reaches /api/v1.
 */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  responseStatus?: 200 | 201 | 204;
  tags?: string[];
  description?: string;
  /** Top-level GraphQL argument that receives the whole JSON body (default: `input` when the field has one). */
  bodyArgument?: string;
}

const routes = new Map<string, RestRoute>();

export function restRoute(graphqlPath: `${'Query' | 'Mutation'}.${string}`, route: RestRoute): void {
  routes.set(graphqlPath, route);
}

export function restRoutes(): ReadonlyMap<string, RestRoute> {
  return routes;
}
