import { WebhookSourceKind } from '../webhook-source.entity.js';
import type { PayloadAdapter } from '../normalized-alert.js';
import { adaptAlertmanager } from './alertmanager.js';
import { adaptGeneric } from './generic.js';
import { adaptGrafana } from './grafana.js';

export const PAYLOAD_ADAPTERS: Record<WebhookSourceKind, PayloadAdapter> = {
  [WebhookSourceKind.generic]: adaptGeneric,
  [WebhookSourceKind.alertmanager]: adaptAlertmanager,
  [WebhookSourceKind.grafana]: adaptGrafana,
};
