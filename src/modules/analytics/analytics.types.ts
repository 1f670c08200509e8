import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { INCIDENT_DEFINITIONS as D, ON_CALL_DEFINITIONS as O } from './analytics.definitions.js';
import { AnalyticsGroupBy } from './analytics.inputs.js';

@ObjectType({ description: `Durations in seconds. ${D.durations}` })
export class DurationStats {
  @Field(() => Int, { description: 'Incidents that reached the milestone' })
  count: number;

  @Field(() => Float, { nullable: true, description: 'Arithmetic mean; null when count is 0' })
  meanSeconds: number | null;

  @Field(() => Float, { nullable: true, description: 'percentile_cont(0.5); null when count is 0' })
  medianSeconds: number | null;

  @Field(() => Float, { nullable: true, description: 'percentile_cont(0.9); null when count is 0' })
  p90Seconds: number | null;

  @Field(() => Float, { nullable: true, description: 'null when count is 0' })
  maxSeconds: number | null;
}

@ObjectType({ description: 'The figures of one group of incidents' })
export class IncidentAnalyticsGroup {
  @Field(() => String, { nullable: true, description: D.key })
  key: string | null;

  @Field(() => Int, { description: D.opened })
  opened: number;

  @Field(() => Int, { description: D.resolved })
  resolved: number;

  @Field(() => Int, { description: D.reopened })
  reopened: number;

  @Field(() => Int, { description: D.stillOpen })
  stillOpen: number;

  @Field(() => DurationStats, { description: D.timeToAcknowledge })
  timeToAcknowledge: DurationStats;

  @Field(() => DurationStats, { description: D.timeToMitigate })
  timeToMitigate: DurationStats;

  @Field(() => DurationStats, { description: D.timeToResolve })
  timeToResolve: DurationStats;

  @Field(() => Float, { nullable: true, description: D.slaResponseBreachRate })
  slaResponseBreachRate: number | null;

  @Field(() => Float, { nullable: true, description: D.slaResolutionBreachRate })
  slaResolutionBreachRate: number | null;

  @Field(() => Float, { nullable: true, description: D.postmortemCoverage })
  postmortemCoverage: number | null;
}

@ObjectType({ description: 'The definition of every incident figure, as stated in the schema and the docs' })
export class IncidentAnalyticsDefinitions {
  @Field() window: string;
  @Field() key: string;
  @Field() severity: string;
  @Field() opened: string;
  @Field() resolved: string;
  @Field() reopened: string;
  @Field() stillOpen: string;
  @Field() timeToAcknowledge: string;
  @Field() timeToMitigate: string;
  @Field() timeToResolve: string;
  @Field() durations: string;
  @Field() slaResponseBreachRate: string;
  @Field() slaResolutionBreachRate: string;
  @Field() postmortemCoverage: string;
}

@ObjectType({ description: 'Incident figures for a window, by group, with their definitions' })
export class IncidentAnalytics {
  @Field({ description: 'Start of the window (inclusive)' })
  from: Date;

  @Field({ description: 'End of the window (exclusive)' })
  to: Date;

  @Field(() => AnalyticsGroupBy)
  groupBy: AnalyticsGroupBy;

  @Field({ description: 'The IANA time zone of the day, week and month buckets' })
  timeZone: string;

  @Field(() => [IncidentAnalyticsGroup], {
    description:
      'Time buckets in order; other groups by opened (most first), then key. An empty window without time grouping answers no group.',
  })
  groups: IncidentAnalyticsGroup[];

  @Field(() => IncidentAnalyticsDefinitions)
  definitions: IncidentAnalyticsDefinitions;
}

@ObjectType({ description: "One person's on-call load in the window" })
export class OnCallLoadPerson {
  @Field(() => ID)
  userId: string;

  @Field(() => Float, { description: O.hoursOnCall })
  hoursOnCall: number;

  @Field(() => Int, { description: O.incidents })
  incidents: number;

  @Field(() => Int, { description: O.outsideHours })
  outsideHours: number;

  @Field(() => Int, { description: O.night })
  night: number;
}

@ObjectType({ description: 'The definition of every on-call load figure' })
export class OnCallLoadDefinitions {
  @Field() window: string;
  @Field() hoursOnCall: string;
  @Field() incidents: string;
  @Field() outsideHours: string;
  @Field() night: string;
}

@ObjectType({ description: 'On-call load per person in a window, with the definitions' })
export class OnCallLoad {
  @Field()
  from: Date;

  @Field()
  to: Date;

  @Field(() => [ID], { description: 'The schedules counted' })
  scheduleIds: string[];

  @Field(() => [OnCallLoadPerson], { description: 'Everyone on call in the window: most hours first, then user id' })
  people: OnCallLoadPerson[];

  @Field(() => OnCallLoadDefinitions)
  definitions: OnCallLoadDefinitions;
}
