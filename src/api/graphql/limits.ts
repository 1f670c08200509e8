import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  OperationTypeNode,
  SelectionSetNode,
  ValueNode,
  getNamedType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  parse,
  visit,
  BREAK,
} from 'graphql';
import { Extensions } from 'type-graphql';
import type { GraphQLLimits } from '../../config/env.js';
import { AppError } from '../../core/errors.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../db/pagination.js';
import { MAX_JSON_DEPTH, checkInputValue, depthError, nulError } from '../../core/input-bounds.js';
// The request's rate-limit budget (req.spendRateLimit), declared where the budgets are kept.
import type {} from '../http/rate-limit.js';

/**
 * Cost model (GitHub's node limit, adapted). Every record a query can return is one point, multiplied by how many of
 * its parents there can be: a page multiplies its items by its `limit` (25 when not given), a list without a limit by
 * the field's `listSize` (DEFAULT_LIST_SIZE when not declared). A list query (a field with `limit`) costs one point for
 * its own statements. A field declares its own price with `@Cost({ cost, listSize })` next to its resolver; scalars
 * and value objects (no id, stored in their record's row) are free unless they declare one.
 */
export const DEFAULT_LIST_SIZE = 10;
/**
 * How often one field may be selected over, counting along a path: `service` three times in a selection set, each
 * with `team` twice, is six. GraphQL's validation compares every pair of same-named fields and their sub-selections,
 * which grows with the square of this number at every level (20 × 20 repeated fields cost half a second of CPU).
 */
export const MAX_REPEATS = 20;
/** Walking a document with fragments inlined stops after this many selections (fragment bombs). */
const MAX_VISITS = 50_000;
const MAX_WALK_DEPTH = 101;

export interface FieldCost {
  /** Points per returned element (per parent for a non-list field). */
  cost?: number;
  /** How many elements a list field without a limit argument is assumed to return. */
  listSize?: number;
}

/** Declares a field's price for the cost limit, stored in the schema's field extensions. */
export function Cost(price: FieldCost): MethodDecorator & PropertyDecorator {
  return Extensions({ ...price });
}

export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
  /** The highest product, along a path, of how often each response name is selected in its selection set. */
  repeats: number;
  /** True when the walk stopped at MAX_VISITS. */
  truncated: boolean;
}

/**
 * Measures one operation of a parsed document without validating it: unknown fields, types and fragments are
 * skipped (GraphQL validation refuses them afterwards), fragment cycles are cut, and the walk has a budget.
 * Without a name the document's only operation is measured (nothing when there are several).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  variables?: Record<string, unknown> | null,
): OperationMeasure {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) return emptyMeasure();
  const walker = new DocumentWalker(schema, document, variables);
  return walker.measure(operation.selectionSet, rootOf(schema, operation));
}

/**
 * Measures the whole document, as GraphQL validation will read it: every operation, whichever one `operationName`
 * selects, and every fragment no operation spreads (measured on its own type condition). The result is the worst of
 * them for each limit, and one selection budget covers the whole document.
 */
export function measureDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables?: Record<string, unknown> | null,
): OperationMeasure {
  const walker = new DocumentWalker(schema, document, variables);
  const total = emptyMeasure();
  const add = (m: OperationMeasure) => {
    total.depth = Math.max(total.depth, m.depth);
    total.aliases = Math.max(total.aliases, m.aliases);
    total.cost = Math.max(total.cost, m.cost);
    total.repeats = Math.max(total.repeats, m.repeats);
    total.truncated ||= m.truncated;
  };
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) add(walker.measure(d.selectionSet, rootOf(schema, d)));
  }
  for (const d of document.definitions) {
    if (d.kind !== Kind.FRAGMENT_DEFINITION || walker.spread.has(d.name.value)) continue;
    const on = schema.getType(d.typeCondition.name.value);
    // A fragment on an unknown type is GraphQL validation's to refuse; its selections are still bounded by the walk.
    add(walker.measure(d.selectionSet, on ?? schema.getQueryType()!, new Set([d.name.value])));
  }
  return total;
}

