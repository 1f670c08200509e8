import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import type { Context } from '../../api/graphql/context.js';
import { UuidScalar } from '../../core/scalars.js';
import { Role } from '../../core/roles.js';
import { RestRoute } from '../../api/rest/routes.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookDeliveryFilter } from './webhook-delivery.inputs.js';

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
  @RestRoute({ method: 'POST', path: '/webhook-deliveries/:id/redeliver', tags: ['webhook-deliveries'] })
  redeliverWebhookDelivery(@Arg('id', () => UuidScalar) id: string, @Ctx() ctx: Context): Promise<WebhookDelivery> {
    return ctx.services.webhookDeliveries.redeliver(ctx, id);
  }
}
