import type { GraphQLSchema } from 'graphql';
import express, { Express, NextFunction, Request, Response } from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import { getSchema } from './schema.js';
import { Context, createContext } from '../api/graphql/context.js';
import { formatGraphQLError } from '../core/errors.js';
import { compiledReadsPlugin } from '../db/fast/compiled-reads.js';
import { requestLog } from '../api/http/request-log.js';
import { TokenService } from '../modules/auth/tokens.js';
import { TokenCheckCache } from '../modules/auth/token-check-cache.js';
import { createServices, Services } from './services.js';
import { Clock, systemClock } from '../core/clock.js';
import { RecordView } from '../api/rest/record-view.js';
import { EventPublisher } from '../modules/events/event-publisher.js';
import { TargetPolicy } from '../modules/webhook-deliveries/ssrf.js';
import { DeliveryWorker } from '../modules/webhook-deliveries/delivery-worker.js';
import { IntervalJob } from '../core/interval-job.js';
import { REST_BASE, createRestRouter, restErrorHandler } from '../api/rest/sofa.js';
import { httpErrorBody, sendError } from '../api/http/error-response.js';
import { restRoutesOf } from '../api/rest/routes.js';
import { apiDocsRouter, sendPlayground, wantsPlayground } from '../api/http/playground.js';
import { mountConsole } from '../api/http/console.js';
import { SlaBreachJob } from '../modules/sla/sla-breach.job.js';
import {
  INBOUND_ALERTS_OPENAPI,
  inboundAlertsRouter,
  isInboundAlertPost,
} from '../modules/webhook-sources/inbound-alerts.route.js';
import { incidentImportBodies } from '../modules/incidents/incident-import.route.js';
import { SSO_OPENAPI, ssoRouter } from '../modules/sso/sso.route.js';
import { SecretBox } from '../core/secret-box.js';
import { apiTokenIdOf } from '../modules/api-tokens/api-token-auth.js';
import { createAiProvider } from '../ai/providers/index.js';
import { SimilarIncidentsService } from '../ai/similar/similar-incidents.service.js';
import { IndexChangeNotifier } from '../ai/similar/index-changes.js';
import { UnitOfWork } from '../db/unit-of-work.js';
import { IndexChangeListener } from '../ai/similar/index-listener.js';
import { LearnedSeverityClassifier } from '../ai/classify/severity-classifier.js';
import { ModelSeverityClassifier } from '../ai/classify/model-classifier.js';
import { ReembedJob } from '../ai/similar/reembed-job.js';
import { ModelVectorRescorer } from '../ai/similar/model-vectors.js';
import { DatabaseHistory } from '../ai/classify/database-history.js';
import { shippedPrior } from '../ai/classify/shipped-prior.js';
import type { SeverityPrior } from '../ai/classify/severity-prior.js';
import { WorkerSeverityFitter } from '../ai/classify/severity-fitter.js';
import { graphqlLimits } from '../api/graphql/limits.js';
import { rateLimits } from '../api/http/rate-limit.js';
import { deleteExpiredIdempotencyKeys } from '../api/idempotency/idempotency.js';
import { auditRefusedGraphQLMutations } from '../api/graphql/audit-mutations.js';
import { Metrics } from '../api/http/metrics.js';
import { jsonCompression } from '../api/http/json-compression.js';
import { useFastPaths } from '../db/fast/switches.js';
import { bearerOf } from '../api/http/credentials.js';
import { AppError } from '../core/errors.js';

export interface App {
  express: Express;
  services: Services;
  deliveryWorker: DeliveryWorker;
  /** The SLA breach job; the app runs it every ARGUS_SLA_CHECK_INTERVAL_SECONDS (tests call runOnce directly). */
  slaBreachJob: SlaBreachJob;
  /**
   * Embeds incidents with the configured models in the background, every ARGUS_EMBEDDING_JOB_INTERVAL_SECONDS (tests
   * call runOnce).
   */
  reembedJob: ReembedJob;
  stop(): Promise<void>;
}

/** Builds the HTTP application around an initialised ORM: GraphQL at /graphql, REST at /api/v1, health checks. */
export interface AppOptions {
  /** Defaults to the system clock; tests pass a ManualClock. */
  clock?: Clock;
  /**
   * The severity classifier's day-one prior; defaults to the shipped one (the evaluation rebuilds it per test period).
   */
  severityPrior?: SeverityPrior;
}

