import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { bearerOf } from './credentials.js';
import { AppError } from '../../core/errors.js';
import { sendError } from './error-response.js';

/**
 * Process-wide metrics (CPU, memory, heap, GC, event-loop lag), collected once per process whatever the number of
 * apps in it (the tests start many): prom-client's defaults, with `nodejs_eventloop_lag_seconds` and its percentiles.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 10 });
  }
  return processRegistry;
}

/** What the gauges read at scrape time. */
export interface MetricsSources {
  orm: MikroORM;
  /** The similar-incident indexes this process holds. */
  similarIndexes(): Array<{ size: number; pending: number }>;
  /** Inbound alerts waiting for an ingest transaction in this process. */
  inboundQueued?(): number;
}

/** The pool of the knex client under MikroORM (tarn.js). */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
  max: number;
}

/** Distinct GraphQL operation names kept as label values; later names are counted as `other`. */
const MAX_OPERATION_NAMES = 200;
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The Prometheus metrics of one app (GET /metrics): HTTP requests by route and status, GraphQL operations by name,
 * the PostgreSQL pool, the webhook outbox and its delivery outcomes, background job runs, the similar-incident indexes
 * of this process, and the process-wide defaults. Label values are bounded: routes are the app's route patterns,
 * operation names are capped.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly graphqlDuration: Histogram<'operation' | 'type' | 'outcome'>;
  private readonly deliveries: Counter<'outcome'>;
  private readonly jobRuns: Counter<'job' | 'outcome'>;
  private readonly jobDuration: Histogram<'job'>;
  private readonly operationNames = new Set<string>();

  constructor(private readonly sources: MetricsSources) {
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'argus_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.graphqlDuration = new Histogram({
      name: 'argus_graphql_operation_duration_seconds',
      help: 'GraphQL operations on /graphql by operation name (<anonymous>, <invalid>, or other past 200 names), type and outcome',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.deliveries = new Counter({
      name: 'argus_webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts by outcome: succeeded, retry (scheduled again), failed (given up)',
      labelNames: ['outcome'],
      registers,
    });
    this.jobRuns = new Counter({
      name: 'argus_job_runs_total',
      help: 'Background job runs in this process by job and outcome',
      labelNames: ['job', 'outcome'],
      registers,
    });
    this.jobDuration = new Histogram({
      name: 'argus_job_run_duration_seconds',
      help: 'Background job run time',
      labelNames: ['job'],
      buckets: SECONDS_BUCKETS,
      registers,
    });

    const pool = () => (sources.orm.em.getConnection().getKnex().client as { pool?: TarnPool }).pool;
    new Gauge({
      name: 'argus_db_pool_connections',
      help: 'PostgreSQL connections of this process by state (used, free) and the pool maximum (max)',
      labelNames: ['state'],
      registers,
      collect() {
        const p = pool();
        this.set({ state: 'used' }, p?.numUsed() ?? 0);
        this.set({ state: 'free' }, p?.numFree() ?? 0);
        this.set({ state: 'max' }, p?.max ?? 0);
      },
    });
    new Gauge({
      name: 'argus_db_pool_pending_acquires',
      help: 'Queries waiting for a PostgreSQL connection of this process',
      registers,
      collect() {
        const p = pool();
        this.set((p?.numPendingAcquires() ?? 0) + (p?.numPendingCreates() ?? 0));
      },
    });
    const connection = () => sources.orm.em.getConnection();
    new Gauge({
      name: 'argus_webhook_outbox_deliveries',
      help: 'Webhook deliveries not finished, all organizations: pending (due or waiting for a retry) and delivering',
      labelNames: ['status'],
      registers,
      async collect() {
        // The database unreachable: the last values stay (/readyz says why); the other metrics still answer.
        const rows = await connection()
          .execute<{ status: string; n: string }[]>(
            `select status, count(*) as n from webhook_deliveries where status in ('pending', 'delivering') group by status`,
          )
          .catch(() => null);
        if (!rows) return;
        this.set({ status: 'pending' }, 0);
        this.set({ status: 'delivering' }, 0);
        for (const row of rows) this.set({ status: row.status }, Number(row.n));
      },
    });
    new Gauge({
      name: 'argus_webhook_outbox_oldest_due_seconds',
      help: 'How long the oldest due pending delivery has waited past its attempt time (0 when none is due)',
      registers,
      async collect() {
        const rows = await connection()
          .execute<{ s: string | null }[]>(
            `select extract(epoch from (now() - min(next_attempt_at))) as s from webhook_deliveries where status = 'pending' and next_attempt_at <= now()`,
          )
          .catch(() => null);
        if (rows) this.set(Math.max(0, Number(rows[0]?.s ?? 0)));
      },
    });
    new Gauge({
      name: 'argus_similar_index_incidents',
      help: 'Incidents in the similar-incident indexes this process holds (in_graph or pending, not yet in the graph)',
      labelNames: ['state'],
      registers,
      collect() {
        let size = 0;
        let pending = 0;
        for (const index of sources.similarIndexes()) {
          size += index.size;
          pending += index.pending;
        }
        this.set({ state: 'in_graph' }, size - pending);
        this.set({ state: 'pending' }, pending);
      },
    });
    new Gauge({
      name: 'argus_inbound_alerts_waiting',
      help: 'Inbound alerts waiting for an ingest transaction in this process (past ARGUS_INBOUND_QUEUE, senders get 429)',
      registers,
      collect() {
        this.set(sources.inboundQueued?.() ?? 0);
      },
    });
    new Gauge({
      name: 'argus_similar_indexes',
      help: 'Organizations whose similar-incident index this process holds',
      registers,
      collect() {
        this.set(sources.similarIndexes().length);
      },
    });
  }

  /** Times every request; the route is the pattern that answered (REST routes set res.locals.route). */
  http(): RequestHandler {
    return (req, res, next) => {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.httpDuration.observe(
          { method: methodLabel(req.method), route: routeLabel(req, res), status: String(res.statusCode) },
          seconds,
        );
      });
      next();
    };
  }

  /** An Apollo plugin timing each operation from the request's start to the response. */
  graphqlPlugin<T extends object>(): ApolloServerPlugin<T> {
    return {
      requestDidStart: async () => {
        const started = process.hrtime.bigint();
        return {
          willSendResponse: async (rc) => {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            const operation = rc.operation ? this.operationLabel(rc.operationName ?? null) : '<invalid>';
            const type = rc.operation?.operation ?? 'none';
            const outcome =
              rc.errors?.length || (rc.response.body.kind === 'single' && rc.response.body.singleResult.errors?.length)
                ? 'error'
                : 'ok';
            this.graphqlDuration.observe({ operation, type, outcome }, seconds);
          },
        };
      },
    };
  }

  /** A delivery attempt's outcome, by the delivery's status after it. */
  deliveryAttempt(status: string): void {
    this.deliveries.inc({ outcome: status === 'pending' ? 'retry' : status });
  }

  /** Wraps a background job's work: runs, failures and duration. */
  job<T>(name: string, work: () => Promise<T>): () => Promise<T> {
    return async () => {
      const end = this.jobDuration.startTimer({ job: name });
      try {
        const result = await work();
        this.jobRuns.inc({ job: name, outcome: 'ok' });
        return result;
      } catch (error) {
        this.jobRuns.inc({ job: name, outcome: 'error' });
        throw error;
      } finally {
        end();
      }
    };
  }

  /** The text exposition of this app's metrics and the process's. */
  async text(): Promise<{ contentType: string; body: string }> {
    const merged = Registry.merge([processMetrics(), this.registry]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }

  /**
   * GET /metrics. With a token: only `Authorization: Bearer <token>` (401 otherwise). Without: only clients whose
   * address (after ARGUS_TRUST_PROXY) is loopback (403 otherwise).
   */
  handler(token: string | undefined): RequestHandler {
    const expected = token ? digest(token) : undefined;
    return async (req, res, next) => {
      try {
        if (expected) {
          const bearer = bearerOf(req);
          if (bearer.kind !== 'token' || !timingSafeEqual(digest(bearer.token), expected)) {
            const message = 'The metrics need the bearer token set in ARGUS_METRICS_TOKEN';
            sendError(
              res,
              new AppError('UNAUTHENTICATED', message, undefined, { 'WWW-Authenticate': 'Bearer realm="metrics"' }),
            );
            return;
          }
        } else if (!isLoopback(req.ip)) {
          const message =
            'The metrics answer loopback clients only; set ARGUS_METRICS_TOKEN to scrape them from elsewhere';
          sendError(res, new AppError('FORBIDDEN', message));
          return;
        }
        const { contentType, body } = await this.text();
        res.setHeader('Cache-Control', 'no-store');
        res.type(contentType).send(body);
      } catch (error) {
        next(error);
      }
    };
  }

  private operationLabel(name: string | null): string {
    if (!name) return '<anonymous>';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES || name.length > 100) return 'other';
    this.operationNames.add(name);
    return name;
  }
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'other';
}

/**
 * The route pattern that answered: what the REST boundary recorded, else Express's route (mount path + pattern), else
 * the mount path of the middleware that answered (/graphql, the docs assets). Unknown paths are `unmatched`, so a
 * scan of random URLs adds no label values.
 */
function routeLabel(req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]): string {
  const recorded: unknown = res.locals.route;
  if (typeof recorded === 'string') return recorded;
  const route = (req as { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  if (res.statusCode === 404 || !req.baseUrl) return 'unmatched';
  return req.baseUrl;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}
