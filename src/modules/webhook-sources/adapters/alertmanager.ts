import { AppError } from '../../../core/errors.js';
import type { NormalizedAlert } from '../normalized-alert.js';
import { adaptAlertGroup } from './prometheus-style.js';

/**
 * Prometheus Alertmanager's webhook (`webhook_configs`), payload version 4: one normalized alert per alert of the
 * group. Another version is refused, since its shape is unknown.
 */
export function adaptAlertmanager(payload: unknown): NormalizedAlert[] {
  const version = (payload as { version?: unknown } | null)?.version;
  if (payload && typeof payload === 'object' && version !== undefined && version !== '4') {
    throw AppError.validation('version', 'must be "4" (the Alertmanager webhook payload version Argus reads)');
  }
  return adaptAlertGroup(payload);
}
