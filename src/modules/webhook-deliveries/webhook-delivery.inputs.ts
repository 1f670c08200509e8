import { IsOptional, Length } from 'class-validator';
import { InputType } from 'type-graphql';
import { FilterAfter, FilterBefore, FilterEq, FilterIn } from '../list-filters.js';
import { UuidScalar } from '../../core/scalars.js';
import { DeliveryStatus } from './webhook-delivery.entity.js';

@InputType()
export class WebhookDeliveryFilter {
  @FilterIn('alertRule', () => UuidScalar)
  alertRuleId?: string[];

  @FilterIn('status', () => DeliveryStatus)
  status?: DeliveryStatus[];

  @FilterIn('eventType', () => String)
  eventType?: string[];

  @FilterEq('webhookId', () => String)
  @IsOptional()
  @Length(1, 100)
  webhookId?: string;

  @FilterAfter('createdAt')
  createdAfter?: Date;

  @FilterBefore('createdAt')
  createdBefore?: Date;
}