function emptyMeasure(): OperationMeasure {
  return { depth: 0, aliases: 0, cost: 0, repeats: 0, truncated: false };
}

function rootOf(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLNamedType | undefined {
  return (
    (operation.operation === OperationTypeNode.QUERY
      ? schema.getQueryType()
      : operation.operation === OperationTypeNode.MUTATION
        ? schema.getMutationType()
        : schema.getSubscriptionType()) ?? undefined
  );
}

/** Walks selection sets of one document with fragments inlined, under one budget of visited selections. */
class DocumentWalker {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private visits = 0;
  /** The fragments reached from a measured selection set. */
  readonly spread = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly variables?: Record<string, unknown> | null,
  ) {
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(d.name.value, d);
  }

  measure(
    selectionSet: SelectionSetNode,
    root: GraphQLNamedType | undefined,
    inside: Set<string> = new Set(),
  ): OperationMeasure {
    const { schema, fragments, variables } = this;
    const measure = emptyMeasure();
    if (!root) return measure;

    /** The fields of a selection set with fragments inlined (cycles cut), as [field, type it is selected on]. */
    const collect = (
      set: SelectionSetNode,
      type: GraphQLNamedType,
      seen: Set<string>,
      out: Array<[FieldNode, GraphQLNamedType]>,
    ) => {
      for (const selection of set.selections) {
        if (++this.visits > MAX_VISITS) {
          measure.truncated = true;
          return;
        }
        if (selection.kind === Kind.FIELD) out.push([selection, type]);
        else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const on = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? type) : type;
          collect(selection.selectionSet, on, seen, out);
        } else {
          const name = selection.name.value;
          this.spread.add(name);
          const fragment = fragments.get(name);
          if (!fragment || seen.has(name)) continue;
          const on = schema.getType(fragment.typeCondition.name.value) ?? type;
          collect(fragment.selectionSet, on, new Set([...seen, name]), out);
        }
      }
    };

    const walk = (
      set: SelectionSetNode,
      type: GraphQLNamedType,
      depth: number,
      multiplier: number,
      pageSize: number | undefined,
      repeated: number,
    ) => {
      // Fragments that spread themselves below a field nest forever; the depth limit (at most 100) refuses them anyway.
      if (depth > MAX_WALK_DEPTH) {
        measure.depth = Math.max(measure.depth, depth);
        return;
      }
      const fields: Array<[FieldNode, GraphQLNamedType]> = [];
      collect(set, type, inside, fields);
      const names = new Map<string, number>();
      for (const [node] of fields)
        names.set(node.alias?.value ?? node.name.value, (names.get(node.alias?.value ?? node.name.value) ?? 0) + 1);
      for (const [node, parent] of fields) {
        if (measure.truncated) return;
        const childRepeated = repeated * names.get(node.alias?.value ?? node.name.value)!;
        measure.repeats = Math.max(measure.repeats, childRepeated);
        if (node.alias) measure.aliases += 1;
        // Introspection is allowed or refused as a whole (ARGUS_GRAPHQL_INTROSPECTION); __typename is free.
        if (node.name.value.startsWith('__')) continue;
        const field = fieldOf(parent, node.name.value);
        if (!field) {
          // An unknown field is refused by validation, but its sub-selections are validated too: they count.
          measure.depth = Math.max(measure.depth, depth);
          if (node.selectionSet) walk(node.selectionSet, parent, depth + 1, multiplier, pageSize, childRepeated);
          continue;
        }
        measure.depth = Math.max(measure.depth, depth);
        const named = getNamedType(field.type);
        const declared = (field.extensions ?? {}) as FieldCost;
        const limitArg = field.args.find((a) => a.name === 'limit');
        let childMultiplier = multiplier;
        let childPage = pageSize;
        if (limitArg) childPage = pageSizeOf(node, variables);
        if (isListOf(field)) {
          childMultiplier = multiplier * (childPage ?? declared.listSize ?? DEFAULT_LIST_SIZE);
          childPage = undefined;
        }
        const own = declared.cost ?? (limitArg || isRecord(named) ? 1 : 0);
        // A list field's own points are per element; anything else is paid once per parent.
        measure.cost += own * (isListOf(field) ? childMultiplier : multiplier);
        if (node.selectionSet) walk(node.selectionSet, named, depth + 1, childMultiplier, childPage, childRepeated);
      }
    };

    walk(selectionSet, root, 1, 1, undefined, 1);
    return measure;
  }
}

