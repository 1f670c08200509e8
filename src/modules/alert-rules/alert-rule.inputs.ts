import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, Length, MaxLength, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { EVENT_TYPES } from '../events/event-types.js';
import { AlertRuleConditions } from './alert-rule.entity.js';

@InputType()
export class CreateAlertRuleInput {
  @Field()
  @Length(1, 120)
  name: string;

  @Field({ nullable: true, defaultValue: true })
  enabled?: boolean;

  @Field(() => [String], { description: `Any of: ${EVENT_TYPES.join(', ')}` })
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn(EVENT_TYPES, { each: true, message: `each value must be one of ${EVENT_TYPES.join(', ')}` })
  eventTypes: string[];

  @Field(() => AlertRuleConditions, { nullable: true })
  @IsOptional()
  @ValidateNested()
  conditions?: AlertRuleConditions;

  @Field()
  @MaxLength(2000)
  targetUrl: string;
}

@InputType()
export class UpdateAlertRuleInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string;

  @Field({ nullable: true })
  enabled?: boolean;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @IsIn(EVENT_TYPES, { each: true, message: `each value must be one of ${EVENT_TYPES.join(', ')}` })
  eventTypes?: string[];

  @Field(() => AlertRuleConditions, { nullable: true })
  @IsOptional()
  @ValidateNested()
  conditions?: AlertRuleConditions;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(2000)
  targetUrl?: string;
}

@InputType()
export class AlertRuleFilter {
  @Field(() => Boolean, { nullable: true })
  enabled?: boolean;

  @Field(() => [String], { nullable: true, description: 'Rules subscribed to all of these event types' })
  eventTypes?: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
