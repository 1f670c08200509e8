import { ArrayMaxSize, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IdOrKeyScalar, UuidScalar } from '../../core/scalars.js';
import { Severity } from '../incidents/incident.enums.js';
import { ProblemStatus } from './problem.enums.js';
import { FilterAfter, FilterBefore, FilterIn, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';
import { ReferenceField } from '../reference-fields.js';
import { Service } from '../services/service.entity.js';

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

  @ReferenceField(() => Service, { property: 'service' })
  serviceId?: string | null;

  @Field(() => [IdOrKeyScalar], {
    nullable: true,
    description: 'Incidents caused by this problem, by id or key (INC-3)',
  })
  @IsOptional()
  @ArrayMaxSize(500)
  incidentIds?: string[];
}

@InputType()
export class UpdateProblemInput extends PartialInputType(CreateProblemInput, {
  descriptions: {
    priority: null,
    incidentIds: 'Replaces the linked incidents (ids or INC keys); [] or null unlinks all',
  },
}) {
  @Field(() => ProblemStatus, { nullable: true, description: 'Moves the problem along its lifecycle' })
  status?: ProblemStatus;
}

@InputType()
export class ProblemFilter {
  @FilterIn('status', () => ProblemStatus)
  status?: ProblemStatus[];

  @FilterIn('priority', () => Severity)
  priority?: Severity[];

  @FilterIn('service', () => UuidScalar)
  serviceId?: string[];

  @FilterAfter('createdAt')
  createdAfter?: Date;

  @FilterBefore('createdAt')
  createdBefore?: Date;

  @FilterText(['title', 'description', 'rootCause', 'workaround'], {
    description: 'Text in the title, description, root cause or workaround',
  })
  @IsOptional()
  @MaxLength(200)
  q?: string;
}
