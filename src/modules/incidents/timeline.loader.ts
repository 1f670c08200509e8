import DataLoader from 'dataloader';
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rowMapper } from '../../db/fast/rows.js';
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
  const qb = em
    .createQueryBuilder(IncidentEvent, 'e')
    .select(['*', raw('row_number() over (partition by e.incident_id order by e.occurred_at desc, e.id desc) as rn')])
    .where({ incident: { $in: incidentIds } });
  await qb.applyFilters();
  const query = em.getKnex().select('*').from(qb.getKnexQuery().as('t')).where('rn', '<=', limit).orderBy(['incident_id', 'rn']);
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
