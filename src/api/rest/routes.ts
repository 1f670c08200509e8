
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
  /**
   * A CSV form of a GET route's answer, served for `Accept: text/csv` or the `format=csv` parameter: the same
   * operation runs, and `render` lays its snake_case answer out as CSV with a header row.
   */
  csv?: CsvRepresentation;
}

export interface CsvRepresentation {
  /** The name offered in Content-Disposition. */
  filename: string;
  render(body: unknown): string;
}

const routes = new Map<string, RestRoute>();

export function restRoute(graphqlPath: `${'Query' | 'Mutation'}.${string}`, route: RestRoute): void {
  routes.set(graphqlPath, route);
}

export function restRoutes(): ReadonlyMap<string, RestRoute> {
  return routes;
}
