import { ArrayMaxSize, IsIn, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IncidentStatus, Severity } from './incident.enums.js';
import { IdOrKeyScalar, UuidScalar } from '../../core/scalars.js';

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

  @Field(() => UuidScalar, { nullable: true })
  serviceId?: string | null;

  @Field(() => UuidScalar, { nullable: true })
  teamId?: string | null;

  @Field(() => UuidScalar, { nullable: true })
  assigneeId?: string | null;

  @Field(() => IdOrKeyScalar, { nullable: true, description: 'The problem behind the incident, by id or key (PRB-3); null unlinks' })
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
export class UpdateIncidentInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 300)
  title?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  description?: string | null;

  @Field(() => Severity, { nullable: true })
  severity?: Severity;

  @Field(() => IncidentStatus, { nullable: true, description: 'Moves the incident along its lifecycle' })
  status?: IncidentStatus;

  @Field(() => UuidScalar, { nullable: true })
  serviceId?: string | null;

  @Field(() => UuidScalar, { nullable: true })
  teamId?: string | null;

  @Field(() => UuidScalar, { nullable: true })
  assigneeId?: string | null;

  @Field(() => IdOrKeyScalar, { nullable: true, description: 'The problem behind the incident, by id or key (PRB-3); null unlinks' })
  problemId?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @Length(1, 50, { each: true })
  tags?: string[];
}

@InputType()
export class IncidentFilter {
  @Field(() => [IncidentStatus], { nullable: true })
  status?: IncidentStatus[];

  @Field(() => [Severity], { nullable: true })
  severity?: Severity[];

  @Field(() => [UuidScalar], { nullable: true })
  serviceId?: string[];

  @Field(() => [UuidScalar], { nullable: true })
  teamId?: string[];

  @Field(() => [UuidScalar], { nullable: true })
  assigneeId?: string[];

  @Field(() => [IdOrKeyScalar], { nullable: true, description: 'Incidents linked to any of these problems (ids or PRB keys)' })
  problemId?: string[];

  @Field(() => [String], { nullable: true, description: 'Incidents that carry all of these tags' })
  tags?: string[];

  @Field(() => Boolean, { nullable: true, description: 'Incidents that have (true) or have not (false) breached an SLA clock' })
  slaBreached?: boolean;

  @Field(() => Date, { nullable: true })
  createdAfter?: Date;

  @Field(() => Date, { nullable: true })
  createdBefore?: Date;

  @Field(() => String, { nullable: true, description: 'Text in the title or description' })
  @IsOptional()
  @MaxLength(200)
  q?: string;
}