function fieldOf(type: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(type) || isInterfaceType(type)) return type.getFields()[name];
  if (isUnionType(type)) {
    for (const member of type.getTypes()) {
      const field = member.getFields()[name];
      if (field) return field;
    }
  }
  return undefined;
}

function isListOf(field: GraphQLField<unknown, unknown>): boolean {
  const type = isNonNullType(field.type) ? field.type.ofType : field.type;
  return isListType(type);
}

/** Records are object types with an id; nested value objects (rotations, levels) live in their record's row. */
function isRecord(type: GraphQLNamedType): boolean {
  return isObjectType(type) && 'id' in type.getFields();
}

function pageSizeOf(node: FieldNode, variables?: Record<string, unknown> | null): number {
  const arg = node.arguments?.find((a) => a.name.value === 'limit');
  const value = arg ? valueOf(arg.value, variables) : undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_LIMIT;
  return Math.min(Math.max(Math.trunc(value), 1), MAX_LIMIT);
}

function valueOf(node: ValueNode, variables?: Record<string, unknown> | null): unknown {
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) return variables?.[node.name.value];
  return undefined;
}

/** The first limit an operation exceeds, as the error the client gets; undefined when it is within all of them. */
export function checkOperation(measure: OperationMeasure, limits: GraphQLLimits): AppError | undefined {
  const refuse = (message: string) =>
    new AppError('VALIDATION_FAILED', `The operation is too large: ${message}`, [{ field: 'query', message }]);
  if (measure.truncated) return refuse('its fragments expand to too many selections');
  if (measure.depth > limits.maxDepth)
    return refuse(`it nests ${measure.depth} levels deep, at most ${limits.maxDepth} are allowed`);
  if (measure.aliases > limits.maxAliases)
    return refuse(`it uses ${measure.aliases} aliases, at most ${limits.maxAliases} are allowed`);
  if (measure.repeats > MAX_REPEATS) {
    return refuse(
      `it selects the same field ${measure.repeats} times over (fragments inlined), at most ${MAX_REPEATS} are allowed`,
    );
  }
  if (measure.cost > limits.maxCost) {
    return refuse(
      `it could return ${measure.cost} records (page sizes multiply down the tree), at most ${limits.maxCost} are allowed`,
    );
  }
  return undefined;
}

/**
 * The input bounds (core/input-bounds.ts) for the values written in the document itself: strings and nested literals.
 */
export function checkDocumentValues(document: DocumentNode): AppError | undefined {
  let depth = 0;
  let error: AppError | undefined;
  const nest = {
    enter: () => (++depth > MAX_JSON_DEPTH ? ((error ??= depthError('query')), BREAK) : undefined),
    leave: () => void depth--,
  };
  visit(document, {
    StringValue: (node) => (node.value.includes('\u0000') ? ((error ??= nulError('query')), BREAK) : undefined),
    ObjectValue: nest,
    ListValue: nest,
  });
  return error;
}

/** Root mutation fields that sign someone in or up: at most one of them per request. */
export const ONE_PER_REQUEST = ['signup', 'login', 'refreshToken', 'acceptInvitation', 'exchangeSsoCode'];

/**
 * The root fields of the document's largest mutation operation, fragments inlined (cycles cut), as their field names.
 * Each counts against the rate limit, as a request of its own would.
 */
export function rootMutationFields(document: DocumentNode): string[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let largest: string[] = [];
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION || d.operation !== OperationTypeNode.MUTATION) continue;
    const names: string[] = [];
    const collect = (set: SelectionSetNode, seen: Set<string>) => {
      for (const s of set.selections) {
        if (names.length > MAX_VISITS) return;
        if (s.kind === Kind.FIELD) {
          if (!s.name.value.startsWith('__')) names.push(s.name.value);
        } else if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet, seen);
        else if (!seen.has(s.name.value) && fragments.has(s.name.value))
          collect(fragments.get(s.name.value)!.selectionSet, new Set([...seen, s.name.value]));
      }
    };
    collect(d.selectionSet, new Set());
    if (names.length > largest.length) largest = names;
  }
  return largest;
}

