import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../../config/env.js';
import type { TokenService } from '../../modules/auth/tokens.js';
import { AppError } from '../../core/errors.js';
import { clientAddress } from '../../core/client-address.js';
import { isApiToken } from '../../modules/api-tokens/api-token-auth.js';
import { bearerOf } from './credentials.js';

declare module 'http' {
  interface IncomingMessage {
    /**
     * Spends `points` more from the budget this request was counted against (each root mutation field of a GraphQL
     * request beyond the first); resolves to the refusal when the budget is spent. Absent when no budget applies.
     */
    spendRateLimit?: (points: number) => Promise<AppError | undefined>;
  }
}

/** The table the counters live in (created by the migrations), shared by every process on the database. */
export const RATE_LIMIT_TABLE = 'rate_limits';

export interface RateLimitDeps {
  orm: MikroORM;
  tokens: TokenService;
  config: Config['rateLimit'];
  log: Logger;
  /** The id of a valid API token (argus_pat_…), which has a budget of its own; undefined for any other bearer. */
  apiTokenId?: (token: string) => Promise<string | undefined>;
  /** Requests the middleware lets through uncounted: their route spends from a budget once it knows which. */
  exempt?: (req: Request) => boolean;
}

export interface RateLimits {
  middleware: RequestHandler;
  /**
   * Spends one point of the request's client-address budget (the anonymous one) and sets the RateLimit headers;
   * resolves to the refusal when it is spent. For an exempt route whose caller turned out not to be verified.
   */
  spendAnonymous(req: Request, res: Response): Promise<AppError | undefined>;
}

interface Budget {
  limiter: RateLimiterPostgres;
  points: number;
}

/**
 * Request budgets per caller, in fixed windows: a request with a valid access token spends from its user's budget,
 * any other request (no token, a bad one, login, signup, inbound alerts that do not verify) from its client IP's. The
 * counters are rows in
 * PostgreSQL, so every process of an installation counts together; if the database cannot be reached, an in-memory
 * counter of the same size stands in. Every answer carries `RateLimit-Limit`, `RateLimit-Remaining`,
 * `RateLimit-Reset` and `RateLimit-Policy`; a refusal is 429 RATE_LIMITED with `Retry-After`.
 */
export function rateLimits(deps: RateLimitDeps): RateLimits {
  const { windowSeconds, perUser, perIp } = deps.config;
  const budget = (keyPrefix: string, points: number): Budget | undefined =>
    points > 0
      ? {
          points,
          limiter: new RateLimiterPostgres({
            storeClient: deps.orm.em.getKnex(),
            storeType: 'knex',
            tableName: RATE_LIMIT_TABLE,
            tableCreated: true,
            keyPrefix,
            points,
            duration: windowSeconds,
            insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: windowSeconds }),
          }),
        }
      : undefined;
  const users = budget('user', perUser);
  const ips = budget('ip', perIp);

  /** The spender of one request against one budget; it sets the headers of the answer as it spends. */
  const spender = (res: Response, chosen: Budget, key: string) => {
    const headers = (state: RateLimiterRes) => {
      res.setHeader('RateLimit-Limit', String(chosen.points));
      res.setHeader('RateLimit-Remaining', String(Math.max(0, state.remainingPoints)));
      res.setHeader('RateLimit-Reset', String(Math.max(0, Math.ceil(state.msBeforeNext / 1000))));
      res.setHeader('RateLimit-Policy', `${chosen.points};w=${windowSeconds}`);
    };
    const spend = (points: number): Promise<AppError | undefined> =>
      chosen.limiter.consume(key, points).then(
        (state) => {
          headers(state);
          return undefined;
        },
        (rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) {
            // Both stores failed: answering is worth more than counting.
            deps.log.warn({ err: rejection }, 'rate limiter unavailable; request let through');
            return undefined;
          }
          headers(rejection);
          const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
          return new AppError('RATE_LIMITED', `Too many requests; try again in ${seconds} s`, undefined, {
            'Retry-After': String(seconds),
          });
        },
      );
    return spend;
  };

  const middleware: RequestHandler = async (req: Request, res: Response, next: NextFunction) => {
    if (deps.exempt?.(req)) {
      next();
      return;
    }
    let user: string | undefined;
    try {
      user = await callerOf(req, deps);
    } catch (error) {
      deps.log.warn({ err: error }, 'API token budget lookup failed; counted by address');
    }
    const chosen = user ? users : ips;
    if (!chosen) {
      next();
      return;
    }
    const spend = spender(res, chosen, user ?? clientAddress(req.ip));
    req.spendRateLimit = spend;
    void spend(1).then((refusal) => next(refusal));
  };
  return {
    middleware,
    spendAnonymous: (req, res) => (ips ? spender(res, ips, clientAddress(req.ip))(1) : Promise.resolve(undefined)),
  };
}

/**
 * Whose budget a request spends: the user of a verified access token (no database needed), or an API token that
 * exists (`token:<id>`: each token counts on its own); undefined for anonymous or invalid callers.
 */
async function callerOf(req: Request, deps: RateLimitDeps): Promise<string | undefined> {
  const bearer = bearerOf(req);
  if (bearer.kind !== 'token') return undefined;
  if (isApiToken(bearer.token)) {
    const id = await deps.apiTokenId?.(bearer.token);
    return id ? `token:${id}` : undefined;
  }
  try {
    return deps.tokens.verifyAccess(bearer.token).sub;
  } catch {
    return undefined;
  }
}
