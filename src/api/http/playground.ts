import { dirname } from 'node:path';
import express, { Router } from 'express';
import type { renderGraphiQL as RenderGraphiQL } from '@graphql-yoga/render-graphiql';
import { CompressedAsset, compressedDirectory } from './compressed-assets.js';

let graphiqlHtml: string | undefined;

/**
 * GraphiQL with every script and style inlined from the package: it works with no network. The package (a 9 MB
 * bundle, kept in memory once loaded) is loaded on the first request for the playground, not at start.
 */
export function playgroundHtml(endpoint: string): string {
  // A deliberate lazy, synchronous load on the first request (typed by the cast): an import would load the 9 MB
  // bundle at startup.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderGraphiQL } = require('@graphql-yoga/render-graphiql') as { renderGraphiQL: typeof RenderGraphiQL };
  graphiqlHtml ??= renderGraphiQL({
    title: 'Argus GraphQL',
    endpoint,
    defaultQuery: `# Sign in with the mutation login (or use the REST /api/v1/auth/login),
# then add the header {"Authorization": "Bearer <access_token>"} below.
query OpenIncidents {
  incidents(filter: { status: [open, acknowledged, investigating] }, limit: 10, sort: "-created_at") {
    total
    nextCursor
    items { key title severity status startedAt service { name } }
  }
}
`,
  });
  return graphiqlHtml;
}

let playgroundAsset: CompressedAsset | undefined;

/**
 * Sends the GraphiQL page compressed (src/http/compressed-assets.ts). `no-cache`: a browser revalidates with its ETag
 * and gets a 304; `Vary: Accept` because the same URL answers GraphQL requests with JSON.
 */
export function sendPlayground(
  req: express.Request,
  res: express.Response,
  next: express.NextFunction,
  endpoint: string,
): void {
  playgroundAsset ??= new CompressedAsset(() => playgroundHtml(endpoint), 'text/html; charset=utf-8', 'no-cache');
  playgroundAsset.send(req, res, ['Accept']).catch(next);
}

/** True when a browser navigates to the endpoint (it asks for HTML and sends no GraphQL query). */
export function wantsPlayground(req: express.Request): boolean {
  return (
    req.method === 'GET' &&
    !req.query.query &&
    req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html'
  );
}

/**
 * The browsable REST reference at /api/v1/docs: Swagger UI served from swagger-ui-dist, no CDN. `validatorUrl: null`:
 * Swagger UI would otherwise send the document's URL to validator.swagger.io from any page not on localhost.
 */
export function apiDocsRouter(openApiUrl: string): Router {
  const router = express.Router();
  const assets = dirname(require.resolve('swagger-ui-dist/package.json'));
  const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Argus REST API</title>
  <link rel="stylesheet" href="docs/assets/swagger-ui.css" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: ${JSON.stringify(openApiUrl)}, dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });
  </script>
</body>
</html>`;
  router.get(['/docs', '/docs/'], (_req, res) => {
    res.type('html').send(page.replaceAll('docs/assets/', '/api/v1/docs/assets/'));
  });
  // The assets of the installed swagger-ui-dist version, compressed; a day in caches.
  router.use('/docs/assets', compressedDirectory(assets, 'public, max-age=86400'));
  return router;
}
