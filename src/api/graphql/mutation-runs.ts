import type { GraphQLField } from 'graphql';
import { Extensions } from 'type-graphql';

/**
 * How a mutation's transaction and audit row run, declared on the mutation itself (read by audit-mutations.ts):
 * - `shared` (the default): one transaction holds the mutation and its audit row; a failure rolls both back.
 * - `deferred`: the transaction begins only if the mutation asks for one (src/db/deferred-transaction.ts); otherwise
 *   its last statement carries the audit row and commits alone (incident creation: one statement, no BEGIN/COMMIT).
 * - `after`: the mutation commits on its own and the audit row follows it. For mutations that write on purpose when
 *   they fail (sign-in throttle counters, the revocation of a reused refresh token), which a rolled-back transaction
 *   would undo, for those that wait on a model, which must not hold a pooled connection, and for those that commit in
 *   batches of their own (an import, whose progress is a resource).
 */
export type MutationTransaction = 'shared' | 'deferred' | 'after';

const KEY = 'argusTransaction';

export function MutationRuns(transaction: MutationTransaction): MethodDecorator & PropertyDecorator {
  return Extensions({ [KEY]: transaction });
}

export function transactionOf(field: GraphQLField<unknown, unknown>): MutationTransaction {
  return (field.extensions[KEY] as MutationTransaction | undefined) ?? 'shared';
}

const FAILURE_ACCOUNT_KEY = 'argusFailureAccount';

/**
 * A failed call without a token is audited against the account its `input.email` names, when one exists, so that
 * the account's organization sees the attempt (sign-in). The caller's answer does not depend on it.
 */
export function AuditFailuresByEmail(): MethodDecorator & PropertyDecorator {
  return Extensions({ [FAILURE_ACCOUNT_KEY]: 'email' });
}

export function auditsFailuresByEmail(field: GraphQLField<unknown, unknown>): boolean {
  return field.extensions[FAILURE_ACCOUNT_KEY] === 'email';
}
