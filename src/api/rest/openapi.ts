import {
  GraphQLField,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { isRecordType, toSnake } from '../../core/casing.js';
import { fieldNames, inRestNames } from '../graphql/descriptions.js';
import type { RestRoute } from './routes.js';
import { HTTP_STATUS } from '../../core/errors.js';

type Json = Record<string, unknown>;
type Route = RestRoute & { graphqlPath: string; field: GraphQLField<unknown, unknown>; params: string[] };

const SCALARS: Record<string, Json> = {
  String: { type: 'string' },
  Boolean: { type: 'boolean' },
  Int: { type: 'integer' },
  Float: { type: 'number' },
  ID: { type: 'string' },
  UUID: { type: 'string', format: 'uuid' },
  IdOrKey: { type: 'string', description: 'A UUID or a key such as INC-42' },
  DateTimeISO: { type: 'string', format: 'date-time' },
  JSONObject: { type: 'object', additionalProperties: true },
  JSON: {},
};

const ERROR_STATUSES: Record<string, string> = {
  '400': 'VALIDATION_FAILED',
  '401': 'UNAUTHENTICATED',
  '403': 'FORBIDDEN',
  '404': 'NOT_FOUND',
  '409': 'CONFLICT',
  '413': 'PAYLOAD_TOO_LARGE',
  '429': 'RATE_LIMITED',
};

/**
 * The OpenAPI 3 document of the REST view. SOFA's generated document is the base (routes, operation ids, tags); the
 * shapes are rewritten to what the boundary really speaks: flat snake_case bodies, filters as query parameters,
 * relations by id, the documented error envelope.
 */
export function buildOpenApiDocument(
  schema: GraphQLSchema,
  sofaDoc: Json,
  routes: Route[],
  base: string,
  extraPaths: Record<string, Json> = {},
): Json {
  const components = new Map<string, Json>();
  const sofaPaths = (sofaDoc.paths ?? {}) as Record<string, Record<string, Json>>;
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const openApiPath = `${base}${route.path}`.replace(/:(\w+)/g, '{$1}');
    const method = route.method.toLowerCase();
    const generated = sofaPaths[openApiPath]?.[method] ?? {};
    const status = String(route.responseStatus ?? 200);
    const operation: Json = {
      operationId: generated.operationId ?? route.graphqlPath.split('.')[1],
      summary: route.field.description ?? defaultSummary(route),
      tags: route.tags,
      parameters: [
        ...route.params.map((name) => ({
          name,
          in: 'path',
          required: true,
          schema: scalarSchema(route.field.args.find((a) => a.name === name)?.type),
        })),
        ...(route.method === 'GET' ? queryParameters(route, components) : []),
        ...(route.csv
          ? [
              {
                name: 'format',
                in: 'query',
                required: false,
                description: '`csv` for the CSV form; `json` (default) for JSON',
                schema: { type: 'string', enum: ['json', 'csv'] },
              },
            ]
          : []),
        ...(route.field.args.some((a) => a.name === 'idempotencyKey') ? [IDEMPOTENCY_KEY_HEADER] : []),
      ],
      responses: {
        [status]:
          status === '204'
            ? { description: 'No content' }
            : {
                description: 'OK',
                content: {
                  'application/json': { schema: outputSchema(route.field.type, components) },
                  ...(route.csv
                    ? {
                        'text/csv': {
                          schema: {
                            type: 'string',
                            description:
                              'The same answer as CSV with a header row (`Accept: text/csv` or `format=csv`)',
                          },
                        },
                      }
                    : {}),
                },
              },
        ...errorResponses(route),
      },
    };
    // Public operations say so (`security: []`) rather than leaving it unsaid.
    operation.security = isPublic(route) ? [] : [{ bearerAuth: [] }];
    const bodyArg =
      route.method === 'GET' || route.method === 'DELETE'
        ? undefined
        : route.field.args.find((a) => a.name === (route.bodyArgument ?? 'input'));
    if (bodyArg) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: inputSchema(bodyArg.type, components) } },
      };
    }
    (paths[openApiPath] ??= {})[method] = operation;
  }
  for (const schema of components.values()) {
    if (Array.isArray(schema.required) && schema.required.length === 0) delete schema.required;
  }
  const schemas = Object.fromEntries([...components.entries()].sort(([a], [b]) => a.localeCompare(b)));
  schemas.Error = {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', enum: Object.keys(HTTP_STATUS) },
          message: { type: 'string' },
          details: {
            type: 'array',
            items: {
              type: 'object',
              required: ['field', 'message'],
              properties: { field: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
  };
  const document = {
    openapi: '3.0.3',
    info: {
      title: 'Argus REST API',
      version: '1.0.0',
      description:
        'Derived from the GraphQL schema by SOFA. Bodies and responses use snake_case keys; errors use one envelope.',
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    servers: [{ url: '/' }],
    paths: { ...paths, ...extraPaths },
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        // Inbound alert ingestion is authenticated by its webhook source, not by an Argus token.
        webhookSourceToken: {
          type: 'http',
          scheme: 'bearer',
          description: "The webhook source's bearer token (verification `bearer`)",
        },
        webhookSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'webhook-signature',
          description:
            "A Standard Webhooks signature with the source's secret, beside `webhook-id` and `webhook-timestamp` (verification `signature`)",
        },
      },
    },
  };
  // The schema's descriptions name fields the GraphQL way; REST's are snake_case.
  restNamesInText(document, fieldNames(schema));
  return document;
}

