import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Length, Max, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { UuidScalar } from '../../core/scalars.js';
import { FilterIn, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';
import { ReferenceField } from '../reference-fields.js';
import { Team } from '../teams/team.entity.js';

export const MAX_LEVELS = 20;
export const MAX_TARGETS = 50;
export const MAX_REPEAT = 5;
export const MAX_DELAY_MINUTES = 1440;

@InputType()
export class EscalationLevelInput {
  @Field(() => Int, {
    description: `Minutes this level has to acknowledge before the next one is paged, 1–${MAX_DELAY_MINUTES}`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_DELAY_MINUTES)
  delayMinutes: number;

  @Field(() => [UuidScalar], { description: 'User ids and on-call schedule ids of the organization' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TARGETS)
  targetIds: string[];
}

@InputType()
export class CreateEscalationPolicyInput {
  @Field()
  @Length(1, 120)
  name: string;

  @ReferenceField(() => Team, { property: 'team' })
  teamId?: string | null;

  @Field(() => [EscalationLevelInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LEVELS)
  @ValidateNested()
  levels: EscalationLevelInput[];

  @Field(() => Int, { nullable: true, description: `Times the whole sequence repeats, 0–${MAX_REPEAT} (default 0)` })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_REPEAT)
  repeat?: number;
}

@InputType()
export class UpdateEscalationPolicyInput extends PartialInputType(CreateEscalationPolicyInput, {
  descriptions: { levels: 'Replaces every level', repeat: null },
}) {}

@InputType()
export class EscalationPolicyFilter {
  @FilterIn('team', () => UuidScalar)
  teamId?: string[];

  @FilterText(['name'], { description: 'Text in the name' })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
