import { ArrayMaxSize, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IdOrKeyScalar, UuidScalar } from '../../core/scalars.js';
import { Severity } from '../incidents/incident.enums.js';
import { ProblemStatus } from './problem.enums.js';

@InputType()
export class CreateProblemInput {
  @Field()
  @Length(1, 300)
  title: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  description?: string | null;

  @Field(() => Severity, { nullable: true, description: 'P1–P4, default P3' })
  priority?: Severity;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  rootCause?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  workaround?: string | null;

  @Field(() => UuidScalar, { nullable: true })
  serviceId?: string | null;

  @Field(() => [IdOrKeyScalar], { nullable: true, description: 'Incidents caused by this problem, by id or key (INC-3)' })
  @IsOptional()
  @ArrayMaxSize(500)
  incidentIds?: string[];
}

@InputType()
export class UpdateProblemInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 300)
  title?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  description?: string | null;

  @Field(() => ProblemStatus, { nullable: true, description: 'Moves the problem along its lifecycle' })
  status?: ProblemStatus;

  @Field(() => Severity, { nullable: true })
  priority?: Severity;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  rootCause?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  workaround?: string | null;

  @Field(() => UuidScalar, { nullable: true })
  serviceId?: string | null;

  @Field(() => [IdOrKeyScalar], { nullable: true, description: 'Replaces the linked incidents (ids or INC keys); [] or null unlinks all' })
  @IsOptional()
  @ArrayMaxSize(500)
  incidentIds?: string[] | null;
}

@InputType()
export class ProblemFilter {
  @Field(() => [ProblemStatus], { nullable: true })
  status?: ProblemStatus[];

  @Field(() => [Severity], { nullable: true })
  priority?: Severity[];

  @Field(() => [UuidScalar], { nullable: true })
  serviceId?: string[];

  @Field(() => Date, { nullable: true })
  createdAfter?: Date;

  @Field(() => Date, { nullable: true })
  createdBefore?: Date;

  @Field(() => String, { nullable: true, description: 'Text in the title, description, root cause or workaround' })
  @IsOptional()
  @MaxLength(200)
  q?: string;
}
