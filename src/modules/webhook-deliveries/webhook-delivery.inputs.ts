import { IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { UuidScalar } from '../../core/scalars.js';
import { DeliveryStatus } from './webhook-delivery.entity.js';

@InputType()
export class WebhookDeliveryFilter {
  @Field(() => [UuidScalar], { nullable: true })
  alertRuleId?: string[];

  @Field(() => [DeliveryStatus], { nullable: true })
  status?: DeliveryStatus[];

  @Field(() => [String], { nullable: true })
  eventType?: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  webhookId?: string;

  @Field(() => Date, { nullable: true })
  createdAfter?: Date;

  @Field(() => Date, { nullable: true })
  createdBefore?: Date;
}
