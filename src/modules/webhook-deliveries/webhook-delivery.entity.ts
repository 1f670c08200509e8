import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { RelationField } from '../../db/relation-field.js';
import { AlertRule } from '../alert-rules/alert-rule.entity.js';

export enum DeliveryStatus {
  pending = 'pending',
  delivering = 'delivering',
  succeeded = 'succeeded',
  failed = 'failed',
}
registerEnumType(DeliveryStatus, { name: 'DeliveryStatus' });

@ObjectType({ description: 'One try at delivering a webhook' })
export class DeliveryAttempt {
  @Field(() => Int)
  attempt: number;

  @Field()
  at: Date;

  @Field(() => Float)
  durationMs: number;

  @Field(() => Int, { nullable: true })
  statusCode?: number | null;

  @Field(() => String, { nullable: true, description: 'Network error or refusal, if there was no answer' })
  error?: string | null;

  @Field(() => String, { nullable: true, description: 'The first 200 characters of the answer' })
  responseExcerpt?: string | null;
}

/** The outbox: written in the same transaction as the change it announces, delivered by the worker. */
@ObjectType()
@Entity({ tableName: 'webhook_deliveries' })
@Index({ properties: ['status', 'nextAttemptAt'] })
@Index({ properties: ['alertRule', 'orderingKey', 'seq'] })
export class WebhookDelivery extends TenantEntity<'status' | 'attempts' | 'attemptLog' | 'seq'> {
  @RelationField(() => AlertRule)
  @ManyToOne(() => AlertRule, { deleteRule: 'cascade' })
  alertRule: AlertRule;

  @Field(() => ID)
  alertRuleId(): string {
    return this.alertRule.id;
  }

  @Field({ description: 'The webhook-id header: the same on every retry and redelivery' })
  @Property({ type: 'text' })
  webhookId: string;

  @Field()
  @Property({ type: 'text' })
  eventType: string;

  @Field(() => GraphQLJSONObject, { description: 'The signed body' })
  @Property({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Field(() => DeliveryStatus)
  @Enum({ items: () => DeliveryStatus, nativeEnumName: 'delivery_status', default: DeliveryStatus.pending })
  status: DeliveryStatus = DeliveryStatus.pending;

  @Field(() => Int)
  @Property({ type: 'int', default: 0 })
  attempts: number = 0;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'int', nullable: true })
  lastStatusCode?: number | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt?: Date | null;

  /** Until when a worker holds a delivery it is sending; a crashed worker's hold simply runs out. */
  @Property({ type: 'timestamptz', nullable: true, hidden: true })
  leaseUntil?: Date | null;

  /** Deliveries of one rule with the same key (the incident) go out in order. */
  @Property({ type: 'text' })
  orderingKey: string;

  @Property({ type: 'bigint', autoincrement: true, hidden: true })
  seq: string;

  @Field(() => [DeliveryAttempt])
  @Property({ type: 'jsonb', default: '[]' })
  attemptLog: DeliveryAttempt[] = [];
}
