import {
  DocumentNode,
  ExecutionResult,
  GraphQLSchema,
  OperationTypeNode,
  getOperationAST,
  getVariableValues,
} from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { ApolloServerPlugin, BaseContext, HeaderMap } from '@apollo/server';
import { fastPathOn } from './switches.js';

/** Runs a compiled read with a request's context and (uncoerced) variables. */
export type CompiledRead = (
  contextValue: unknown,
  variables: Record<string, unknown> | undefined,
) => Promise<ExecutionResult> | ExecutionResult;

/** `seen`: asked for once, not compiled yet. */
const compiled = new WeakMap<DocumentNode, Map<string, CompiledRead | null | 'seen'>>();

/**
 * A query compiled once per document and operation with graphql-jit: the same schema and resolvers, without
 * graphql-js interpreting the document field by field on every request. With `whenSeenBefore`, it is compiled when it
 * is asked for the second time (the document is cached by the caller), so that a document a client sends once never
 * pays for compiling; null before that. Null for mutations (graphql-jit leaves out the defaults of nested input fields,
 * `done: Boolean! = false`, which
 * mutation inputs have) and for anything graphql-jit cannot compile; those run on graphql-js. Variables are coerced
 * by graphql-js first, so that their errors (and the fields they name) are graphql-js's.
 */
export function compiledRead(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  whenSeenBefore = false,
): CompiledRead | null {
  let byOperation = compiled.get(document);
  if (!byOperation) compiled.set(document, (byOperation = new Map<string, CompiledRead | null | 'seen'>()));
  const name = operationName ?? '';
  const known = byOperation.get(name);
  if (known === undefined && whenSeenBefore) {
    byOperation.set(name, 'seen');
    return null;
  }
  if (known !== undefined && known !== 'seen') return known;
  const run = compile(schema, document, operationName ?? undefined);
  byOperation.set(name, run);
  return run;
}

function compile(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
): CompiledRead | null {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== OperationTypeNode.QUERY) return null;
  const query = compileQuery(schema, document, operationName, { customJSONSerializer: false });
  if (!isCompiledQuery(query)) return null;
  const definitions = operation.variableDefinitions ?? [];
  return (contextValue, variables) => {
    if (definitions.length > 0) {
      const coerced = getVariableValues(schema, definitions, variables ?? {}, { maxErrors: 50 });
      if (coerced.errors) return { errors: coerced.errors };
    }
    return query.query(undefined, contextValue, variables ?? {});
  };
}

/**
 * Apollo runs a query that answers without errors on its compiled form (compiledRead), from its second request on. A
 * query with errors, and every
 * mutation, is executed by Apollo as always (a read run twice has no effect twice), so that errors are formatted,
 * reported and given their HTTP status by the one error path.
 */
export function compiledReadsPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation(request) {
          if (!fastPathOn('compiled-reads')) return null;
          const run = compiledRead(request.schema, request.document, request.operationName, true);
          if (!run) return null;
          const result = await run(request.contextValue, request.request.variables);
          if (result.errors?.length) return null;
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: result.data } },
          };
        },
      };
    },
  };
}
