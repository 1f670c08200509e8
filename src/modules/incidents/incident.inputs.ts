import { ArrayMaxSize, IsIn, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IncidentStatus, Severity } from './incident.enums.js';
import { IdOrKeyScalar, UuidScalar } from '../../core/scalars.js';
import { FilterAfter, FilterBefore, FilterContains, FilterEq, FilterIn, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';
import { ReferenceField } from '../reference-fields.js';
import { PROBLEM_KEY_PREFIX, Problem } from '../problems/problem.entity.js';
import { Service } from '../services/service.entity.js';
import { Team } from '../teams/team.entity.js';
import { User } from '../users/user.entity.js';

export const INCIDENT_SOURCES = ['manual', 'api', 'alert', 'import'] as const;

@InputType()
export class CreateIncidentInput {
  @Field()
  @Length(1, 300)
  title: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  description?: string | null;

  @Field(() => Severity, { nullable: true, description: 'Left out, the classifier fills it in (auto_classified)' })
  severity?: Severity;

  @ReferenceField(() => Service, { property: 'service' })
  serviceId?: string | null;

  @ReferenceField(() => Team, { property: 'team' })
  teamId?: string | null;

  @ReferenceField(() => User, { property: 'assignee' })
  assigneeId?: string | null;

  @ReferenceField(() => Problem, {
    property: 'problem',
    keyPrefix: PROBLEM_KEY_PREFIX,
    description: 'The problem behind the incident, by id or key (PRB-3); null unlinks',
  })
  problemId?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the incident began (never in the future); defaults to now' })
  startedAt?: Date;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @Length(1, 50, { each: true })
  tags?: string[];

  @Field(() => String, { nullable: true, description: `One of ${INCIDENT_SOURCES.join(', ')} (default manual)` })
  @IsOptional()
  @IsIn(INCIDENT_SOURCES)
  source?: string;
}

@InputType()
export class UpdateIncidentInput extends PartialInputType(CreateIncidentInput, {
  omit: ['startedAt', 'source'],
  descriptions: { severity: null },
}) {
  @Field(() => IncidentStatus, { nullable: true, description: 'Moves the incident along its lifecycle' })
  status?: IncidentStatus;
}

@InputType()
export class IncidentFilter {
  @FilterIn('status', () => IncidentStatus)
  status?: IncidentStatus[];

  @FilterIn('severity', () => Severity)
  severity?: Severity[];

  @FilterIn('service', () => UuidScalar)
  serviceId?: string[];

  @FilterIn('team', () => UuidScalar)
  teamId?: string[];

  @FilterIn('assignee', () => UuidScalar)
  assigneeId?: string[];

  @FilterIn('problem', () => IdOrKeyScalar, {
    keyPrefix: PROBLEM_KEY_PREFIX,
    description: 'Incidents linked to any of these problems (ids or PRB keys)',
  })
  problemId?: string[];

  @FilterContains('tags', () => String, { description: 'Incidents that carry all of these tags' })
  tags?: string[];

  @FilterEq('slaBreached', () => Boolean, {
    description: 'Incidents that have (true) or have not (false) breached an SLA clock',
  })
  slaBreached?: boolean;

  @FilterAfter('createdAt')
  createdAfter?: Date;

  @FilterBefore('createdAt')
  createdBefore?: Date;

  @FilterText(['title', 'description'], { description: 'Text in the title or description' })
  @IsOptional()
  @MaxLength(200)
  q?: string;
}
