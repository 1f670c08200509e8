import DataLoader from 'dataloader';
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rowMapper } from '../../db/fast/rows.js';
import { fastPathOn } from '../../db/fast/switches.js';
import { IncidentEvent } from './incident-event.entity.js';

const loaders = new WeakMap<EntityManager, Map<number, DataLoader<string, IncidentEvent[]>>>();

/**
 * The newest `limit` timeline entries of each incident asked for in one request, in one statement for all of them
 * (row_number per incident), as read-only rows under the tenant filter.
 */
export function timelineLoader(em: EntityManager, limit: number): DataLoader<string, IncidentEvent[]> {
  let byLimit = loaders.get(em);
  if (!byLimit) loaders.set(em, (byLimit = new Map<number, DataLoader<string, IncidentEvent[]>>()));
  let loader = byLimit.get(limit);
  if (!loader) {
    loader = new DataLoader((ids) => latestEntries(em, ids as string[], limit));
    byLimit.set(limit, loader);
  }
  return loader;
}

async function latestEntries(em: EntityManager, incidentIds: string[], limit: number): Promise<IncidentEvent[][]> {
  if (!fastPathOn('lists')) return latestEntriesByOrm(em, incidentIds, limit);
  const qb = em
    .createQueryBuilder(IncidentEvent, 'e')
    .select(['*', raw('row_number() over (partition by e.incident_id order by e.occurred_at desc, e.id desc) as rn')])
    .where({ incident: { $in: incidentIds } });
  await qb.applyFilters();
  const query = em
    .getKnex()
    .select('*')
    .from(qb.getKnexQuery().as('t'))
    .where('rn', '<=', limit)
    .orderBy(['incident_id', 'rn']);
  const raws = await em.getConnection().execute<Record<string, unknown>[]>(query);
  const meta = em.getMetadata().get<IncidentEvent>(IncidentEvent.name);
  const toRecord = rowMapper(meta, em.getDriver());
  const byIncident = new Map<string, IncidentEvent[]>(incidentIds.map((id) => [id, []]));
  for (const r of raws) {
    const row = toRecord(r);
    byIncident.get(r.incident_id as string)?.push(row);
  }
  return incidentIds.map((id) => byIncident.get(id)!);
}

/** The plain ORM path of latestEntries: every entry of the incidents, newest first, cut per incident here. */
async function latestEntriesByOrm(em: EntityManager, incidentIds: string[], limit: number): Promise<IncidentEvent[][]> {
  const entries = await em.find(
    IncidentEvent,
    { incident: { $in: incidentIds } },
    { orderBy: { occurredAt: 'desc', id: 'desc' } },
  );
  const byIncident = new Map<string, IncidentEvent[]>(incidentIds.map((id) => [id, []]));
  for (const entry of entries) {
    const list = byIncident.get(entry.incident.id);
    if (list && list.length < limit) list.push(entry);
  }
  return incidentIds.map((id) => byIncident.get(id)!);
}
