import type { ModuleManifest } from '../../core/module-manifest.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookDeliveryResolver } from './webhook-delivery.resolver.js';

export const webhookDeliveriesModule: ModuleManifest = {
  name: 'webhook-deliveries',
  entities: [WebhookDelivery],
  resolvers: [WebhookDeliveryResolver],
};
