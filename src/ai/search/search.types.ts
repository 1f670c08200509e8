import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Incident } from '../../modules/incidents/incident.entity.js';
import { IncidentStatus, Severity } from '../../modules/incidents/incident.enums.js';

@ObjectType({ description: 'The filters a plain-English query was understood to ask for' })
export class UnderstoodQuery {
  @Field(() => [Severity])
  severities: Severity[];

  @Field(() => [IncidentStatus])
  statuses: IncidentStatus[];

  @Field(() => [ID], { description: 'Services of the organization named in the query' })
  serviceIds: string[];

  @Field(() => [ID], { description: 'Teams of the organization named in the query' })
  teamIds: string[];

  @Field(() => ID, { nullable: true, description: 'The caller, for "assigned to me"' })
  assigneeId: string | null;

  @Field({ description: 'True for "unassigned"' })
  unassigned: boolean;

  @Field(() => Date, { nullable: true })
  createdAfter: Date | null;

  @Field(() => Date, { nullable: true })
  createdBefore: Date | null;

  @Field({ description: 'The words left to rank the results by' })
  text: string;
}

@ObjectType({ description: 'An incident found by search, with how well it matches the text' })
export class ScoredIncident extends Incident {
  @Field(() => Float, {
    description: 'BM25 relevance of the text (higher is better); 1 for every result when no text was left to rank by',
  })
  score: number;
}

@ObjectType()
export class IncidentSearchResult {
  @Field(() => UnderstoodQuery)
  understood: UnderstoodQuery;

  @Field(() => [ScoredIncident], { description: 'Best first' })
  results: ScoredIncident[];

  @Field(() => Int, { description: 'How many incidents matched (among the newest candidates searched)' })
  total: number;

  @Field({ description: 'The model that understood the query: the configured chat model, or the embedded parser' })
  model: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the configured model was not used (timeout, rate_limited, server_error, model_error, unreachable, malformed_output)',
  })
  fallbackReason: string | null;
}
