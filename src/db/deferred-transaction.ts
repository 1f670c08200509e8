import { EventType, type TransactionEventArgs } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The outermost transaction of `trx`. A nested `em.transactional` (e.g. an incident opened by an inbound alert) runs in
 * a savepoint whose transaction object points at its parent through a symbol MikroORM keeps private; only the root's
 * commit fires the commit events.
 */
export function rootTransaction(trx: object): object {
  let current = trx as Record<symbol, unknown>;
  for (;;) {
    const parent = Object.getOwnPropertySymbols(current).find((s) => s.description === 'parentTransaction');
    if (!parent || !current[parent]) return current;
    current = current[parent] as Record<symbol, unknown>;
  }
}

/** The transaction a transaction event is about (MikroORM declares it `any`): the key of the work pendingKey filed. */
export function eventTransaction(args: TransactionEventArgs): object | undefined {
  return args.transaction as object | undefined;
}

interface Deferred {
  /** Stands for the transaction, as the key of commit-time work (pendingKey), until one begins. */
  readonly key: object;
  /** Commit-time work was keyed by `key`: a transaction can no longer begin under it. */
  keyed: boolean;
  begun: boolean;
  begin(): Promise<void>;
}

const deferred = new WeakMap<EntityManager, Deferred>();

/**
 * The key under which work waits for `em`'s commit (UnitOfWork): its root
 * transaction, or the deferred transaction it runs in; null when it runs in neither (the work then runs at once).
 */
export function pendingKey(em: EntityManager): object | null {
  const context = em.getTransactionContext<object>();
  if (context) return rootTransaction(context);
  const scope = deferred.get(em);
  if (!scope) return null;
  scope.keyed = true;
  return scope.key;
}

/**
 * Runs a mutation in a transaction whose BEGIN waits until something asks for one: `em.transactional` (every nested
 * call joins it, as they join the eager transaction of other mutations), `em.flush` or `ensureTransaction`. A mutation
 * that never
 * asks writes with the one statement it schedules last (UnitOfWork.scheduleLast, with the writes joined to it), which
 * then runs alone, atomic by itself, and the commit-time work runs around it as around a COMMIT: two round trips fewer,
 * and the locks the statement takes are released when it ends, not a round trip later. The unit of work must then have
 * nothing to flush: writes that no statement carries are a programming error, refused before anything is written.
 */
export async function runDeferred<R>(outer: EntityManager, work: (em: EntityManager) => Promise<R>): Promise<R> {
  const em = outer.fork({ clear: false });
  const scope: Deferred = {
    key: {},
    keyed: false,
    begun: false,
    async begin() {
      if (scope.begun) return;
      if (scope.keyed) throw new Error('A deferred transaction must begin before commit-time work is scheduled');
      scope.begun = true;
      deferred.delete(em);
      await em.begin();
    },
  };
  deferred.set(em, scope);
  Object.defineProperty(em, 'transactional', {
    value: async <T>(cb: (em: EntityManager) => Promise<T>) => {
      await scope.begin();
      return cb(em);
    },
  });
  // A flush writes outside the last statement: it begins the transaction first, so that it commits with the rest.
  const flush = em.flush.bind(em);
  Object.defineProperty(em, 'flush', {
    value: async () => {
      await scope.begin();
      await flush();
    },
  });
  const events = em.getEventManager();
  try {
    const result = await work(em);
    if (scope.begun) {
      await em.commit();
    } else {
      const uow = em.getUnitOfWork();
      uow.computeChangeSets();
      if (uow.getChangeSets().length)
        throw new Error('A deferred transaction ended with changes that no statement writes');
      await events.dispatchEvent(EventType.beforeTransactionCommit, { em, transaction: scope.key });
      await events.dispatchEvent(EventType.afterTransactionCommit, { em, transaction: scope.key });
    }
    return result;
  } catch (error) {
    if (em.getTransactionContext()) await em.rollback();
    else if (!scope.begun)
      await events.dispatchEvent(EventType.afterTransactionRollback, { em, transaction: scope.key });
    throw error;
  } finally {
    deferred.delete(em);
  }
}

/** Begins `em`'s deferred transaction now (before a write that must share it); nothing for any other EntityManager. */
export async function ensureTransaction(em: EntityManager): Promise<void> {
  await deferred.get(em)?.begin();
}

/** `em` runs in a deferred transaction that has not begun. */
export function isDeferred(em: EntityManager): boolean {
  return deferred.has(em);
}
