import express, { NextFunction, Request as ExpressRequest, Response as ExpressResponse, Router } from 'express';
import {
  DocumentNode,
  ExecutionArgs,
  ExecutionResult,
  GraphQLError,
  GraphQLField,
  GraphQLInputType,
  GraphQLSchema,
  Kind,
  TypeInfo,
  execute,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { useSofa } from 'sofa-api';
import type { Logger } from 'pino';
import { AppError, toErrorBody, unwrap } from '../../core/errors.js';
import type { Context } from '../graphql/context.js';
import { compiledRead } from '../../db/fast/compiled-reads.js';
import { fastPathOn } from '../../db/fast/switches.js';
import { camelInput, isRecordType, toCamel, toSnake } from '../../core/casing.js';
import { RestRoute, restRoutesOf } from './routes.js';
import { buildOpenApiDocument } from './openapi.js';
import { auditRefusedMutation } from '../graphql/audit-mutations.js';
import { assertInputValue, decodePathSegment, nulError } from '../../core/input-bounds.js';
import { httpErrorBody, sendError, writeError } from '../http/error-response.js';

export const REST_BASE = '/api/v1';

export interface ResolvedRoute extends RestRoute {
  graphqlPath: string;
  field: GraphQLField<unknown, unknown>;
  pattern: RegExp;
  params: string[];
}

export interface RestDeps {
  schema: GraphQLSchema;
  bodyLimit: string;
  context: (req: ExpressRequest) => Promise<Context>;
  log: Logger;
  /** Routes served outside SOFA (inbound alert ingestion), described for the OpenAPI document. */
  extraOpenApiPaths?: Record<string, Record<string, unknown>>;
}

/**
 * The REST boundary. SOFA derives the routes, their GraphQL operations and the OpenAPI document from the schema;
 * this module runs a route's operation and only translates: flat snake_case bodies and query strings → the operation's
 * GraphQL arguments, results → snake_case,
 * errors → the documented shape and status. It adds no behaviour that GraphQL lacks.
 */
export function createRestRouter(deps: RestDeps): Router {
  const routes = resolveRoutes(deps.schema);
  const operations = new SofaOperations(deps.schema, routes);
  const openApi = buildOpenApiDocument(
    deps.schema,
    operations.openAPIDocument,
    routes,
    REST_BASE,
    deps.extraOpenApiPaths,
  );
  const errorBody = (error: unknown) => {
    const body = toErrorBody(error, deps.schema);
    if (body.code === 'INTERNAL') deps.log.error({ err: unwrap(error) }, 'internal error');
    return body;
  };

  const router = express.Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  router.use(express.json({ limit: deps.bodyLimit, strict: true, type: () => true }));
  router.use(async (req, res, next) => {
    // A mutation refused here or by its resolvers is still an attempt the audit log records.
    let attempt: { ctx: Context; action: string; args: Record<string, unknown> } | undefined;
    try {
      const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
      const candidates = routes.filter((r) => r.pattern.test(path));
      if (!candidates.length) throw new AppError('NOT_FOUND', `No endpoint at ${req.method} ${REST_BASE}${path}`);
      const route = candidates.find((r) => r.method === req.method);
      if (!route) {
        res.setHeader('Allow', candidates.map((r) => r.method).join(', '));
        throw new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${REST_BASE}${path}`);
      }
      res.locals.route = `${REST_BASE}${route.path}`; // the metrics' route label
      const params = Object.fromEntries(
        route.params.map((name, i) => [name, decodePathSegment(route.pattern.exec(path)![i + 1], name)]),
      );
      const csv = route.csv && wantsCsv(req) ? route.csv : undefined;
      const ctx = await deps.context(req);
      if (route.graphqlPath.startsWith('Mutation.')) attempt = { ctx, action: route.field.name, args: params };
      const variables: Record<string, unknown> = { ...requestVariables(route, req), ...params };
      const idempotencyKey = req.get('idempotency-key');
      if (idempotencyKey !== undefined && route.field.args.some((a) => a.name === 'idempotencyKey'))
        variables.idempotencyKey = idempotencyKey;
      if (attempt) attempt.args = variables;
      const operation = await operations.of(route);
      let result: ExecutionResult;
      try {
        result = await restViewExecute({
          schema: deps.schema,
          document: operation.document,
          operationName: operation.name,
          contextValue: ctx,
          variableValues: variables,
        });
      } catch (error) {
        result = { errors: [error as GraphQLError] };
      }
      if (result.errors?.length) {
        const body = errorBody(result.errors[0]);
        if (attempt) await auditRefusedMutation(attempt.ctx, attempt.action, body.code, attempt.args);
        writeError(res, body);
        return;
      }
      const status = route.responseStatus ?? 200;
      if (status === 204) {
        res.status(204).end();
        return;
      }
      const answer = (result.data as Record<string, unknown>)[route.field.name];
      if (csv) {
        res
          .status(status)
          .type('text/csv; charset=utf-8')
          .setHeader('Content-Disposition', `attachment; filename="${csv.filename}"`);
        res.send(csv.render(answer));
        return;
      }
      res.status(status).json(answer);
    } catch (error) {
      if (attempt) await auditRefusedMutation(attempt.ctx, attempt.action, httpErrorBody(error).code, attempt.args);
      next(error);
    }
  });
  router.use(restErrorHandler);
  return router;
}

interface SofaOperation {
  document: DocumentNode;
  name: string | undefined;
}

/**
 * SOFA's side of the REST surface: the OpenAPI document and each route's GraphQL operation, exactly as SOFA builds
 * them from the schema. A request runs its route's operation with the variables read above. (Through SOFA's own
 * handler they were re-encoded into a Fetch Request, parsed back, and the result serialized to JSON that the
 * snake_case view parsed again: most of a list request's CPU.) SOFA keeps its operations to itself, so each is read
 * once, on the route's first request, by passing a marker context through SOFA's handler to its executor.
 */
export class SofaOperations {
  readonly openAPIDocument: ReturnType<typeof useSofa>['openAPIDocument'];
  private readonly sofa: ReturnType<typeof useSofa>;
  private readonly operations = new Map<string, Promise<SofaOperation>>();
  private readonly captures = new WeakMap<object, Partial<SofaOperation>>();

  constructor(schema: GraphQLSchema, routes: ResolvedRoute[]) {
    this.sofa = useSofa({
      basePath: REST_BASE,
      schema,
      depthLimit: 2,
      routes: Object.fromEntries(
        routes.map((r) => [
          r.graphqlPath,
          {
            method: r.method,
            path: r.path,
            responseStatus: r.responseStatus ?? 200,
            tags: r.tags,
            description: r.description,
          },
        ]),
      ),
      context: ({ request }) => this.captures.get(request) as never,
      execute: (args) => {
        const capture = args.contextValue as Partial<SofaOperation>;
        capture.document = args.document;
        capture.name = args.operationName ?? undefined;
        return { data: null };
      },
    });
    this.openAPIDocument = this.sofa.openAPIDocument;
  }

  of(route: ResolvedRoute): Promise<SofaOperation> {
    let operation = this.operations.get(route.graphqlPath);
    if (!operation) {
      operation = this.capture(route);
      this.operations.set(route.graphqlPath, operation);
    }
    return operation;
  }

  private async capture(route: ResolvedRoute): Promise<SofaOperation> {
    const request = new Request(new URL(`${REST_BASE}${route.path.replace(/:(\w+)/g, '$1')}`, 'http://argus.local'), {
      method: route.method,
      body: route.method === 'GET' ? undefined : '{}',
      headers: { 'content-type': 'application/json' },
    });
    const capture: Partial<SofaOperation> = {};
    this.captures.set(request, capture);
    await this.sofa.fetch(request, {});
    if (!capture.document) throw new Error(`SOFA ran no operation for ${route.method} ${route.path}`);
    return { document: capture.document, name: capture.name };
  }
}

/** Errors raised before SOFA runs (bad JSON, size, unknown route) in the documented shape. */
export function restErrorHandler(
  error: unknown,
  _req: ExpressRequest,
  res: ExpressResponse,
  _next: NextFunction,
): void {
  sendError(res, error);
}

const FORMAT_PARAMETER = 'format';

/**
 * Whether a route with a CSV form is asked for it: `format=csv` (or `format=json` for JSON), else an Accept header
 * that prefers text/csv to JSON.
 */
function wantsCsv(req: ExpressRequest): boolean {
  const format = new URL(req.originalUrl, 'http://argus.local').searchParams.getAll(FORMAT_PARAMETER);
  if (format.length) {
    const value = format[format.length - 1];
    if (value !== 'csv' && value !== 'json') throw AppError.validation(FORMAT_PARAMETER, 'must be csv or json');
    return value === 'csv';
  }
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

/** The REST body or query string of a request → the GraphQL variables of its operation. */
function requestVariables(route: ResolvedRoute, req: ExpressRequest): Record<string, unknown> {
  const args = route.field.args;
  const query = new URL(req.originalUrl, 'http://argus.local').searchParams;
  if (route.method !== 'GET') {
    if ([...query.keys()].length)
      throw AppError.validation('query', 'parameters are not accepted here; send them in the JSON body');
    const body = req.body as unknown;
    if (
      body === undefined ||
      (typeof body === 'object' && body !== null && Object.keys(body).length === 0 && route.method === 'DELETE')
    )
      return {};
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new AppError('VALIDATION_FAILED', 'The request body must be a JSON object');
    assertInputValue(body, '');
    const bodyArg = route.bodyArgument ?? (args.some((a) => a.name === 'input') ? 'input' : undefined);
    if (bodyArg) {
      const arg = args.find((a) => a.name === bodyArg)!;
      return { [bodyArg]: camelInput(body, arg.type) };
    }
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [toCamel(k), v]));
  }
  const variables: Record<string, unknown> = {};
  const filterArg = args.find((a) => a.name === 'filter');
  const filterType = filterArg && getNamedType(filterArg.type);
  const filterFields = filterType && isInputObjectType(filterType) ? filterType.getFields() : {};
  const filter: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    if (key === FORMAT_PARAMETER && route.csv) continue;
    const name = toCamel(key);
    const values = query.getAll(key);
    if (key.includes('\u0000') || values.some((v) => v.includes('\u0000')))
      throw nulError(key.replaceAll('\u0000', ''));
    const arg = args.find((a) => a.name === name && a.name !== 'filter');
    if (arg) {
      variables[name] = fromQueryString(key, values[values.length - 1], arg.type);
    } else if (filterFields[name]) {
      const type = filterFields[name].type;
      const isList = isListType(isNonNullType(type) ? type.ofType : type);
      filter[name] = isList
        ? values
            .flatMap((v) => v.split(','))
            .map((v) => v.trim())
            .filter(Boolean)
            .map((v) => fromQueryString(key, v, type))
        : fromQueryString(key, values[values.length - 1], type);
    } else {
      throw AppError.validation(key, 'is not a parameter of this endpoint');
    }
  }
  if (Object.keys(filter).length) variables.filter = filter;
  return variables;
}

/** A query-string value as the JSON value its GraphQL type expects; numbers and booleans are checked here. */
function fromQueryString(key: string, value: string, type: GraphQLInputType): unknown {
  switch (getNamedType(type).name) {
    case 'Int':
      if (!/^-?\d{1,9}$/.test(value)) throw AppError.validation(key, 'must be an integer');
      return Number(value);
    case 'Float':
      if (!Number.isFinite(Number(value)) || value.trim() === '') throw AppError.validation(key, 'must be a number');
      return Number(value);
    case 'Boolean':
      if (value !== 'true' && value !== 'false') throw AppError.validation(key, 'must be true or false');
      return value === 'true';
    default: {
      const named = getNamedType(type);
      // Custom scalars (dates, UUIDs) are checked here so that the error names the parameter.
      if (isScalarType(named)) {
        try {
          named.parseValue(value);
        } catch (error) {
          throw AppError.validation(
            key,
            error instanceof Error ? error.message.replace(/\.$/, '') : 'has an invalid value',
          );
        }
      }
      return value;
    }
  }
}

export function resolveRoutes(schema: GraphQLSchema): ResolvedRoute[] {
  return [...restRoutesOf(schema)].map(([graphqlPath, route]) => {
    const [typeName, fieldName] = graphqlPath.split('.');
    const type = typeName === 'Query' ? schema.getQueryType() : schema.getMutationType();
    const field = type?.getFields()[fieldName];
    if (!field)
      throw new Error(`REST route ${route.method} ${route.path} names ${graphqlPath}, which the schema lacks`);
    const params: string[] = [];
    const source = route.path.replace(/:(\w+)/g, (_m, name: string) => {
      params.push(name);
      return '([^/]+)';
    });
    return { ...route, graphqlPath, field, params, pattern: new RegExp(`^${source}$`) };
  });
}

type Executor = (args: ExecutionArgs) => ReturnType<typeof execute>;
const restViews = new WeakMap<DocumentNode, Executor>();

/**
 * Executes SOFA's generated operation in its REST view: flat bodies with `service_id`, not a nested service. The
 * operation is fixed per route, so a read is compiled once (compiledRead); mutations run on graphql-js.
 */
function restViewExecute(args: ExecutionArgs) {
  let run = restViews.get(args.document);
  if (!run) {
    const document = toRestView(args.schema, args.document);
    const read = fastPathOn('compiled-reads') ? compiledRead(args.schema, document, args.operationName) : null;
    run = read ? (a) => read(a.contextValue, a.variableValues ?? undefined) : (a) => execute({ ...a, document });
    restViews.set(args.document, run);
  }
  return run(args);
}

/**
 * The REST view of an operation. A record nested in a record is shown by id (its `xxx_id` field), so that field is left
 * out of the selection; every field below the operation's own is aliased to its snake_case name, so the result is
 * already the REST body (free-form JSON values keep their keys: an alias renames only the field).
 */
export function toRestView(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  const view = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const type = typeInfo.getType();
        const parent = typeInfo.getParentType();
        if (type && parent && isRecordType(type) && isRecordType(parent)) return null;
        const isRoot = parent === schema.getQueryType() || parent === schema.getMutationType();
        const snake = toSnake(node.name.value);
        return isRoot || node.alias || snake === node.name.value
          ? undefined
          : { ...node, alias: { kind: Kind.NAME, value: snake } };
      },
    }),
  );
  // The arguments of the fields left out (a nested list's limit) leave variables nothing uses: those go too.
  const used = new Set<string>();
  visit(view, { Variable: (node) => void used.add(node.name.value), VariableDefinition: () => false });
  return visit(view, { VariableDefinition: (node) => (used.has(node.variable.name.value) ? undefined : null) });
}
