import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import { Incident } from '../incidents/incident.entity.js';
import { IncidentStatus } from '../incidents/incident.enums.js';
import type { WebhookSource } from './webhook-source.entity.js';
import { Alert } from './alert.entity.js';
import type { NormalizedAlert } from './normalized-alert.js';

const CLOSED = [IncidentStatus.resolved, IncidentStatus.closed];

/** A request's view of the open incidents by dedup key and by notification group. */
export class OpenAlerts {
  readonly byKey = new Map<string, Alert>();
  readonly byGroup = new Map<string, Incident>();

  /** A resolved incident is no longer reachable: the next firing alert of its keys or groups opens another. */
  forget(incident: Incident): void {
    for (const [key, alert] of this.byKey) if (alert.incident === incident) this.byKey.delete(key);
    for (const [group, open] of this.byGroup) if (open === incident) this.byGroup.delete(group);
  }
}

/**
 * The open incidents a request's alerts can reach, read once for the whole request: the latest alert of each of its
 * dedup keys and the incident of each of its groups, where that incident is still open, the incidents locked (in id
 * order). What the request itself opens or resolves is added or forgotten as it goes.
 */
export async function readOpenAlerts(
  em: EntityManager,
  source: WebhookSource,
  alerts: NormalizedAlert[],
): Promise<OpenAlerts> {
  const keys = [...new Set(alerts.map((a) => a.dedupKey))];
  const groups = [...new Set(alerts.map((a) => a.groupKey).filter((g): g is string => Boolean(g)))];
  const found = await em.find(
    Alert,
    {
      source,
      $or: [{ dedupKey: { $in: keys } }, ...(groups.length ? [{ groupKey: { $in: groups } }] : [])],
      incident: { status: { $nin: CLOSED } },
    },
    { populate: ['incident'], orderBy: { createdAt: 'desc', id: 'desc' } },
  );
  const ids = [...new Set(found.map((a) => a.incident.id))].sort();
  const locked = ids.length
    ? await em.find(
        Incident,
        { id: { $in: ids } },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: 'asc' } },
      )
    : [];
  const stillOpen = new Set(locked.filter((i) => !CLOSED.includes(i.status)).map((i) => i.id));
  const open = new OpenAlerts();
  for (const alert of found) {
    if (!stillOpen.has(alert.incident.id)) continue;
    if (keys.includes(alert.dedupKey) && !open.byKey.has(alert.dedupKey)) open.byKey.set(alert.dedupKey, alert);
    if (alert.groupKey && groups.includes(alert.groupKey) && !open.byGroup.has(alert.groupKey))
      open.byGroup.set(alert.groupKey, alert.incident);
  }
  return open;
}