/** At most one sign-up or sign-in per request, whatever the aliases. */
export function checkMutationFields(document: DocumentNode): AppError | undefined {
  const signIns = rootMutationFields(document).filter((name) => ONE_PER_REQUEST.includes(name));
  if (signIns.length <= 1) return undefined;
  const message = `a request may sign up or sign in once (${ONE_PER_REQUEST.join(', ')}); it has ${signIns.length}`;
  return new AppError('VALIDATION_FAILED', `The operation is refused: ${message}`, [{ field: 'query', message }]);
}

const MAX_REMEMBERED = 500;
const MAX_REMEMBERED_QUERY = 20_000;

interface GraphQLParams {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/**
 * The HTTP-layer guard in front of Apollo: every operation is measured before GraphQL validation (whose overlapping-
 * fields rule is quadratic in repeated fields) and before the context is built, so a refused operation costs no SQL.
 * Batched (array) requests are refused here; Apollo's own batching stays off too.
 */
export function graphqlLimits(schema: GraphQLSchema, limits: GraphQLLimits): RequestHandler {
  // Clients send the same few documents over and over: each is parsed once (Apollo keeps its own parse for execution).
  const parsed = new Map<string, DocumentNode>();
  return (req: Request, _res: Response, next: NextFunction) => {
    if (Array.isArray(req.body)) {
      next(
        new AppError('VALIDATION_FAILED', 'Batched requests are not accepted: send one operation per request', [
          { field: 'body', message: 'must be one operation, not an array' },
        ]),
      );
      return;
    }
    const params = paramsOf(req);
    if (typeof params.query !== 'string') {
      next();
      return;
    }
    let document: DocumentNode;
    try {
      document = parsed.get(params.query) ?? parse(params.query, { maxTokens: limits.maxTokens, noLocation: true });
      if (params.query.length <= MAX_REMEMBERED_QUERY) {
        if (parsed.size >= MAX_REMEMBERED) parsed.delete(parsed.keys().next().value as string);
        parsed.set(params.query, document);
      }
    } catch (error) {
      // Syntax errors are Apollo's to report; a document over the token limit is refused here, in the same words.
      if (error instanceof GraphQLError && /more that|more than/.test(error.message)) {
        next(
          new AppError('VALIDATION_FAILED', `The operation is too large: it has more than ${limits.maxTokens} tokens`, [
            { field: 'query', message: `must have at most ${limits.maxTokens} tokens` },
          ]),
        );
      } else next();
      return;
    }
    const variables =
      typeof params.variables === 'object' && params.variables !== null
        ? (params.variables as Record<string, unknown>)
        : undefined;
    const bounds = checkInputValue(variables, '') ?? checkDocumentValues(document);
    if (bounds) {
      next(bounds);
      return;
    }
    // The whole document, not only the operation `operationName` selects: validation reads all of it.
    const refusal =
      checkOperation(measureDocument(schema, document, variables), limits) ?? checkMutationFields(document);
    if (refusal) {
      next(refusal);
      return;
    }
    // The request was counted once; each further root mutation field costs one more from the same budget.
    const extra = rootMutationFields(document).length - 1;
    if (extra > 0 && req.spendRateLimit) {
      req.spendRateLimit(extra).then((limited) => next(limited), next);
      return;
    }
    next();
  };
}

function paramsOf(req: Request): GraphQLParams {
  if (req.method === 'POST' && typeof req.body === 'object' && req.body !== null) return req.body as GraphQLParams;
  if (req.method !== 'GET') return {};
  const query = req.query as Record<string, unknown>;
  let variables: unknown;
  if (typeof query.variables === 'string') {
    try {
      variables = JSON.parse(query.variables);
    } catch {
      variables = undefined;
    }
  }
  return { query: query.query, variables, operationName: query.operationName };
}
