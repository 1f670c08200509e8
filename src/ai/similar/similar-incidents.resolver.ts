import {
  Arg,
  Authorized,
  Ctx,
  Field,
  Float,
  InputType,
  Int,
  ObjectType,
  Query,
  Resolver,
  registerEnumType,
} from 'type-graphql';
import type { Context } from '../../api/graphql/context.js';
import { IdOrKeyScalar } from '../../core/scalars.js';
import { Role } from '../../core/roles.js';
import { RestRoute } from '../../api/rest/routes.js';
import { IncidentStatus, Severity } from '../../modules/incidents/incident.enums.js';
import { ClassifyIncidentInput } from '../classify/classify.types.js';
import { SIMILAR_LIMIT_DEFAULT, SIMILAR_LIMIT_MAX, SimilarAnswer } from './similar-incidents.service.js';

export enum SimilarityRelation {
  possible_duplicate = 'possible_duplicate',
  similar = 'similar',
}

registerEnumType(SimilarityRelation, {
  name: 'SimilarityRelation',
  description:
    'possible_duplicate: started close in time to the incident (the same event reported twice?); similar: a past incident like it',
});

@ObjectType({ description: 'An incident like the one asked about' })
export class SimilarIncidentMatch {
  @Field({ description: 'The key of the matching incident, e.g. INC-1842' })
  incidentId: string;

  @Field(() => Float, { description: '0–1, higher is closer; how it is computed is in docs/AI.md' })
  score: number;

  @Field()
  title: string;

  @Field(() => Severity)
  severity: Severity;

  @Field(() => IncidentStatus, {
    description: 'The status now: an active possible duplicate is one to join rather than declare again',
  })
  status: IncidentStatus;

  @Field(() => SimilarityRelation)
  relation: SimilarityRelation;
}

@ObjectType({ description: "Similar incidents, best first, from the caller's organization, never the incident itself" })
export class SimilarIncidents {
  @Field({ description: 'The embedding model that produced the matches' })
  model: string;

  @Field(() => [SimilarIncidentMatch])
  matches: SimilarIncidentMatch[];
}

const LIMIT_DESCRIPTION = `1–${SIMILAR_LIMIT_MAX}, default ${SIMILAR_LIMIT_DEFAULT}`;
const MIN_SCORE_DESCRIPTION = 'Leave out matches scoring below this (0–1)';

@InputType({ description: 'The text of an incident not declared yet, and how many matches to answer' })
export class SimilarIncidentsTextInput extends ClassifyIncidentInput {
  @Field(() => Int, { nullable: true, description: LIMIT_DESCRIPTION })
  limit?: number | null;

  @Field(() => Float, { nullable: true, description: MIN_SCORE_DESCRIPTION })
  minScore?: number | null;
}

@Resolver()
export class SimilarIncidentsResolver {
  @Authorized(Role.viewer)
  @Query(() => SimilarIncidents, {
    description: 'Incidents like this one, best first: possible duplicates happening now and similar past incidents',
  })
  @RestRoute({
    method: 'GET',
    path: '/ai/similar-incidents/:id',
    tags: ['ai'],
    description: 'Incidents like this one, best first: possible duplicates happening now and similar past incidents',
  })
  async similarIncidents(
    @Arg('id', () => IdOrKeyScalar, { description: 'The incident, by id or key' }) id: string,
    @Arg('limit', () => Int, { nullable: true, description: LIMIT_DESCRIPTION }) limit: number | undefined,
    @Arg('minScore', () => Float, { nullable: true, description: MIN_SCORE_DESCRIPTION }) minScore: number | undefined,
    @Ctx() ctx: Context,
  ): Promise<SimilarAnswer> {
    return ctx.services.similarIncidents.similar(ctx, id, { limit, minScore });
  }

  /** A query, not a mutation: nothing is stored (REST reaches it with POST, as its body is the text). */
  @Authorized(Role.viewer)
  @Query(() => SimilarIncidents, {
    description: 'Incidents like a text not declared yet, best first, as if it started now: possible duplicates first',
  })
  @RestRoute({
    method: 'POST',
    path: '/ai/similar-incidents',
    tags: ['ai'],
    description:
      'Incidents like a text not declared yet (title, description, service), best first: the duplicate check before a create',
  })
  async similarIncidentsToText(
    @Arg('input', () => SimilarIncidentsTextInput) input: SimilarIncidentsTextInput,
    @Ctx() ctx: Context,
  ): Promise<SimilarAnswer> {
    return ctx.services.similarIncidents.similarToText(ctx, input, input);
  }
}