export async function createApp(config: Config, orm: MikroORM, log: Logger, options: AppOptions = {}): Promise<App> {
  useFastPaths(config.fastPaths);
  const schema = await getSchema();
  const tokens = new TokenService(config.jwt);
  const clock = options.clock ?? systemClock;
  const targets = new TargetPolicy(config.webhooks.allowHosts);
  const view = new RecordView(schema);
  const events = new EventPublisher(() => view, clock);
  // What every transaction does at its end: its last statement, the similar-index versions, then in-memory work.
  const unitOfWork = new UnitOfWork((error) => log.error({ err: error }, 'after-commit work failed'));
  orm.em.getEventManager().registerSubscriber(unitOfWork);
  // Each process keeps its similar-incident indexes in step with the others' changes through LISTEN/NOTIFY.
  const indexChanges = new IndexChangeNotifier(unitOfWork);
  const similar = new SimilarIncidentsService(orm, unitOfWork, indexChanges, log, clock);
  const indexListener = new IndexChangeListener(
    orm.config.get('clientUrl'),
    { change: (c) => similar.heard(c), resync: (r) => similar.markAllStale(r) },
    log,
  );
  await indexListener.start();
  // Large organizations' refits take seconds of CPU: in a worker thread when the compiled worker is there.
  const prior = options.severityPrior ?? shippedPrior();
  const fitScript = WorkerSeverityFitter.script();
  const fitter = fitScript ? new WorkerSeverityFitter(prior, fitScript, orm.config.get('clientUrl')) : null;
  const learned = new LearnedSeverityClassifier(new DatabaseHistory(() => orm.em.getConnection()), prior, {
    fitter: fitter?.fit,
    // The worker reads the history itself: its texts stay out of the main heap (docs/PERFORMANCE.md, Memory).
    organizationFitter: fitter?.fitOrganization,
    onError: (err, organizationId) =>
      log.warn({ err, organizationId }, 'severity model retrain failed; the previous model keeps answering'),
  });
  const ai = createAiProvider(config.ai, log);
  const classifier = new ModelSeverityClassifier(learned, ai, () => orm.em.getConnection(), {
    onCreate: config.ai.classifyOnCreate,
    createTimeoutMs: config.ai.createTimeoutMs,
  });
  if (ai.embeddingModel) similar.modelVectors = new ModelVectorRescorer(ai);
  const reembedJob = new ReembedJob(orm, similar.model, ai, log, {
    batchSize: config.ai.embeddingBatchSize,
    maxBatchesPerRun: 50,
    changes: indexChanges,
  });
  const tokenChecks = new TokenCheckCache(config.authCacheMs);
  orm.em.getEventManager().registerSubscriber(tokenChecks);
  const services = createServices({
    tokens,
    clock,
    events,
    targets,
    similar,
    classifier,
    ai,
    reembedding: reembedJob,
    unitOfWork,
    sessions: tokenChecks,
    signup: config.signup,
    inbound: config.inbound,
    secrets: new SecretBox(config.encryptionKey),
    allowHttpIssuer: config.sso.allowHttpIssuer,
  });
  const metrics = new Metrics({
    orm,
    similarIndexes: () => similar.indexStates(),
    inboundQueued: () => services.alertIngestion.queuedAlerts,
  });
  const deliveryWorker = new DeliveryWorker(orm, targets, clock, log, {
    onAttempt: (status) => metrics.deliveryAttempt(status),
    timeoutMs: config.webhooks.timeoutMs,
    maxAttempts: config.webhooks.maxAttempts,
    backoffMs: config.webhooks.backoffMs,
    batchSize: 20,
  });
  const slaBreachJob = new SlaBreachJob(orm, events);
  const jobs: IntervalJob[] = [];
  if (config.webhooks.pollMs > 0)
    jobs.push(
      new IntervalJob(
        'webhook-delivery',
        config.webhooks.pollMs,
        metrics.job('webhook-delivery', () => deliveryWorker.runOnce()),
        log,
      ),
    );
  if (config.slaCheckIntervalSeconds > 0) {
    jobs.push(
      new IntervalJob(
        'sla-breach',
        config.slaCheckIntervalSeconds * 1000,
        metrics.job('sla-breach', () => slaBreachJob.runOnce(clock.now())),
        log,
      ),
    );
  }
  // Expired Idempotency-Keys are already ignored; this only keeps their table small.
  jobs.push(
    new IntervalJob(
      'idempotency-keys',
      3600_000,
      metrics.job('idempotency-keys', () => deleteExpiredIdempotencyKeys(orm.em.fork())),
      log,
    ),
  );
  jobs.push(
    new IntervalJob(
      'sso-logins',
      3600_000,
      metrics.job('sso-logins', () => services.sso.pruneExpired(orm.em.fork())),
      log,
    ),
  );
  if (config.ai.embeddingJobIntervalSeconds > 0) {
    jobs.push(
      new IntervalJob(
        're-embedding',
        config.ai.embeddingJobIntervalSeconds * 1000,
        metrics.job('re-embedding', () => reembedJob.runOnce()),
        log,
      ),
    );
  }
  const deps = { orm, tokens, tokenChecks, services, log };
  const contextFor = (req: Request): Promise<Context> =>
    createContext(deps, {
      bearer: bearerOf(req),
      requestId: String(req.id),
      ip: req.ip,
      userAgent: req.headers['user-agent'],
      surface: req.baseUrl.startsWith(REST_BASE) ? 'rest' : 'graphql',
    });

  const apollo = new ApolloServer<Context>({
    schema,
    formatError: formatGraphQLError(() => schema, log, { hideSuggestions: config.graphql.hideSuggestions }),
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      auditRefusedGraphQLMutations,
      compiledReadsPlugin<Context>(),
      metrics.graphqlPlugin<Context>(),
    ],
    introspection: config.graphql.introspection,
    parseOptions: { maxTokens: config.graphql.maxTokens },
    // No automatic persisted queries: a hash-only request would execute a document the limits never saw.
    persistedQueries: false,
    // One operation per request: a batch would multiply every limit below by its length.
    allowBatchedHttpRequests: false,
    // Argus authenticates with bearer tokens only (no cookies), which a cross-site request cannot attach, so a request
    // that carries Authorization is not forgeable; other "simple" requests still need a preflight-forcing header.
    csrfPrevention: { requestHeaders: ['authorization', 'x-apollo-operation-name', 'apollo-require-preflight'] },
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // No ETag on API answers (docs/DECISIONS.md): hashing every body cost more than the conditional requests it allows.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.use(
    requestLog(
      log,
      (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics',
      pathWords(schema),
    ),
  );
  app.use(metrics.http());
  app.use(jsonCompression(config.compressJson));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await orm.em.getConnection().execute('select 1');
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  app.get('/metrics', metrics.handler(config.metricsToken));
  // The console (frontend/dist) for browsers; API clients asking for JSON get the index below.
  mountConsole(app);
  app.get('/', (_req, res) => {
    res.json({
      name: 'Argus',
      graphql: '/graphql',
      rest: REST_BASE,
      openapi: `${REST_BASE}/openapi.json`,
      docs: `${REST_BASE}/docs`,
    });
  });

  // A verified monitoring tool is limited per source by the inbound route, never as anonymous traffic.
  const limits = rateLimits({
    orm,
    tokens,
    config: config.rateLimit,
    log,
    exempt: isInboundAlertPost,
    apiTokenId: (token) => apiTokenIdOf(orm.em.fork(), token),
  });
  const limiter = limits.middleware;
  app.use('/graphql', (req, res, next) => {
    if (config.graphql.playground && wantsPlayground(req)) {
      sendPlayground(req, res, next, '/graphql');
      return;
    }
    next();
  });
  app.use(
    '/graphql',
    limiter,
    express.json({ limit: config.bodyLimit }),
    graphqlLimits(schema, config.graphql),
    expressMiddleware(apollo, { context: ({ req }) => contextFor(req) }),
  );
  app.use('/graphql', graphqlHttpErrorHandler);

  app.use(REST_BASE, limiter);
  // Inbound alerts need the raw bytes a signature covers, so this one route comes before the JSON-parsing REST
  // boundary.
  app.use(
    inboundAlertsRouter({
      orm,
      ingestion: services.alertIngestion,
      bodyLimit: config.bodyLimit,
      spendAnonymous: (req, res) => limits.spendAnonymous(req, res),
    }),
  );
  // Import files (NDJSON, CSV) become the JSON body of their route before the REST boundary parses JSON.
  app.use(incidentImportBodies(config.importBodyLimit));
  // Single sign-on's browser legs answer with redirects, not JSON.
  app.use(ssoRouter({ orm, sso: services.sso, publicUrl: config.publicUrl }));
  app.use(REST_BASE, apiDocsRouter(`${REST_BASE}/openapi.json`));
  app.use(
    REST_BASE,
    createRestRouter({
      schema,
      bodyLimit: config.bodyLimit,
      context: contextFor,
      log,
      extraOpenApiPaths: { ...INBOUND_ALERTS_OPENAPI, ...SSO_OPENAPI },
    }),
  );
  app.use(REST_BASE, restErrorHandler);

  app.use((req, res) => {
    sendError(res, new AppError('NOT_FOUND', `No endpoint at ${req.method} ${req.path}`));
  });

  jobs.forEach((job) => job.start());
  return {
    express: app,
    services,
    deliveryWorker,
    slaBreachJob,
    reembedJob,
    async stop() {
      await Promise.all(jobs.map((job) => job.stop()));
      await indexListener.close();
      await similar.settle();
      learned.close();
      await learned.settle();
      await fitter?.close();
      await apollo.stop();
    },
  };
}

/** The words of every path Argus serves, which the request log shows as they are (other segments are values). */
function pathWords(schema: GraphQLSchema): Set<string> {
  const words = new Set([
    'api',
    'v1',
    'graphql',
    'openapi.json',
    'docs',
    'healthz',
    'readyz',
    'alerts',
    'webhook-sources',
    'sso',
    'start',
    'callback',
  ]);
  for (const route of restRoutesOf(schema).values())
    for (const segment of route.path.split('/')) if (segment && !segment.startsWith(':')) words.add(segment);
  return words;
}

/** Body errors on /graphql (too large, not JSON) in the GraphQL response shape, with the documented codes. */
function graphqlHttpErrorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  const body = httpErrorBody(error);
  if (body.headers) for (const [k, v] of Object.entries(body.headers)) res.setHeader(k, v);
  // GraphQL over HTTP: a client that asks for application/graphql-response+json gets it, with the 4xx status.
  const type = req.accepts(['application/json', 'application/graphql-response+json']) || 'application/json';
  res
    .status(body.status)
    .type(type)
    .send(
      JSON.stringify({
        errors: [
          {
            message: body.message,
            extensions: { code: body.code, ...(body.details ? { details: body.details } : {}) },
          },
        ],
      }),
    );
}
