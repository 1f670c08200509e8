import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, Length, MaxLength, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { EVENT_TYPES } from '../events/event-types.js';
import { AlertRuleConditions } from './alert-rule.entity.js';
import { FilterContains, FilterEq, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';

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
export class UpdateAlertRuleInput extends PartialInputType(CreateAlertRuleInput, {
  descriptions: { eventTypes: null },
}) {}

@InputType()
export class AlertRuleFilter {
  @FilterEq('enabled', () => Boolean)
  enabled?: boolean;

  @FilterContains('eventTypes', () => String, { description: 'Rules subscribed to all of these event types' })
  eventTypes?: string[];

  @FilterText(['name', 'targetUrl'])
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
