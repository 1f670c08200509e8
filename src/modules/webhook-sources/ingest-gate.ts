import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../core/errors.js';
import type { InboundLimits } from '../../config/env.js';

const MAX_RETRY_AFTER_SECONDS = 30;

interface Waiter {
  sourceId: string;
  alerts: number;
  start: () => void;
}

/**
 * What stands between a verified source and the database, in this process: a budget of alerts per source (counted
 * over a window of `rateWindowSeconds`), at most `concurrency` ingest transactions at once, and a bounded FIFO of the
 * requests that wait for one, counted in alerts, overall and per source. A request over any of these is refused with
 * 429 RATE_LIMITED and a Retry-After, before it has touched the database: the sender retries, nothing was half-done.
 */
export class IngestGate {
  private readonly perSource: RateLimiterMemory | null;
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private queuedAlerts = 0;
  private readonly queuedBySource = new Map<string, number>();
  /** Recent milliseconds one alert held a slot (moving average): how fast the queue drains, for Retry-After. */
  private msPerAlert = 5;

  constructor(private readonly limits: InboundLimits) {
    this.perSource =
      limits.ratePerSource > 0
        ? new RateLimiterMemory({
            keyPrefix: 'inbound-source',
            points: limits.ratePerSource * limits.rateWindowSeconds,
            duration: limits.rateWindowSeconds,
          })
        : null;
  }

  /** Spends `alerts` from the source's budget; refused with the wait until the window has room again. */
  async spend(sourceId: string, alerts: number): Promise<void> {
    if (!this.perSource) return;
    // A notification larger than a whole window (a big Alertmanager group) passes when the window is untouched, and
    // spends all of it; otherwise it could never pass.
    const points = Math.min(Math.max(1, alerts), this.limits.ratePerSource * this.limits.rateWindowSeconds);
    try {
      await this.perSource.consume(sourceId, points);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      // A refused request spends nothing: what it carried is sent again later, and counted then.
      await this.perSource.reward(sourceId, points);
      throw refusal(
        `This source sent more than ${this.limits.ratePerSource} alerts a second`,
        rejection.msBeforeNext / 1000,
      );
    }
  }

  /** Runs `work` when a slot is free, or refuses at once when the queue it would wait in is full. */
  async run<T>(sourceId: string, alerts: number, work: () => Promise<T>): Promise<T> {
    await this.enter(sourceId, alerts);
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.msPerAlert = 0.9 * this.msPerAlert + 0.1 * ((performance.now() - started) / Math.max(1, alerts));
      this.leave();
    }
  }

  /** Alerts waiting now, overall (for tests and metrics). */
  get queued(): number {
    return this.queuedAlerts;
  }

  private enter(sourceId: string, alerts: number): Promise<void> {
    if (this.running < this.limits.concurrency && this.waiting.length === 0) {
      this.running++;
      return Promise.resolve();
    }
    const mine = this.queuedBySource.get(sourceId) ?? 0;
    // An empty queue takes any one request, however many alerts it carries: otherwise a large one could never pass.
    const overall = this.queuedAlerts > 0 && this.queuedAlerts + alerts > this.limits.queue;
    const ownShare = mine > 0 && mine + alerts > this.limits.queuePerSource;
    if (overall || ownShare || this.limits.queue === 0 || this.limits.queuePerSource === 0) {
      const seconds = ((this.queuedAlerts + alerts) * this.msPerAlert) / this.limits.concurrency / 1000;
      throw refusal(
        overall || this.limits.queue === 0
          ? 'Argus is taking in alerts as fast as it can'
          : 'This source has too many alerts waiting',
        seconds,
      );
    }
    this.queuedAlerts += alerts;
    this.queuedBySource.set(sourceId, mine + alerts);
    return new Promise((resolve) => this.waiting.push({ sourceId, alerts, start: resolve }));
  }

  private leave(): void {
    const next = this.waiting.shift();
    if (!next) {
      this.running--;
      return;
    }
    this.queuedAlerts -= next.alerts;
    const left = (this.queuedBySource.get(next.sourceId) ?? 0) - next.alerts;
    if (left > 0) this.queuedBySource.set(next.sourceId, left);
    else this.queuedBySource.delete(next.sourceId);
    next.start();
  }
}

function refusal(message: string, seconds: number): AppError {
  const wait = Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds)));
  return new AppError('RATE_LIMITED', `${message}; try again in ${wait} s`, undefined, { 'Retry-After': String(wait) });
}
