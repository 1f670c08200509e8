import { CrudService } from '../crud.service.js';
import { AppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { Clock } from '../../core/clock.js';
import { AlertRule } from '../alert-rules/alert-rule.entity.js';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookDeliveryFilter } from './webhook-delivery.inputs.js';

export class WebhookDeliveryService extends CrudService<WebhookDelivery> {
  constructor(private readonly clock: Clock) {
    super(WebhookDelivery, {
      label: 'webhook delivery',
      filter: WebhookDeliveryFilter,
      sort: { fields: ['createdAt', 'updatedAt'], default: '-createdAt' },
    });
  }

  /** Sends the same message (same webhook-id) again, as soon as the worker runs; its rule must be enabled. */
  async redeliver(scope: Scope, id: string): Promise<WebhookDelivery> {
    return scope.em.transactional(async (em) => {
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
