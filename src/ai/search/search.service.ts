import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { requireActor } from '../../core/scope.js';
import type { Scope } from '../../core/scope.js';
import { AppError } from '../../core/errors.js';
import type { Clock } from '../../core/clock.js';
import { SEARCH_RANKING, TextCandidate, rankByText } from './text-rank.js';
import { Incident } from '../../modules/incidents/incident.entity.js';
import type { IncidentService } from '../../modules/incidents/incident.service.js';
import { Service } from '../../modules/services/service.entity.js';
import { Team } from '../../modules/teams/team.entity.js';
import type { UnderstoodQuery } from './search-query.js';
import type { SearchQueryParser } from './search-parser.js';
import { IncidentSearchResult, ScoredIncident } from './search.types.js';

// The ranking lives in text-rank.ts; re-exported for callers that imported it from here.
export { rankByText, stem } from './text-rank.js';

/** The newest incidents matching the understood filters that the text ranks; beyond them nothing is scored. */
export const SEARCH_CANDIDATES = 5000;

/**
 * Plain-English search over the caller's organization: the query's filters narrow the incidents in SQL (through the
 * same filter rules as the incident list), the rest of its words rank them.
 */
export class SearchService {
  constructor(
    private readonly incidents: IncidentService,
    private readonly clock: Clock,
    private readonly parser: SearchQueryParser,
  ) {}

  async search(scope: Scope, q: string, limit: number): Promise<IncidentSearchResult> {
    const auth = requireActor(scope);
    if (!q.trim() || q.length > 500) throw AppError.validation('q', 'must be 1 to 500 characters');
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw AppError.validation('limit', 'must be between 1 and 100');
    const em = scope.em;
    const [services, teams] = await Promise.all([
      em.find(Service, {}, { fields: ['id', 'name'] }),
      em.find(Team, {}, { fields: ['id', 'name'] }),
    ]);
    const parsed = await this.parser.parse(q, { now: this.clock.now(), services, teams, userId: auth.userId });
    const understood = parsed.understood;
    const candidates = await this.candidates(em, auth.organizationId, understood);
    const ranked = rankByText(candidates, understood.text, SEARCH_RANKING);
    const top = ranked.slice(0, limit);
    const found = await em.find(Incident, { id: { $in: top.map((r) => r.id) } });
    const byId = new Map(found.map((i) => [i.id, i]));
    const results = top.flatMap(({ id, score }) => {
      const incident = byId.get(id);
      return incident
        ? [Object.assign(Object.create(ScoredIncident.prototype) as ScoredIncident, incident, { score })]
        : [];
    });
    return {
      understood: understood,
      results,
      total: ranked.length,
      model: parsed.model,
      fallbackReason: parsed.fallbackReason,
    };
  }

  private async candidates(
    em: EntityManager,
    organizationId: string,
    understood: UnderstoodQuery,
  ): Promise<TextCandidate[]> {
    const filter: Record<string, unknown> = {};
    if (understood.severities.length) filter.severity = understood.severities;
    if (understood.statuses.length) filter.status = understood.statuses;
    if (understood.serviceIds.length) filter.serviceId = understood.serviceIds;
    if (understood.teamIds.length) filter.teamId = understood.teamIds;
    if (understood.assigneeId) filter.assigneeId = [understood.assigneeId];
    if (understood.createdAfter) filter.createdAfter = understood.createdAfter;
    if (understood.createdBefore) filter.createdBefore = understood.createdBefore;
    const conditions: Array<FilterQuery<Incident>> = [
      this.incidents.whereFromFilter(filter),
      { organization: organizationId },
    ];
    if (understood.unassigned) conditions.push({ assignee: null });
    // Plain rows: the candidates are only scored; the few results are loaded as records afterwards.
    return em
      .createQueryBuilder(Incident, 'i')
      .select(['id', 'title', 'description'])
      .where({ $and: conditions })
      .orderBy({ createdAt: 'desc', id: 'desc' })
      .limit(SEARCH_CANDIDATES)
      .execute<TextCandidate[]>('all', true);
  }
}
