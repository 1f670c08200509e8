import type { EntityManager } from '@mikro-orm/postgresql';
import type { NormalizedAlert } from './normalized-alert.js';

/**
 * Takes the transaction-scoped advisory locks of one request: its webhook-id (a replay waits for the first delivery
 * and then reads its receipt), and each dedup key and notification group it carries (so two requests, in any process,
 * never both find no open incident for one key and both open one). The names are sorted, so two requests take their
 * common locks in the same order and cannot deadlock on them; PostgreSQL releases them at commit or rollback.
 */
export async function lockAlertKeys(
  em: EntityManager,
  sourceId: string,
  webhookId: string | null,
  alerts: NormalizedAlert[],
): Promise<void> {
  const names = new Set<string>();
  if (webhookId) names.add(`${sourceId} id ${webhookId}`);
  for (const alert of alerts) {
    names.add(`${sourceId} key ${alert.dedupKey}`);
    if (alert.groupKey) names.add(`${sourceId} group ${alert.groupKey}`);
  }
  const sorted = [...names].sort();
  const list = sorted.map(() => '?').join(', ');
  await em.execute(
    `select count(pg_advisory_xact_lock(hashtextextended(name, 0))) from unnest(array[${list}]::text[]) as name`,
    sorted,
  );
}

/**
 * Deadlock, serialization failure, lock timeout, or a unique key a concurrent transaction took first: worth a retry.
 */
const TRANSIENT_STATES = new Set(['40P01', '40001', '55P03', '23505']);

export function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_STATES.has(code);
}

/** A short random pause before the next try, growing with the attempts, so that the conflicting requests spread out. */
export function retryPause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
}
