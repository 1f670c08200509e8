import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import { eventTransaction, pendingKey } from './deferred-transaction.js';

/** One `insert` or `update` (`?` placeholders), which may run as a data-modifying CTE of another statement (BeforeCommit.join). */
export interface JoinableWrite {
  sql: string;
  params: unknown[];
}

/** Work scheduled as the transaction's last statement: it carries the writes joined to the transaction. */
export type LastStatement = (joined: JoinableWrite[]) => Promise<void>;

interface Pending {
  statement: LastStatement;
  joined: JoinableWrite[];
}

/**
 * Runs a statement as the last write of a transaction, right before its commit and after everything else it writes
 * (the closing flushes), with the writes joined to the transaction (a mutation's audit row) in it: one round trip for
 * all of them. Dropped if the transaction rolls back, and a failure rolls it back. A statement that takes a contended
 * lock (an organization's key row) is then followed only by the commit. Register it before IndexChangeNotifier: the
 * statement may write the index changes itself (IndexChangeNotifier.claim).
 */
export class BeforeCommit implements EventSubscriber {
  private readonly pending = new WeakMap<object, Pending>();

  /** At most one per transaction (or deferred transaction, src/db/deferred-transaction.ts). Outside both `statement` runs now, alone. */
  async scheduleLast(em: EntityManager, statement: LastStatement): Promise<void> {
    const trx = pendingKey(em);
    if (!trx) return statement([]);
    if (this.pending.has(trx)) throw new Error('A transaction has one last statement');
    this.pending.set(trx, { statement, joined: [] });
  }

  /**
   * Runs `write` now, in `em`'s transaction if any; when that transaction already has a last statement (scheduleLast),
   * as part of it instead: it commits exactly when it would have, one round trip less.
   */
  async join(em: EntityManager, write: JoinableWrite): Promise<void> {
    const trx = pendingKey(em);
    const pending = trx && this.pending.get(trx);
    if (pending) pending.joined.push(write);
    else await em.getConnection().execute(write.sql, write.params, 'run', em.getTransactionContext());
  }

  async beforeTransactionCommit(args: TransactionEventArgs): Promise<void> {
    const trx = eventTransaction(args);
    if (!trx) return;
    const pending = this.pending.get(trx);
    if (!pending) return;
    this.pending.delete(trx);
    await pending.statement(pending.joined);
  }

  afterTransactionRollback(args: TransactionEventArgs): void {
    const trx = eventTransaction(args);
    if (trx) this.pending.delete(trx);
  }
}
