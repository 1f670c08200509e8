import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Request, RequestHandler, Response } from 'express';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

type Encoding = 'br' | 'gzip' | 'identity';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
/** Already compressed formats gain nothing from a second pass. */
const INCOMPRESSIBLE = new Set(['image/png']);

/**
 * A static body served compressed: brotli or gzip as the request's Accept-Encoding prefers, each made once on the
 * first request that asks for it and kept in memory (brotli quality 5, gzip level 6: the GraphiQL page's 9 MB become
 * about 2 MB in half a second; brotli's quality 11 would take about a minute for 12% less, docs/DECISIONS.md "Static
 * pages and assets"). Strong ETag over the uncompressed body, `Vary: Accept-Encoding`, and a 304 for If-None-Match.
 */
export class CompressedAsset {
  private body?: Buffer;
  private etag?: string;
  private readonly variants = new Map<Exclude<Encoding, 'identity'>, Promise<Buffer>>();

  constructor(
    private readonly load: () => Buffer | string,
    readonly type: string,
    /** Cache-Control of the answer. */
    private readonly cacheControl: string,
  ) {}

  async send(req: Request, res: Response, extraVary: string[] = []): Promise<void> {
    const body = (this.body ??= toBuffer(this.load()));
    this.etag ??= `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    res.setHeader('Vary', ['Accept-Encoding', ...extraVary].join(', '));
    res.setHeader('Cache-Control', this.cacheControl);
    res.setHeader('ETag', this.etag);
    if (matches(req.headers['if-none-match'], this.etag)) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', this.type);
    const encoding: Encoding =
      INCOMPRESSIBLE.has(this.type) || body.length < 1024 ? 'identity' : pickEncoding(req.headers['accept-encoding']);
    const out = encoding === 'identity' ? body : await this.variant(encoding, body);
    if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
    res.setHeader('Content-Length', out.length);
    res.status(200).end(req.method === 'HEAD' ? undefined : out);
  }

  private variant(encoding: 'br' | 'gzip', body: Buffer): Promise<Buffer> {
    let made = this.variants.get(encoding);
    if (!made) {
      made =
        encoding === 'br'
          ? brotli(body, {
              params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
            })
          : gzipAsync(body, { level: 6 });
      // A failed compression is not kept: the next request tries again.
      made.catch(() => this.variants.delete(encoding));
      this.variants.set(encoding, made);
    }
    return made;
  }
}

/**
 * The files at the top of `dir` (a package's folder of built assets), each a CompressedAsset read on first request.
 * Only names listed at start are served, so a request path never reaches the file system.
 */
export function compressedDirectory(dir: string, cacheControl: string): RequestHandler {
  const assets = new Map<string, CompressedAsset>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const type = TYPES[extname(entry.name)] ?? 'application/octet-stream';
    assets.set(entry.name, new CompressedAsset(() => readFileSync(join(dir, entry.name)), type, cacheControl));
  }
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const asset = assets.get(req.path.slice(1));
    if (!asset) return next();
    asset.send(req, res).catch(next);
  };
}

/**
 * Brotli when the client accepts it at least as much as gzip (browsers list gzip first with equal weight), else gzip,
 * else the body as it is. Unknown or malformed parts of the header are ignored.
 */
export function pickEncoding(header: string | undefined): Encoding {
  const q: Record<string, number> = {};
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const weight = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    q[name] = weight === undefined ? 1 : Number(weight);
  }
  const of = (name: string) => q[name] ?? q['*'] ?? 0;
  const br = of('br');
  const gz = of('gzip');
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return 'identity';
}

function toBuffer(body: Buffer | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}
