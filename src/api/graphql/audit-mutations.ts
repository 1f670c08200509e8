import {
  GraphQLResolveInfo,
  GraphQLSchema,
  Kind,
  OperationTypeNode,
  ValueNode,
  defaultFieldResolver,
  getNamedType,
  getOperationAST,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { Utils } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from './context.js';
import { toErrorBody, unwrap } from '../../core/errors.js';
import { recordedAddress } from '../../core/client-address.js';
import { normalizeEmail } from '../../modules/users/user.entity.js';
import { runDeferred } from '../../db/deferred-transaction.js';
import type { AuditRecord } from '../../modules/audit/audit-record.js';
import { MutationTransaction, auditsFailuresByEmail, transactionOf } from './mutation-runs.js';

const CRUD_ACTION = /^(?:create|update|delete)([A-Z]\w*)$/;

interface AuditRow extends AuditRecord {
  changedFields: string[];
}

/**
 * The audit log's one capture point: every field of the Mutation type, which both /graphql and /api/v1 (SOFA) execute
 * on this same schema, is wrapped once here. A mutation runs in a transaction that also inserts its audit row, so a
 * success is logged exactly when its change commits; nested `transactional` calls of the services join it (no
 * savepoints, one extra INSERT per mutation, or none when the mutation ends with one statement: UnitOfWork.join).
 * Each mutation declares how it runs (MutationRuns, mutation-runs.ts): in that shared transaction, deferred, or with
 * its audit row after it. A failure rolls the transaction back (or writes nothing) and is logged on its own.
 */
export function auditMutations(schema: GraphQLSchema): void {
  const fields = schema.getMutationType()?.getFields() ?? {};
  for (const field of Object.values(fields)) {
    const resolve = field.resolve ?? defaultFieldResolver;
    const transaction = transactionOf(field);
    field.resolve = (source, args: Record<string, unknown>, ctx: Context, info) =>
      audited(ctx, info, args, transaction, () => resolve(source, args, ctx, info) as Promise<unknown>);
  }
}

/** Requests whose mutations reached the wrapper; the boundaries record the others (refused before execution). */
const reached = new WeakSet<Context>();

async function audited(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: Record<string, unknown>,
  transaction: MutationTransaction,
  run: () => Promise<unknown>,
): Promise<unknown> {
  const action = info.fieldName;
  reached.add(ctx);
  if (transaction === 'after') {
    let result: unknown;
    try {
      result = await run();
    } catch (error) {
      await recordFailure(ctx, info, args, error);
      throw error;
    }
    await write(ctx, ctx.em, success(ctx, action, args, result)).catch((err) =>
      ctx.log.error({ err }, 'audit row not written'),
    );
    return result;
  }
  const outer = ctx.em;
  const mutation = async (em: EntityManager) => {
    ctx.em = em;
    try {
      const result = await run();
      await write(ctx, em, success(ctx, action, args, result));
      return result;
    } finally {
      ctx.em = outer;
    }
  };
  try {
    if (transaction === 'deferred') return await runDeferred(outer, mutation);
    return await outer.transactional((em) => mutation(em), { ignoreNestedTransactions: true });
  } catch (error) {
    await recordFailure(ctx, info, args, error);
    throw error;
  }
}

function success(ctx: Context, action: string, args: Record<string, unknown>, result: unknown): AuditRow {
  const record = recordOf(result);
  // Without a token (signup, acceptInvitation) the caller is the account the mutation returns.
  const user =
    !ctx.actor && record?.type === 'User'
      ? (record.entity as { id: string; organization?: { id: string } })
      : undefined;
  return {
    organizationId: ctx.actor?.organizationId ?? user?.organization?.id ?? null,
    actorId: ctx.actor?.userId ?? user?.id ?? null,
    action,
    outcome: 'success',
    errorCode: null,
    recordType: record?.type ?? CRUD_ACTION.exec(action)?.[1] ?? null,
    recordId: record?.id ?? idArgument(args),
    changedFields: changedFields(args),
  };
}

/**
 * A mutation refused before it ran (a body or variables that do not fit its types), reported by the REST boundary
 * and the GraphQL server; nothing when the mutation itself ran, which recorded its own outcome.
 */
export async function auditRefusedMutation(
  ctx: Context,
  action: string,
  code: string,
  args: Record<string, unknown> = {},
): Promise<void> {
  if (reached.has(ctx)) return;
  try {
    await write(ctx, ctx.em, {
      organizationId: ctx.actor?.organizationId ?? null,
      actorId: ctx.actor?.userId ?? null,
      action,
      outcome: 'failure',
      errorCode: code,
      recordType: CRUD_ACTION.exec(action)?.[1] ?? null,
      recordId: idArgument(args),
      changedFields: changedFields(args),
    });
  } catch (err) {
    ctx.log.error({ err }, 'audit row of a refused mutation not written');
  }
}

/** The GraphQL side of auditRefusedMutation: a mutation document refused at validation or variable coercion. */
export const auditRefusedGraphQLMutations: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, document, operationName, errors, request }) {
        if (!errors?.length || !document) return;
        const operation = getOperationAST(document, operationName ?? undefined);
        if (operation?.operation !== OperationTypeNode.MUTATION) return;
        const code = toErrorBody(errors[0]).code;
        const variables = request.variables ?? {};
        const argument = (value: ValueNode): unknown =>
          value.kind === Kind.VARIABLE
            ? variables[value.name.value]
            : value.kind === Kind.OBJECT
              ? Object.fromEntries(value.fields.map((f) => [f.name.value, true]))
              : true;
        for (const selection of operation.selectionSet.selections) {
          if (selection.kind !== Kind.FIELD || selection.name.value.startsWith('__')) continue;
          const args = Object.fromEntries((selection.arguments ?? []).map((a) => [a.name.value, argument(a.value)]));
          await auditRefusedMutation(contextValue, selection.name.value, code, args);
        }
      },
    };
  },
};

