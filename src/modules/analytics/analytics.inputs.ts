import { Field, InputType, registerEnumType } from 'type-graphql';
import { UuidScalar } from '../../core/scalars.js';
import { IncidentStatus, Severity } from '../incidents/incident.enums.js';

export enum AnalyticsGroupBy {
  none = 'none',
  severity = 'severity',
  service = 'service',
  team = 'team',
  assignee = 'assignee',
  day = 'day',
  week = 'week',
  month = 'month',
}
registerEnumType(AnalyticsGroupBy, {
  name: 'AnalyticsGroupBy',
  description:
    'How incident figures are grouped: not at all, by highest severity, by service, team or assignee, or by local day, week (from Monday) or month',
});

export const TIME_BUCKETS: ReadonlySet<AnalyticsGroupBy> = new Set([
  AnalyticsGroupBy.day,
  AnalyticsGroupBy.week,
  AnalyticsGroupBy.month,
]);

@InputType({ description: 'Which incidents of the window are counted; every list means any of' })
export class IncidentAnalyticsFilter {
  @Field(() => [Severity], { nullable: true, description: 'The highest severity the incident held' })
  severity?: Severity[];

  @Field(() => [UuidScalar], { nullable: true })
  serviceId?: string[];

  @Field(() => [UuidScalar], { nullable: true })
  teamId?: string[];

  @Field(() => [IncidentStatus], { nullable: true, description: 'The status now' })
  status?: IncidentStatus[];
}