function restNamesInText(node: unknown, names: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) restNamesInText(item, names);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if ((key === 'description' || key === 'summary') && typeof value === 'string')
        record[key] = inRestNames(value, names);
      else restNamesInText(value, names);
    }
  }
}

/** Creates take the `idempotencyKey` argument from this header (src/rest/sofa.ts, src/idempotency/idempotency.ts). */
const IDEMPOTENCY_KEY_HEADER: Json = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the create safe to retry: a repeat with the same key and body within 24 hours returns the first response ' +
    '(same status and record) instead of creating another; the same key with another body is a 409 ' +
    'IDEMPOTENCY_KEY_REUSED. Keys belong to the caller within the organization; 1–255 visible ASCII characters ' +
    '(a UUID is a good choice).',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7E]+$' },
};

const PUBLIC = new Set([
  'Mutation.signup',
  'Mutation.login',
  'Mutation.refreshToken',
  'Mutation.logout',
  'Mutation.acceptInvitation',
]);

/**
 * For an operation whose field has no description: its name in words, `deleteUser` → "Delete user", `incidents` → "Get
 * incidents".
 */
function defaultSummary(route: Route): string {
  const [parent, name] = route.graphqlPath.split('.');
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  const text = parent === 'Query' ? `get ${words}` : words;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isPublic(route: Route): boolean {
  return PUBLIC.has(route.graphqlPath);
}

function errorResponses(route: Route): Json {
  const statuses = ['400', '401', '403', '404', '409', '413', '429'].filter((s) => !(isPublic(route) && s === '403'));
  const integer = (description: string) => ({ description, schema: { type: 'integer', minimum: 0 } });
  // Rate limits (src/http/rate-limit.ts): the budget headers come with every answer, Retry-After with the 429.
  const rateLimited = {
    'Retry-After': integer('Seconds until a request will be accepted again'),
    'RateLimit-Limit': integer('Requests allowed per window'),
    'RateLimit-Remaining': integer('Requests left in this window'),
    'RateLimit-Reset': integer('Seconds until the window ends'),
  };
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: ERROR_STATUSES[s],
        ...(s === '429' ? { headers: rateLimited } : {}),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  );
}

