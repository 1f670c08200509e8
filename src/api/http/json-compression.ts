import compression from 'compression';
import type { RequestHandler } from 'express';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/**
 * Compresses JSON answers of 1 KB and more (REST, GraphQL, OpenAPI) with brotli (quality 4) or gzip, as the client's
 * Accept-Encoding prefers, when ARGUS_COMPRESS_JSON is on. What it costs the list throughput is measured by
 * `npm run bench` (docs/PERFORMANCE.md, "Compression"). Pages and assets are compressed once by compressed-assets.ts.
 */
export function jsonCompression(enabled: boolean): RequestHandler {
  if (!enabled) return (_req, _res, next) => next();
  return compression({
    threshold: 1024,
    filter: (_req, res) => JSON_TYPE.test(String(res.getHeader('Content-Type') ?? '')),
  });
}