async function recordFailure(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: Record<string, unknown>,
  error: unknown,
): Promise<void> {
  try {
    const action = info.fieldName;
    let organizationId = ctx.actor?.organizationId ?? null;
    let actorId = ctx.actor?.userId ?? null;
    const field = info.parentType.getFields()[info.fieldName];
    if (!ctx.actor && field && auditsFailuresByEmail(field)) {
      // The account tried, when it exists, so that its organization sees the attempt; the caller's answer is the same
      // either way (written after it was decided, and nothing of this reaches the response).
      const email = (args.input as { email?: unknown } | undefined)?.email;
      if (typeof email === 'string') {
        const [account] = await ctx.em
          .getConnection()
          .execute<Array<{ id: string; organization_id: string }>>(
            'select id, organization_id from users where email = ? and password_hash is not null limit 1',
            [normalizeEmail(email)],
          );
        organizationId = account?.organization_id ?? null;
        actorId = account?.id ?? null;
      }
    }
    const returned = getNamedType(info.returnType).name;
    await write(ctx, ctx.em, {
      organizationId,
      actorId,
      action,
      outcome: 'failure',
      errorCode: toErrorBody(error).code,
      recordType: CRUD_ACTION.exec(action)?.[1] ?? (ctx.em.getMetadata().find(returned) ? returned : null),
      recordId: idArgument(args),
      changedFields: changedFields(args),
    });
  } catch (err) {
    ctx.log.error({ err, cause: unwrap(error) }, 'audit row of a failed mutation not written');
  }
}

/** The record a mutation returned: the entity itself, or the first entity inside a payload (a user in AuthPayload). */
function recordOf(result: unknown): { type: string; id: string; entity: object } | undefined {
  const candidates = Utils.isEntity(result)
    ? [result]
    : result && typeof result === 'object'
      ? Object.values(result)
      : [];
  const entity = candidates.find((value) => Utils.isEntity<{ id?: unknown }>(value));
  if (!entity || typeof entity.id !== 'string') return undefined;
  return { type: entity.constructor.name, id: entity.id, entity };
}

function idArgument(args: Record<string, unknown>): string | null {
  return typeof args.id === 'string' ? args.id.slice(0, 100) : null;
}

/** The names of the fields the caller sent (input fields and other arguments), never their values. */
function changedFields(args: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined || name === 'id' || name === 'idempotencyKey') continue;
    if (name === 'input' && value && typeof value === 'object' && !Array.isArray(value)) {
      names.push(
        ...Object.entries(value)
          .filter(([, v]) => v !== undefined)
          .map(([k]) => k),
      );
    } else {
      names.push(name);
    }
  }
  return names.filter((n) => /^\w{1,100}$/.test(n)).sort();
}

/** In a mutation's transaction, the row joins its last statement when it has one (UnitOfWork.join). */
async function write(ctx: Context, em: EntityManager, row: AuditRow): Promise<void> {
  await ctx.services.unitOfWork.join(em, {
    sql: `insert into audit_events (id, created_at, organization_id, actor_id, action, outcome, error_code, record_type, record_id,
       changed_fields, surface, ip, user_agent, request_id, api_token_id)
     values (gen_random_uuid(), date_trunc('milliseconds', clock_timestamp()), ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?)`,
    params: [
      row.organizationId,
      row.actorId,
      row.action,
      row.outcome,
      row.errorCode,
      row.recordType,
      row.recordId,
      `{${row.changedFields.join(',')}}`,
      ctx.surface,
      auditAddress(ctx.ip),
      ctx.userAgent,
      ctx.requestId,
      ctx.actor?.apiTokenId ?? null,
    ],
  });
}

/**
 * The client address as Express computes it under the app's trust-proxy setting (as rate limits do), IPv4-mapped IPv6
 * written as IPv4; IPv6 stays whole (the limits count it per /64, a log wants the address).
 */
export function auditAddress(ip: string): string | null {
  return recordedAddress(ip);
}
