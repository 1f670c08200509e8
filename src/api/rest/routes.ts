import type { GraphQLSchema } from 'graphql';
import { Extensions } from 'type-graphql';

/**
 * The REST surface, as GraphQL field → method and path. A query or mutation declares its route on itself
 * (`@RestRoute`, kept in the field's extensions); SOFA builds the handlers and the OpenAPI document from the schema's
 * routes, and nothing else reaches /api/v1.
 */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  responseStatus?: 200 | 201 | 202 | 204;
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

const KEY = 'argusRestRoute';

export function RestRoute(route: RestRoute): MethodDecorator {
  return Extensions({ [KEY]: route });
}

/** Every route of the schema, keyed `Query.<field>` / `Mutation.<field>`. */
export function restRoutesOf(schema: GraphQLSchema): ReadonlyMap<string, RestRoute> {
  const routes = new Map<string, RestRoute>();
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      const route = field.extensions[KEY] as RestRoute | undefined;
      if (route) routes.set(`${type.name}.${field.name}`, route);
    }
  }
  return routes;
}
