import { ArrayMaxSize, IsInt, IsOptional, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { IdOrKeyScalar } from '../../core/scalars.js';
import { INCIDENT_KEY_PREFIX, Incident } from '../incidents/incident.entity.js';
import { FilterEq, FilterIn, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';
import { ReferenceField } from '../reference-fields.js';
import { ActionItem, PostmortemStatus, PostmortemTimelineEntry } from './postmortem.entity.js';

@InputType()
export class CreatePostmortemInput {
  @ReferenceField(() => Incident, {
    property: 'incident',
    keyPrefix: INCIDENT_KEY_PREFIX,
    required: true,
    description: 'The incident, by id or key',
  })
  incidentId: string;

  @Field()
  @Length(1, 300)
  title: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  severityImpact?: string | null;

  @Field(() => [PostmortemTimelineEntry], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  timeline?: PostmortemTimelineEntry[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  rootCause?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @Length(1, 2000, { each: true })
  contributingFactors?: string[];

  @Field(() => [ActionItem], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  actionItems?: ActionItem[];

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5_256_000)
  durationMinutes?: number | null;
}

@InputType()
export class UpdatePostmortemInput extends PartialInputType(CreatePostmortemInput, { omit: ['incidentId'] }) {
  @Field(() => PostmortemStatus, { nullable: true, description: 'draft ⇄ in_review → published; published is final' })
  status?: PostmortemStatus;
}

@InputType()
export class PostmortemFilter {
  @FilterIn('incident', () => IdOrKeyScalar, { keyPrefix: INCIDENT_KEY_PREFIX })
  incidentId?: string[];

  @FilterIn('status', () => PostmortemStatus)
  status?: PostmortemStatus[];

  @FilterEq('aiGenerated', () => Boolean)
  aiGenerated?: boolean;

  @FilterText(['title', 'rootCause', 'severityImpact'])
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
