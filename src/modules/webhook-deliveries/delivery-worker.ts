import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import { AlertRule } from '../alert-rules/alert-rule.entity.js';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity.js';
import { signDelivery } from './signing.js';
import { sendWebhook, SendResult } from './sender.js';
import type { TargetPolicy } from './ssrf.js';

export interface DeliveryWorkerOptions {
  timeoutMs: number;
  /** The first retry's delay; each next one doubles, up to an hour. */
  backoffMs: number;
  maxAttempts: number;
  batchSize: number;
  /** Told each attempt's outcome: the delivery's status after it (the metrics). */
  onAttempt?: (status: string) => void;
}

const MAX_BACKOFF_MS = 3600_000;
const LOG_KEEP = 20;

/** base, 2·base, 4·base … (10 s, 20 s, 40 s by default), at most an hour. */
export function backoffMs(attempt: number, base: number): number {
  return Math.min(MAX_BACKOFF_MS, base * 2 ** Math.max(0, attempt - 1));
}

/** Retry-After as seconds or an HTTP date; capped at an hour. */
export function retryAfterMs(header: string | string[] | undefined, now: Date): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now.getTime();
  return Number.isFinite(ms) ? Math.min(MAX_BACKOFF_MS, Math.max(0, ms)) : undefined;
}

/**
 * Sends what the outbox holds. Each delivery is leased with a single UPDATE … FOR UPDATE SKIP LOCKED, so any number
 * of workers in any number of processes share the work without sending one twice at the same time; a delivery is
 * only taken when no earlier one of the same rule and incident is still open, which keeps per-incident order.
 */
export class DeliveryWorker {
  constructor(
    private readonly orm: MikroORM,
    private readonly targets: TargetPolicy,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: DeliveryWorkerOptions,
  ) {}

  /** Delivers what is due now; returns how many deliveries were attempted. */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    const leased = await this.lease(now);
    await Promise.all(leased.map((id) => this.deliver(id)));
    return leased.length;
  }

  private async lease(now: Date): Promise<string[]> {
    const leaseUntil = new Date(now.getTime() + this.options.timeoutMs * 2 + 5_000);
    const rows = await this.orm.em.getConnection().execute<{ id: string }[]>(
      `update webhook_deliveries d set status = 'delivering', lease_until = ?
       where d.id in (
         select c.id from webhook_deliveries c
         where ((c.status = 'pending' and c.next_attempt_at <= ?) or (c.status = 'delivering' and c.lease_until < ?))
           and not exists (
             select 1 from webhook_deliveries e
             where e.alert_rule_id = c.alert_rule_id and e.ordering_key = c.ordering_key
               and e.seq < c.seq and e.status in ('pending', 'delivering'))
         order by c.seq
         limit ?
         for update skip locked)
       returning d.id`,
      [leaseUntil, now, now, this.options.batchSize],
    );
    return rows.map((r) => r.id);
  }

  private async deliver(id: string): Promise<void> {
    const em = this.orm.em.fork();
    const delivery = await em.findOne(
      WebhookDelivery,
      { id },
      { filters: false, populate: ['alertRule', 'alertRule.signingSecret', 'alertRule.previousSigningSecret'] },
    );
    if (!delivery) return;
    const rule = delivery.alertRule as AlertRule;
    const now = this.clock.now();
    const body = JSON.stringify(delivery.payload);
    let result: SendResult;
    if (!rule.enabled) {
      result = { statusCode: null, headers: {}, excerpt: null, error: 'alert rule is disabled', durationMs: 0 };
    } else {
      const secrets = [rule.signingSecret];
      if (rule.previousSigningSecret && rule.previousSecretExpiresAt && rule.previousSecretExpiresAt > now)
        secrets.push(rule.previousSigningSecret);
      const headers = {
        'webhook-id': delivery.webhookId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signDelivery(secrets, delivery.webhookId, now, body),
      };
      result = await sendWebhook(this.targets, rule.targetUrl, headers, body, this.options.timeoutMs);
    }
    this.record(delivery, rule, result, now);
    await em.flush();
    this.options.onAttempt?.(delivery.status);
    this.log.info(
      {
        deliveryId: delivery.id,
        webhookId: delivery.webhookId,
        status: delivery.status,
        statusCode: result.statusCode,
        attempts: delivery.attempts,
      },
      'webhook delivery attempt',
    );
  }

  /** Decides what an answer means: 2xx done; 410 disables the rule; other 4xx but 429 final; else retry. */
  private record(delivery: WebhookDelivery, rule: AlertRule, result: SendResult, now: Date): void {
    delivery.attempts += 1;
    delivery.lastStatusCode = result.statusCode;
    delivery.lastError = result.error;
    delivery.leaseUntil = null;
    delivery.attemptLog = [
      ...delivery.attemptLog,
      {
        attempt: delivery.attempts,
        at: now,
        durationMs: Math.round(result.durationMs * 10) / 10,
        statusCode: result.statusCode,
        error: result.error,
        responseExcerpt: result.excerpt,
      },
    ].slice(-LOG_KEEP);
    const code = result.statusCode;
    if (code !== null && code >= 200 && code < 300) {
      delivery.status = DeliveryStatus.succeeded;
      delivery.deliveredAt = now;
      delivery.nextAttemptAt = null;
      return;
    }
    if (!rule.enabled) {
      delivery.status = DeliveryStatus.failed;
      delivery.nextAttemptAt = null;
      return;
    }
    if (code === 410) {
      rule.enabled = false;
      rule.disabledReason = `The target answered 410 Gone at ${now.toISOString()}`;
      delivery.status = DeliveryStatus.failed;
      delivery.nextAttemptAt = null;
      return;
    }
    const retryable = code === null || code === 429 || code >= 500 || code === 408;
    if (!retryable || delivery.attempts >= this.options.maxAttempts) {
      delivery.status = DeliveryStatus.failed;
      delivery.nextAttemptAt = null;
      return;
    }
    const wait =
      (code === 429 || code === 503 ? retryAfterMs(result.headers['retry-after'], now) : undefined) ??
      backoffMs(delivery.attempts, this.options.backoffMs);
    delivery.status = DeliveryStatus.pending;
    delivery.nextAttemptAt = new Date(now.getTime() + wait);
  }
}
