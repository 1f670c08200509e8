import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Length, Max, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { UuidScalar } from '../../core/scalars.js';

export const MAX_LEVELS = 20;
export const MAX_TARGETS = 50;
export const MAX_REPEAT = 5;
export const MAX_DELAY_MINUTES = 1440;

@InputType()
export class EscalationLevelInput {
  @Field(() => Int, { description: `Minutes this level has to acknowledge before the next one is paged, 1–${MAX_DELAY_MINUTES}` })
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

  @Field(() => UuidScalar, { nullable: true })
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
export class UpdateEscalationPolicyInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string;

  @Field(() => UuidScalar, { nullable: true })
  teamId?: string | null;

  @Field(() => [EscalationLevelInput], { nullable: true, description: 'Replaces every level' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LEVELS)
  @ValidateNested()
  levels?: EscalationLevelInput[];

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_REPEAT)
  repeat?: number;
}

@InputType()
export class EscalationPolicyFilter {
  @Field(() => [UuidScalar], { nullable: true })
  teamId?: string[];

  @Field(() => String, { nullable: true, description: 'Text in the name' })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
