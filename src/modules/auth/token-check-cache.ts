import type { EventArgs, EventSubscriber, FlushEventArgs, TransactionEventArgs } from '@mikro-orm/core';
import type { Role } from '../../core/roles.js';
import { User } from '../users/user.entity.js';

/** How long this process remembers a session it saw revoked: the longest an access token can live. */
const REVOKED_MEMORY_MS = 24 * 3600_000;

export interface CachedUser {
  role: Role;
  tokenVersion: number;
  organizationId: string;
}

/**
 * What an access token is checked against (the user's role and token version), remembered for at most `ttlMs` so
 * that a request does not read the users table each time. A change to a user made in this process (role, token
 * version, delete) evicts it at once, through the ORM subscriber below; a change made by another process sharing the
 * database is seen within `ttlMs`. With `ttlMs` 0 every request reads the user.
 */
export class TokenCheckCache implements EventSubscriber<User> {
  private readonly entries = new Map<string, CachedUser & { until: number }>();
  /**
   * Whether a session (refresh-token family) was revoked; a revocation made in this process is kept until it expires.
   */
  private readonly sessions = new Map<string, { revoked: boolean; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  get(userId: string): CachedUser | undefined {
    const entry = this.entries.get(userId);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(userId);
      return undefined;
    }
    return entry;
  }

  set(userId: string, user: CachedUser): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(userId, { ...user, until: this.now() + this.ttlMs });
  }

  /** Undefined when unknown or stale: the caller reads the session from the database. */
  sessionRevoked(sessionId: string): boolean | undefined {
    const entry = this.sessions.get(sessionId);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.sessions.delete(sessionId);
      return undefined;
    }
    return entry.revoked;
  }

  setSession(sessionId: string, revoked: boolean): void {
    if (this.ttlMs <= 0 && !revoked) return;
    if (this.sessions.size >= this.maxEntries) this.sessions.clear();
    // A revocation is final: remembered for as long as an access token lives (it is also in the database).
    this.sessions.set(sessionId, { revoked, until: this.now() + (revoked ? REVOKED_MEMORY_MS : this.ttlMs) });
  }

  /** Sessions ended in this process (logout, refresh-token reuse): their access tokens are refused at once. */
  revokeSessions(sessionIds: string[]): void {
    for (const id of sessionIds) this.setSession(id, true);
  }

  evict(userId: string): void {
    this.entries.delete(userId);
  }

  getSubscribedEntities() {
    return [User];
  }

  // Evicted before and after the write: a request that reads the user in between caches it for at most ttlMs.
  beforeUpdate(args: EventArgs<User>): void {
    this.evict(args.entity.id);
  }

  afterUpdate(args: EventArgs<User>): void {
    this.evict(args.entity.id);
  }

  beforeDelete(args: EventArgs<User>): void {
    this.evict(args.entity.id);
  }

  afterDelete(args: EventArgs<User>): void {
    this.evict(args.entity.id);
  }

  // And once the change is committed, so that a read made between the write and the commit is not kept.
  afterFlush(args: FlushEventArgs): void {
    this.evictChanged(args.uow.getChangeSets());
  }

  afterTransactionCommit(args: TransactionEventArgs): void {
    if (args.uow) this.evictChanged(args.uow.getChangeSets());
  }

  private evictChanged(changeSets: Array<{ entity: object }>): void {
    for (const cs of changeSets) if (cs.entity instanceof User) this.evict(cs.entity.id);
  }
}
