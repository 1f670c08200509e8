import { existsSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { Express, NextFunction, Request, Response } from 'express';

/** The console's build (`npm run build:console`): frontend/dist beside src/ and dist/. */
export const CONSOLE_DIR = resolve(__dirname, '..', '..', '..', 'frontend', 'dist');

/** Paths the API owns: never answered with the console's page. */
const API_PATHS = /^\/(graphql|api\/|healthz|readyz)/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * Serves the console at `/`: its files (hashed assets cached for a year, the rest revalidated), the .br or .gz
 * written beside each at build time when the client accepts it, and index.html for any other page a browser asks
 * for (client-side routes such as /incidents/INC-3). Returns false, mounting nothing, when the console is not built.
 */
export function mountConsole(app: Express, dir: string = process.env.ARGUS_CONSOLE_DIR || CONSOLE_DIR): boolean {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return false;

  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (API_PATHS.test(req.path)) return next();
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const file = resolve(root, `.${path}`);
    if (path !== '/' && file.startsWith(root + sep) && isFile(file)) {
      return sendFile(req, res, next, file, path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE);
    }
    if (path.startsWith('/assets/')) return next();
    // A page of the console: only for a browser asking for HTML, so API clients keep their JSON answers.
    if (req.accepts(['json', 'html']) !== 'html') return next();
    return sendFile(req, res, next, index, REVALIDATE);
  });
  return true;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function sendFile(req: Request, res: Response, next: NextFunction, file: string, cacheControl: string): void {
  const encoding = (['br', 'gzip'] as const).find(
    (e) => req.acceptsEncodings(e) === e && isFile(`${file}.${e === 'br' ? 'br' : 'gz'}`),
  );
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Vary', 'Accept-Encoding');
  res.type(extname(file));
  if (file.endsWith('.html')) {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
  }
  if (encoding) res.setHeader('Content-Encoding', encoding);
  const path = encoding ? `${file}.${encoding === 'br' ? 'br' : 'gz'}` : file;
  res.sendFile(path, { cacheControl: false, dotfiles: 'deny' }, (error) => {
    if (error && !res.headersSent) next(error);
  });
}
