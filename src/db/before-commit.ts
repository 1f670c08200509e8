import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import { rootTransaction } from '../ai/similar/after-commit.js';

/**
 * Runs work as the last writes of a transaction, right before its commit and after everything else it writes (a
 * mutation's audit row, the closing flushes); dropped if the transaction rolls back, and a failure rolls it back. A
 * statement that takes a contended lock (an organization's key row) is then followed only by the commit. Register it
 * before IndexChangeNotifier: its work may write the index changes itself (IndexChangeNotifier.claim).
 */
export class BeforeCommit implements EventSubscriber {
  private readonly pending = new WeakMap<object, Array<() => Promise<void>>>();

  /** Outside a transaction, `work` runs now. */
  async schedule(em: EntityManager, work: () => Promise<void>): Promise<void> {
    const context = em.getTransactionContext<object>();
    if (!context) return work();
    const trx = rootTransaction(context);
    const list = this.pending.get(trx);
    if (list) list.push(work);
    else this.pending.set(trx, [work]);
  }

  async beforeTransactionCommit(args: TransactionEventArgs): Promise<void> {
    if (!args.transaction) return;
    const list = this.pending.get(args.transaction);
    if (!list) return;
    this.pending.delete(args.transaction);
    for (const work of list) await work();
  }

  afterTransactionRollback(args: TransactionEventArgs): void {
    if (args.transaction) this.pending.delete(args.transaction);
  }
}
