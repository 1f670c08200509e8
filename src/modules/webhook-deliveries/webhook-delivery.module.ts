import { IsOptional, Length } from 'class-validator';
import { Arg, Authorized, Ctx, Field, InputType, Mutation, Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import { CrudService } from '../crud.service.js';
import { AppError } from '../../core/errors.js';
import type { Context } from '../../api/graphql/context.js';
import { UuidScalar } from '../../core/scalars.js';
import { Role } from '../../core/roles.js';
import { restRoute } from '../../api/rest/routes.js';
import type { Clock } from '../../core/clock.js';
import { AlertRule } from '../alert-rules/alert-rule.entity.js';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity.js';

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

export class WebhookDeliveryService extends CrudService<WebhookDelivery> {
  constructor(private readonly clock: Clock) {
    super(WebhookDelivery, {
      label: 'webhook delivery',
      filters: {
        alertRuleId: { kind: 'in', property: 'alertRule' },
        status: { kind: 'in', property: 'status' },
        eventType: { kind: 'in', property: 'eventType' },
        webhookId: { kind: 'eq', property: 'webhookId' },
        createdAfter: { kind: 'after', property: 'createdAt' },
        createdBefore: { kind: 'before', property: 'createdAt' },
      },
      sort: { fields: ['createdAt', 'updatedAt'], default: '-createdAt' },
    });
  }

  /** Sends the same message (same webhook-id) again, as soon as the worker runs; its rule must be enabled. */
  async redeliver(ctx: Context, id: string): Promise<WebhookDelivery> {
    return ctx.em.transactional(async (em) => {
      const delivery = await em.findOne(WebhookDelivery, { id }, { populate: ['alertRule'] });
      if (!delivery) throw AppError.notFound('webhook delivery');
      if (delivery.status === DeliveryStatus.pending || delivery.status === DeliveryStatus.delivering) {
        throw AppError.conflict('The delivery is already queued');
      }
      const rule = delivery.alertRule as AlertRule;
      if (!rule.enabled) throw AppError.conflict('The alert rule is disabled; enable it first');
      delivery.status = DeliveryStatus.pending;
      delivery.nextAttemptAt = this.clock.now();
      delivery.attempts = 0;
      return delivery;
    });
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver extends CrudResolver({
  entity: WebhookDelivery,
  single: 'webhookDelivery',
  plural: 'webhookDeliveries',
  path: '/webhook-deliveries',
  filterInput: WebhookDeliveryFilter,
  deletable: false,
  service: (ctx) => ctx.services.webhookDeliveries,
  readRole: Role.admin,
  writeRole: Role.admin,
}) {
  @Authorized(Role.admin)
  @Mutation(() => WebhookDelivery, { description: 'Queues the same message (same webhook-id) again' })
  redeliverWebhookDelivery(@Arg('id', () => UuidScalar) id: string, @Ctx() ctx: Context): Promise<WebhookDelivery> {
    return ctx.services.webhookDeliveries.redeliver(ctx, id);
  }
}

restRoute('Mutation.redeliverWebhookDelivery', { method: 'POST', path: '/webhook-deliveries/:id/redeliver', tags: ['webhook-deliveries'] });
