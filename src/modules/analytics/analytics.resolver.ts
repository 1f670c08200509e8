import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../api/graphql/context.js';
import { Cost } from '../../api/graphql/limits.js';
import { RestRoute } from '../../api/rest/routes.js';
import { UuidScalar } from '../../core/scalars.js';
import { Role } from '../../core/roles.js';
import { AnalyticsGroupBy, IncidentAnalyticsFilter } from './analytics.inputs.js';
import { IncidentAnalytics, OnCallLoad } from './analytics.types.js';
import { DEFAULT_WINDOW_DAYS, MAX_INCIDENT_WINDOW_DAYS, MAX_ON_CALL_WINDOW_DAYS } from './analytics.service.js';
import { INCIDENT_ANALYTICS_CSV, ON_CALL_LOAD_CSV } from './analytics.route.js';

@Resolver()
export class AnalyticsResolver {
  @Authorized(Role.viewer)
  // One aggregate statement; a day bucket per day of up to two years.
  @Cost({ cost: 100 })
  @Query(() => IncidentAnalytics, {
    description:
      'Incident figures (counts, times to acknowledge, mitigate and resolve, SLA breach rates, postmortem coverage) of a window, grouped; every figure defined in its description and in the answer',
  })
  @RestRoute({
    method: 'GET',
    path: '/analytics/incidents',
    tags: ['analytics'],
    description:
      'Incident figures of the window [from, to) grouped by group_by, with their definitions; filters severity, service_id, team_id, status ' +
      '(comma-separated for any of). `Accept: text/csv` or `format=csv` answers a CSV export with a header row.',
    csv: INCIDENT_ANALYTICS_CSV,
  })
  async incidentAnalytics(
    @Arg('filter', () => IncidentAnalyticsFilter, { nullable: true }) filter: IncidentAnalyticsFilter | undefined,
    @Arg('groupBy', () => AnalyticsGroupBy, { nullable: true, description: 'Default: none' })
    groupBy: AnalyticsGroupBy | undefined,
    @Arg('from', () => Date, {
      nullable: true,
      description: `Start of the window, inclusive; default ${DEFAULT_WINDOW_DAYS} days before to`,
    })
    from: Date | undefined,
    @Arg('to', () => Date, {
      nullable: true,
      description: `End of the window, exclusive; default now; at most ${MAX_INCIDENT_WINDOW_DAYS} days after from`,
    })
    to: Date | undefined,
    @Arg('timeZone', () => String, {
      nullable: true,
      description: 'IANA time zone of the day, week and month buckets; default UTC',
    })
    timeZone: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<IncidentAnalytics> {
    return ctx.services.analytics.incidentAnalytics(ctx, { filter, groupBy, from, to, timeZone });
  }

  @Authorized(Role.viewer)
  // Every schedule's shifts of up to 90 days, evaluated in memory.
  @Cost({ cost: 100 })
  @Query(() => OnCallLoad, {
    description: 'Hours on call and incidents handled while on call, per person, in a window',
  })
  @RestRoute({
    method: 'GET',
    path: '/analytics/on-call-load',
    tags: ['analytics'],
    description:
      'On-call load per person in [from, to), with the definitions. `Accept: text/csv` or `format=csv` answers a CSV export.',
    csv: ON_CALL_LOAD_CSV,
  })
  async onCallLoad(
    @Arg('from', () => Date, { nullable: true, description: 'Start, inclusive; default 7 days before to' })
    from: Date | undefined,
    @Arg('to', () => Date, {
      nullable: true,
      description: `End, exclusive; default now; at most ${MAX_ON_CALL_WINDOW_DAYS} days after from`,
    })
    to: Date | undefined,
    @Arg('scheduleIds', () => [UuidScalar], {
      nullable: true,
      description: 'Default: every schedule of the organization',
    })
    scheduleIds: string[] | undefined,
    @Ctx() ctx: Context,
  ): Promise<OnCallLoad> {
    return ctx.services.analytics.onCallLoad(ctx, { from, to, scheduleIds });
  }
}
