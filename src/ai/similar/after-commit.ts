import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import { eventTransaction, pendingKey } from '../../db/deferred-transaction.js';

/**
 * Runs work once the surrounding database transaction has committed, and drops it if the transaction rolls back:
 * in-memory state that mirrors the database (the similar-incident index) can then never get ahead of it. Work is
 * keyed by the root transaction, whose commit MikroORM announces with `afterTransactionCommit` (savepoints of nested
 * transactions do not fire it). Work scheduled in a savepoint that rolls back while its root commits still runs;
 * the similar-incident index corrects that from its change notifications.
 */
export class AfterCommit implements EventSubscriber {
  /** Keyed weakly by the transaction object, so work of a transaction that never reports back cannot pile up. */
  private readonly pending = new WeakMap<object, Array<() => void>>();

  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  /** Runs `work` after the transaction `em` is in commits. Outside a transaction the caller has already committed. */
  schedule(em: EntityManager, work: () => void): void {
    const trx = pendingKey(em);
    if (!trx) {
      this.run(work);
      return;
    }
    const list = this.pending.get(trx);
    if (list) list.push(work);
    else this.pending.set(trx, [work]);
  }

  afterTransactionCommit(args: TransactionEventArgs): void {
    const trx = eventTransaction(args);
    if (!trx) return;
    const list = this.pending.get(trx);
    if (!list) return;
    this.pending.delete(trx);
    for (const work of list) this.run(work);
  }

  afterTransactionRollback(args: TransactionEventArgs): void {
    const trx = eventTransaction(args);
    if (trx) this.pending.delete(trx);
  }

  private run(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.onError(error);
    }
  }
}
