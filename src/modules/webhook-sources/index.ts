import type { ModuleManifest } from '../../core/module-manifest.js';
import { WebhookSource } from './webhook-source.entity.js';
import { Alert } from './alert.entity.js';
import { WebhookReceipt } from './webhook-receipt.entity.js';
import { WebhookSourceResolver } from './webhook-source.resolver.js';

export const webhookSourcesModule: ModuleManifest = {
  name: 'webhook-sources',
  entities: [WebhookSource, Alert, WebhookReceipt],
  resolvers: [WebhookSourceResolver],
};
