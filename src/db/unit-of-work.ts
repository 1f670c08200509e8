import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import { eventTransaction, pendingKey } from './deferred-transaction.js';

/** One `insert` or `update` (`?` placeholders), which may run as a data-modifying CTE of another statement (join). */
export interface JoinableWrite {
  sql: string;
  params: unknown[];
}

/** Work scheduled as the transaction's last statement: it carries the writes joined to the transaction. */
export type LastStatement = (joined: JoinableWrite[]) => Promise<void>;

/** Work of a participant that runs right before the commit, after the last statement, in the transaction. */
export type BeforeCommitWork = (em: EntityManager) => Promise<void>;

interface Unit {
  last: LastStatement | null;
  joined: JoinableWrite[];
  /** Per participant (keyed by the participant object): its state in this transaction and its commit-time work. */
  participants: Map<object, { state: unknown; work: BeforeCommitWork }>;
  afterCommit: Array<() => void>;
}

/**
 * Everything a database transaction does at its end, in one place, in this order:
 *
 * 1. its last statement (scheduleLast), with the writes joined to the transaction (join: a mutation's audit row) in
 *    it, so they cost no round trip of their own. A statement that takes a contended lock (an organization's key
 *    row) is then followed only by the commit;
 * 2. the participants' before-commit work (participate: the similar-index versions and their NOTIFY), which a last
 *    statement may have taken over by emptying the participant's state;
 * 3. after the commit, the in-memory work (afterCommit: the similar-incident index of this process), which can then
 *    never get ahead of the database.
 *
 * Work is keyed by the root transaction (or deferred transaction, deferred-transaction.ts) and dropped when it rolls
 * back; a failure before the commit rolls it back. Outside a transaction, work runs at once: the caller has nothing
 * left to commit. Work scheduled in a savepoint that rolls back while its root commits still runs; the
 * similar-incident index corrects that from its change notifications.
 */
export class UnitOfWork implements EventSubscriber {
  /** Weakly keyed by the transaction object: work of a transaction that never reports back cannot pile up. */
  private readonly units = new WeakMap<object, Unit>();

  constructor(private readonly onAfterCommitError: (error: unknown) => void = () => {}) {}

  /** At most one per transaction. Outside a transaction `statement` runs now, alone. */
  async scheduleLast(em: EntityManager, statement: LastStatement): Promise<void> {
    const unit = this.unitOf(em);
    if (!unit) return statement([]);
    if (unit.last) throw new Error('A transaction has one last statement');
    unit.last = statement;
  }

  /**
   * Runs `write` now, in `em`'s transaction if any; when that transaction already has a last statement, as part of it
   * instead: it commits exactly when it would have, one round trip less.
   */
  async join(em: EntityManager, write: JoinableWrite): Promise<void> {
    const unit = this.existingUnitOf(em);
    if (unit?.last) unit.joined.push(write);
    else await em.getConnection().execute(write.sql, write.params, 'run', em.getTransactionContext());
  }

  /**
   * The state of `participant` in `em`'s transaction, created by `init` on first use together with the work that
   * runs before the commit; null outside a transaction.
   */
  participate<S>(
    em: EntityManager,
    participant: object,
    init: () => S,
    work: (em: EntityManager, state: S) => Promise<void>,
  ): S | null {
    const unit = this.unitOf(em);
    if (!unit) return null;
    let entry = unit.participants.get(participant);
    if (!entry) {
      const state = init();
      entry = { state, work: (tem) => work(tem, state) };
      unit.participants.set(participant, entry);
    }
    return entry.state as S;
  }

  /** The state of `participant` in `em`'s transaction if it has one (for a last statement that takes its work over). */
  stateOf<S>(em: EntityManager, participant: object): S | null {
    return (this.existingUnitOf(em)?.participants.get(participant)?.state as S | undefined) ?? null;
  }

  /** Runs `work` after the transaction `em` is in commits; outside a transaction, now. */
  afterCommit(em: EntityManager, work: () => void): void {
    const unit = this.unitOf(em);
    if (unit) unit.afterCommit.push(work);
    else this.runAfter(work);
  }

  async beforeTransactionCommit(args: TransactionEventArgs): Promise<void> {
    const trx = eventTransaction(args);
    const unit = trx && this.units.get(trx);
    if (!unit) return;
    const em = args.em as EntityManager;
    const last = unit.last;
    unit.last = null;
    if (last) await last(unit.joined);
    for (const { work } of unit.participants.values()) await work(em);
  }

  afterTransactionCommit(args: TransactionEventArgs): void {
    const trx = eventTransaction(args);
    const unit = trx && this.units.get(trx);
    if (!unit) return;
    this.units.delete(trx);
    for (const work of unit.afterCommit) this.runAfter(work);
  }

  afterTransactionRollback(args: TransactionEventArgs): void {
    const trx = eventTransaction(args);
    if (trx) this.units.delete(trx);
  }

  private existingUnitOf(em: EntityManager): Unit | null {
    const trx = pendingKey(em);
    return (trx && this.units.get(trx)) || null;
  }

  private unitOf(em: EntityManager): Unit | null {
    const trx = pendingKey(em);
    if (!trx) return null;
    let unit = this.units.get(trx);
    if (!unit) {
      unit = { last: null, joined: [], participants: new Map(), afterCommit: [] };
      this.units.set(trx, unit);
    }
    return unit;
  }

  private runAfter(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.onAfterCommitError(error);
    }
  }
}
