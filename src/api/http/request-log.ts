import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Level, Logger } from 'pino';

declare module 'http' {
  interface IncomingMessage {
    /**
     * The request id: the client's X-Request-Id when it is a plain token, else a new UUID. Answered as X-Request-Id.
     */
    id: string;
    /** The server's logger bound to the request id; made when first used. */
    log: Logger;
  }
}

const REQUEST_ID = /^[\w.-]{1,100}$/;

/**
 * Gives every request its id (and `req.log`) and logs each completed request at `info` (`warn` for 4xx, `error` for
 * 5xx) with its
 * method, path, status, duration and id. The log line is built only when its level is enabled: a production server
 * at `warn` pays nothing for its successful requests.
 */
export function requestLog(
  log: Logger,
  quiet: (req: Request) => boolean,
  pathWords: ReadonlySet<string> = new Set(),
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', { get: () => (child ??= log.child({ reqId: id })), configurable: true });
    if (!quiet(req)) {
      const started = performance.now();
      res.on('finish', () => {
        const level: Level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
        if (!log.isLevelEnabled(level)) return;
        log[level](
          {
            // The path and the names of the query parameters, never their values (a search text, a cursor, a token).
            req: {
              id,
              method: req.method,
              url: loggedUrl(req.originalUrl, pathWords),
              remoteAddress: req.socket.remoteAddress,
            },
            res: { statusCode: res.statusCode },
            responseTime: Math.round(performance.now() - started),
          },
          'request completed',
        );
      });
    }
    next();
  };
}

const LOGGED_SEGMENT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Z]{3}-\d{1,12}|)$/i;

/**
 * A URL as the request log shows it: the path's own words (`pathWords`, the routes' segments), record ids and keys,
 * every other segment as `:value`, and the names of the query parameters without their values.
 * `/api/v1/incidents/?q=secret&limit=5` → `/api/v1/incidents/?q&limit`.
 */
export function loggedUrl(url: string, pathWords: ReadonlySet<string>): string {
  const at = url.indexOf('?');
  const path = (at < 0 ? url : url.slice(0, at))
    .split('/')
    .map((segment) => (pathWords.has(segment) || LOGGED_SEGMENT.test(segment) ? segment : ':value'))
    .join('/');
  if (at < 0) return path;
  const names = url
    .slice(at + 1)
    .split('&')
    .map((pair) => pair.split('=')[0])
    .filter((name) => /^[\w.-]{1,60}$/.test(name));
  return `${path}${names.length ? `?${names.join('&')}` : ''}`;
}