function queryParameters(route: Route, components: Map<string, Json>): Json[] {
  const params: Json[] = [];
  for (const arg of route.field.args) {
    if (route.params.includes(arg.name)) continue;
    const named = getNamedType(arg.type);
    if (arg.name === 'filter' && isInputObjectType(named)) {
      for (const field of Object.values(named.getFields())) {
        const list = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
        const item = scalarOrEnum(getNamedType(field.type), components);
        params.push({
          name: toSnake(field.name),
          in: 'query',
          required: false,
          description: [field.description, list ? 'Any of; comma-separated or repeated.' : undefined]
            .filter(Boolean)
            .join(' '),
          schema: list ? { type: 'array', items: item } : item,
          ...(list ? { style: 'form', explode: false } : {}),
        });
      }
      continue;
    }
    params.push({
      name: toSnake(arg.name),
      in: 'query',
      required: isNonNullType(arg.type),
      description: arg.description ?? undefined,
      schema: scalarOrEnum(named, components),
    });
  }
  return params;
}

function scalarSchema(type: GraphQLInputType | undefined): Json {
  const named = type && getNamedType(type);
  return (named && SCALARS[named.name]) ?? { type: 'string' };
}

function scalarOrEnum(type: GraphQLNamedType, components: Map<string, Json>): Json {
  if (isEnumType(type)) {
    if (!components.has(type.name))
      components.set(type.name, { type: 'string', enum: type.getValues().map((v) => v.name) });
    return { $ref: `#/components/schemas/${type.name}` };
  }
  return SCALARS[type.name] ?? { type: 'string' };
}

function wrap(type: GraphQLInputType | GraphQLOutputType, inner: Json): Json {
  const t = isNonNullType(type) ? type.ofType : type;
  return isListType(t) ? { type: 'array', items: wrap(t.ofType, inner) } : inner;
}

function outputSchema(type: GraphQLOutputType, components: Map<string, Json>): Json {
  const named = getNamedType(type);
  if (isObjectType(named)) {
    addObject(named, components);
    return wrap(type, { $ref: `#/components/schemas/${named.name}` });
  }
  if (isEnumType(named)) return wrap(type, scalarOrEnum(named, components));
  return wrap(type, SCALARS[named.name] ?? {});
}

function inputSchema(type: GraphQLInputType, components: Map<string, Json>): Json {
  const named = getNamedType(type);
  if (isInputObjectType(named)) {
    addInput(named, components);
    return wrap(type, { $ref: `#/components/schemas/${named.name}` });
  }
  return wrap(type, scalarOrEnum(named, components));
}

function addObject(type: GraphQLObjectType, components: Map<string, Json>): void {
  if (components.has(type.name)) return;
  const properties: Json = {};
  const required: string[] = [];
  components.set(type.name, { type: 'object', description: type.description ?? undefined, properties, required });
  for (const field of Object.values(type.getFields())) {
    if (isRecordType(field.type) && isRecordType(type)) continue;
    properties[toSnake(field.name)] = nullable(field.type, {
      ...outputSchema(field.type, components),
      description: field.description ?? undefined,
    });
    if (isNonNullType(field.type)) required.push(toSnake(field.name));
  }
}

function addInput(type: GraphQLInputObjectType, components: Map<string, Json>): void {
  if (components.has(type.name)) return;
  const properties: Json = {};
  const required: string[] = [];
  components.set(type.name, {
    type: 'object',
    description: type.description ?? undefined,
    properties,
    required,
    additionalProperties: false,
  });
  for (const field of Object.values(type.getFields())) {
    properties[toSnake(field.name)] = nullable(field.type, {
      ...inputSchema(field.type, components),
      description: field.description ?? undefined,
    });
    if (isNonNullType(field.type)) required.push(toSnake(field.name));
  }
}

/**
 * OpenAPI 3.0 allows no sibling beside a $ref, so a nullable or described reference is wrapped in allOf, with the
 * referenced schema's `type` beside `nullable` (an enum is a string, anything else an object).
 */
function nullable(type: GraphQLInputType | GraphQLOutputType, schema: Json): Json {
  const optional = !isNonNullType(type);
  if ('$ref' in schema) {
    const { $ref, description } = schema;
    if (!optional && !description) return { $ref };
    return {
      ...(optional ? { type: isEnumType(getNamedType(type)) ? 'string' : 'object', nullable: true } : {}),
      allOf: [{ $ref }],
      ...(description ? { description } : {}),
    };
  }
  return optional ? { ...schema, nullable: true } : schema;
}
