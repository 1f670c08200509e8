import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../api/graphql/context.js';
import { Role } from '../../core/roles.js';
import { RestRoute } from '../../api/rest/routes.js';
import { IncidentSearchResult } from './search.types.js';

@Resolver()
export class SearchResolver {
  @Authorized(Role.viewer)
  @Query(() => IncidentSearchResult, {
    description: 'Plain-English incident search, e.g. "open P1 payments incidents since last monday"',
  })
  @RestRoute({
    method: 'GET',
    path: '/search',
    tags: ['search'],
    description: 'Plain-English incident search: the filters understood in `q` and the ranked results',
  })
  async searchIncidents(
    @Arg('q') q: string,
    @Arg('limit', () => Int, { nullable: true, description: '1–100, default 25' }) limit: number | undefined,
    @Ctx() ctx: Context,
  ): Promise<IncidentSearchResult> {
    return ctx.services.search.search(ctx, q, limit ?? 25);
  }
}
