import express, { NextFunction, Request, Response, Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { httpErrorBody, sendError, writeError } from '../../api/http/error-response.js';
import { AppError } from '../../core/errors.js';
import { checkInputValue, decodePathSegment } from '../../core/input-bounds.js';
import { recordedAddress } from '../../core/client-address.js';
import type { SsoService } from './sso.service.js';
import { SSO_CALLBACK_PATH, SSO_COMPLETE_PATH } from './sso-paths.js';

const START_PATH = '/api/v1/auth/sso/:slug/start';

/**
 * The two browser legs of single sign-on, which answer with redirects rather than JSON: the start (to the identity
 * provider) and the provider's callback (to the console's /sso/complete with a one-time code, never a token). A
 * refusal is the documented error body and status; a browser navigating (it accepts text/html) is sent to the
 * console's /sso/complete with the error's code and message instead, so that a person sees it.
 */
export function ssoRouter(deps: { orm: MikroORM; sso: SsoService; publicUrl?: string }): Router {
  const router = express.Router();
  const callbackUrlOf = (req: Request): string => {
    const url = `${deps.publicUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host')}`}${SSO_CALLBACK_PATH}`;
    if (!URL.canParse(url)) throw AppError.validation('host', 'is not a valid host name');
    return url;
  };

  router.get(START_PATH, async (req: Request, res: Response, next: NextFunction) => {
    try {
      onlyParameters(req, []);
      const slug = decodePathSegment(String(req.params.slug), 'slug');
      const url = await deps.sso.start(deps.orm.em.fork(), slug, callbackUrlOf(req));
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(303, url);
    } catch (error) {
      next(error);
    }
  });

  router.get(SSO_CALLBACK_PATH, async (req: Request, res: Response, next: NextFunction) => {
    try {
      onlyParameters(req, [
        'code',
        'state',
        'error',
        'error_description',
        'error_uri',
        'iss',
        'session_state',
        'scope',
      ]);
      const query = new URL(req.originalUrl, 'http://argus.local').search;
      const origin = {
        ip: recordedAddress(req.ip),
        userAgent: req.get('user-agent') ?? null,
        requestId: String(req.id),
      };
      const code = await deps.sso.callback(deps.orm.em.fork(), new URL(`${callbackUrlOf(req)}${query}`), origin);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.redirect(303, `${SSO_COMPLETE_PATH}?code=${encodeURIComponent(code)}`);
    } catch (error) {
      next(error);
    }
  });

  for (const path of [START_PATH, SSO_CALLBACK_PATH]) {
    router.all(path, (req, res) => {
      sendError(
        res,
        new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}`, undefined, {
          Allow: 'GET, HEAD',
        }),
      );
    });
    router.use(path, (error: unknown, req: Request, res: Response, _next: NextFunction) => {
      const body = httpErrorBody(error);
      if (body.status >= 500) req.log.error({ err: error }, 'single sign-on failed');
      res.setHeader('Cache-Control', 'no-store');
      if (req.accepts(['json', 'html']) === 'html') {
        res.redirect(
          303,
          `${SSO_COMPLETE_PATH}?error=${encodeURIComponent(body.code)}&message=${encodeURIComponent(body.message)}`,
        );
        return;
      }
      writeError(res, body);
    });
  }
  return router;
}

/** The query parameters a route takes, each once and within the input bounds; anything else is a 400 naming it. */
function onlyParameters(req: Request, allowed: string[]): void {
  const query = new URL(req.originalUrl, 'http://argus.local').searchParams;
  const seen = new Set<string>();
  for (const [name, value] of query) {
    if (!allowed.includes(name)) throw AppError.validation(name.slice(0, 100), 'is not a parameter of this route');
    if (seen.has(name)) throw AppError.validation(name, 'must be given once');
    seen.add(name);
    const bad = checkInputValue(value, name);
    if (bad) throw bad;
    if (value.length > 2000) throw AppError.validation(name, 'is too long');
  }
}

/** The two routes in the OpenAPI document (they are not derived from GraphQL, so they are described here). */
export const SSO_OPENAPI = {
  '/api/v1/auth/sso/{slug}/start': {
    get: {
      operationId: 'startSso',
      security: [],
      tags: ['auth'],
      summary: "Starts single sign-on with the organization's identity provider: a 303 redirect to it",
      parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '303': { description: 'To the identity provider (authorization code flow with PKCE, state and nonce)' },
        '404': {
          description: 'NOT_FOUND: no organization with this slug has an identity provider',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        '502': {
          description: 'IDENTITY_PROVIDER_UNAVAILABLE',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  },
  '/api/v1/auth/sso/callback': {
    get: {
      operationId: 'ssoCallback',
      security: [],
      tags: ['auth'],
      summary:
        "The identity provider's redirect back: a 303 redirect to the console's /sso/complete?code=<one-time code>",
      parameters: ['code', 'state', 'error', 'error_description', 'iss'].map((name) => ({
        name,
        in: 'query',
        required: false,
        schema: { type: 'string' },
      })),
      responses: {
        '303': { description: 'To /sso/complete?code=… (exchange it with POST /api/v1/auth/sso/exchange within 60 s)' },
        '400': {
          description: 'VALIDATION_FAILED',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        '401': {
          description: "UNAUTHENTICATED: unknown, used or expired state; the provider's answer or ID token refused",
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        '403': {
          description:
            'FORBIDDEN: email domain not allowed, account disabled, of another organization, or not provisioned',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  },
};
