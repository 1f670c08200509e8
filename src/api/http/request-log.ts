import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Level, Logger } from 'pino';

declare module 'http' {
  interface IncomingMessage {
    /** The request id: the client's X-Request-Id when it is a plain token, else a new UUID. Answered as X-Request-Id. */
    id: string;
    /** The server's logger bound to the request id; made when first used. */
    log: Logger;
  }
}

const REQUEST_ID = /^[\w.-]{1,100}$/;

/**
 * Gives every request its id (and `req.log`) and logs each completed request at `info` (`warn` for 4xx, `error` for 5xx) with its
 * method, path, status, duration and id. The log line is built only when its level is enabled: a production server
 * at `warn` pays nothing for its successful requests.
 */
export function requestLog(log: Logger, quiet: (req: Request) => boolean): RequestHandler {
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
        log[level]({
          req: { id, method: req.method, url: req.originalUrl, remoteAddress: req.socket.remoteAddress },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        }, 'request completed');
      });
    }
    next();
  };
}
