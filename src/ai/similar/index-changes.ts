import type { ClaimedChanges } from '../../modules/incidents/incident-ai.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../../core/scalars.js';
import type { UnitOfWork } from '../../db/unit-of-work.js';

/** The PostgreSQL NOTIFY channel on which every process announces its changes to similar-incident data. */
export const INDEX_CHANNEL = 'argus_similar_index';

export type IndexChangeOp = 'upsert' | 'delete';

/**
 * One committed change: an incident's embedding was written (`upsert`) or the incident deleted, as version n of its
 * organization.
 */
export interface IndexChange {
  organizationId: string;
  incidentId: string;
  op: IndexChangeOp;
  version: number;
}

/** Filled in just before the transaction commits with the organization's version that the change became. */
export interface RecordedChange {
  version: number | null;
}

/**
 * Raises the organization's version and announces the change in one statement. NOTIFY inside a transaction is
 * delivered only if, and when, the transaction commits; the payload (about 130 bytes) is far below PostgreSQL's 8000.
 */
const RECORD_SQL = `
with bumped as (
  insert into similar_index_versions (organization_id, version) values (?, 1)
  on conflict (organization_id) do update set version = similar_index_versions.version + 1
  returning version)
select version, pg_notify(?, json_build_object('o', ?::text, 'i', ?::text, 'op', ?::text, 'v', version)::text) as sent
from bumped`;

/** The payload of a notification, or null when it is not one of ours (anything may NOTIFY on a channel). */
export function decodeIndexChange(payload: string | undefined): IndexChange | null {
  if (!payload) return null;
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  const v = value as { o?: unknown; i?: unknown; op?: unknown; v?: unknown };
  if (typeof v.o !== 'string' || !isUuid(v.o) || typeof v.i !== 'string' || !isUuid(v.i)) return null;
  if (v.op !== 'upsert' && v.op !== 'delete') return null;
  if (typeof v.v !== 'number' || !Number.isSafeInteger(v.v) || v.v < 1) return null;
  return { organizationId: v.o, incidentId: v.i, op: v.op, version: v.v };
}

interface Pending {
  organizationId: string;
  incidentId: string;
  op: IndexChangeOp;
  ticket: RecordedChange;
}

/**
 * Announces changes to similar-incident data to every process on the database (IndexChangeListener hears them). A
 * change is recorded in the caller's transaction and written as its LAST statements, right before the commit (the
 * unit of work's before-commit step): the version row lock is then held only for the commit itself and is always the
 * last lock a transaction takes, so concurrent writers of one organization cannot deadlock on it, and versions commit
 * in order without gaps.
 */
export class IndexChangeNotifier {
  constructor(private readonly unit: UnitOfWork) {}

  async record(
    em: EntityManager,
    organizationId: string,
    incidentId: string,
    op: IndexChangeOp,
  ): Promise<RecordedChange> {
    // One entry per incident in a transaction: its last change wins.
    const changes = this.unit.participate(
      em,
      this,
      () => new Map<string, Pending>(),
      (tem, pending) => this.writeAll(tem, pending),
    );
    if (!changes) {
      const ticket: RecordedChange = { version: null };
      await this.write(em, { organizationId, incidentId, op, ticket });
      return ticket;
    }
    const existing = changes.get(incidentId);
    if (existing) {
      existing.op = op;
      return existing.ticket;
    }
    const ticket: RecordedChange = { version: null };
    changes.set(incidentId, { organizationId, incidentId, op, ticket });
    return ticket;
  }

  /**
   * Takes the changes recorded so far in `em`'s transaction for `organizationId` out of the commit's statements, as
   * CTEs of a caller's own statement (prepareNewRecords), which is then the transaction's last lock taker: the version
   * raised once for all of them, after the CTE `after` (so that the key row is locked first), and each announced.
   * The statement must select `select` (an unread CTE that is not a write does not run) and pass it to `settle`.
   */
  claim(em: EntityManager, organizationId: string, after: string | null): ClaimedChanges | null {
    const changes = this.unit.stateOf<Map<string, Pending>>(em, this);
    const mine = [...(changes?.values() ?? [])].filter((c) => c.organizationId === organizationId);
    if (!mine.length) return null;
    for (const change of mine) changes!.delete(change.incidentId);
    const n = mine.length;
    return {
      ctes: [
        `"versions" as (insert into similar_index_versions (organization_id, version) select ?::uuid, ${n}${after ? ` from "${after}"` : ''}
          on conflict (organization_id) do update set version = similar_index_versions.version + ${n} returning version)`,
        `"announced" as (select c.ord, v.version - ${n} + c.ord as version,
            pg_notify(?, json_build_object('o', ?::text, 'i', c.id, 'op', c.op, 'v', v.version - ${n} + c.ord)::text) as sent
          from "versions" v, unnest(array[?]::text[], array[?]::text[]) with ordinality as c(id, op, ord))`,
      ],
      params: [organizationId, INDEX_CHANNEL, organizationId, mine.map((c) => c.incidentId), mine.map((c) => c.op)],
      select: '(select array_agg(version order by ord) from "announced")',
      settle: (versions) => mine.forEach((change, i) => (change.ticket.version = Number(versions[i]))),
    };
  }

  private async writeAll(em: EntityManager, changes: Map<string, Pending>): Promise<void> {
    for (const change of changes.values()) await this.write(em, change, em.getTransactionContext());
    changes.clear();
  }

  private async write(em: EntityManager, change: Pending, trx?: unknown): Promise<void> {
    const [row] = await em
      .getConnection()
      .execute<Array<{ version: string | number }>>(
        RECORD_SQL,
        [change.organizationId, INDEX_CHANNEL, change.organizationId, change.incidentId, change.op],
        'all',
        trx,
      );
    change.ticket.version = Number(row.version);
  }
}

export type { ClaimedChanges };
