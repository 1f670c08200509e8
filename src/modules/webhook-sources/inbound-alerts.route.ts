import express, { NextFunction, Request, Response, Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { sendError } from '../../api/http/error-response.js';
import type { RateLimits } from '../../api/http/rate-limit.js';
import { AppError } from '../../core/errors.js';
import type { AlertIngestionService } from './alert-ingestion.service.js';

export const INBOUND_ALERTS_PATH = '/api/v1/webhook-sources/:id/alerts';
const INBOUND_POST = /^\/api\/v1\/webhook-sources\/[^/?]+\/alerts\/?(\?|$)/;

/** A post of alerts: the general rate limits leave it to this route, which knows whether its source verified. */
export const isInboundAlertPost = (req: Request): boolean =>
  req.method === 'POST' && INBOUND_POST.test(req.originalUrl);

/**
 * `POST /api/v1/webhook-sources/:id/alerts`: the one REST route that is not derived from the GraphQL schema. A Standard
 * Webhooks signature covers the exact bytes sent, which SOFA's parsed and re-serialized JSON no longer has, and the
 * caller is a monitoring tool authenticated by the source's secret, not an Argus user (docs/DECISIONS.md). The handler
 * only reads the raw body and answers; AlertIngestionService does the work.
 */
export function inboundAlertsRouter(deps: {
  orm: MikroORM;
  ingestion: AlertIngestionService;
  bodyLimit: string;
  /** The anonymous per-address budget, spent by a request whose source does not verify (429 once it is spent). */
  spendAnonymous: RateLimits['spendAnonymous'];
}): Router {
  const router = express.Router();
  const paths = INBOUND_ALERTS_PATH; // express 5 matches a trailing slash too
  router.post(
    paths,
    express.raw({ type: () => true, limit: deps.bodyLimit }),
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const summary = await deps.ingestion.ingest(
          deps.orm.em,
          { sourceId: String(req.params.id), body, headers: req.headers },
          req.log,
        );
        res.status(202).json(summary);
      } catch (error) {
        if (error instanceof AppError && error.code === 'UNAUTHENTICATED') {
          next((await deps.spendAnonymous(req, res)) ?? error);
          return;
        }
        next(error);
      }
    },
  );
  router.all(paths, (req, res) => {
    sendError(
      res,
      new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}`, undefined, { Allow: 'POST' }),
    );
  });
  router.use(paths, (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    // Fields of the monitoring tool's payload keep that tool's names (Alertmanager's `startsAt`).
    const body = sendError(res, error, 'as-sent');
    if (body.status >= 500) req.log.error({ err: error }, 'inbound alert failed');
  });
  return router;
}

/** The ingestion route in the OpenAPI document (it is not derived from GraphQL, so it is described here). */
export const INBOUND_ALERTS_OPENAPI = {
  '/api/v1/webhook-sources/{id}/alerts': {
    post: {
      operationId: 'ingestAlerts',
      tags: ['webhookSources'],
      summary: "Alerts from a monitoring tool, in the source kind's own format (generic, Alertmanager, Grafana)",
      description:
        'Authenticated by the source, not by an Argus token: Standard Webhooks headers (webhook-id, webhook-timestamp, ' +
        'webhook-signature) signed with the source secret, or `Authorization: Bearer <source token>`. A replayed ' +
        'webhook-id answers the first answer again without a second effect.',
      security: [{ webhookSourceToken: [] }, { webhookSignature: [] }],
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
      },
      responses: {
        '202': {
          description: 'Accepted; what each alert did',
          content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
        },
        '400': {
          description: 'VALIDATION_FAILED',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        '401': {
          description: 'UNAUTHENTICATED',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        '413': {
          description: 'PAYLOAD_TOO_LARGE',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        '429': {
          description:
            'RATE_LIMITED, with Retry-After: the source sent more than its rate, or ingest is behind (retry later); a request that does not verify spends the anonymous per-address budget',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        '503': {
          description:
            'BUSY, with Retry-After: the same refusals as 429, answered to Alertmanager and Grafana sources, which retry a 5xx and drop a 4xx',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  },
};
