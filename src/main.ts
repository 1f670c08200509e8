import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from './config/env.js';
import { applyHeapGrowingPercent } from './config/heap.js';
import { createLogger } from './core/logger.js';
import { openDatabase } from './app/database.js';
import { createApp } from './app/app.js';
import { DEMO_LOGIN, seedDemo } from './app/demo-seed.js';
import { DEMO_SEED_LOCK_KEY, withAdvisoryLock } from './db/migrate.js';

/** Composition root: configuration → database → application → HTTP server. */
async function main(): Promise<void> {
  const config = loadConfig();
  applyHeapGrowingPercent(config.heapGrowingPercent);
  const log = createLogger(config.logLevel);
  const db = await openDatabase(config);
  log.info(
    { embedded: db.embedded },
    db.embedded ? 'embedded PostgreSQL started (no DATABASE_URL set)' : 'connected to DATABASE_URL',
  );
  const app = await createApp(config, db.orm, log);
  // Replicas starting together load the demo organization once: the second sees it under the lock and skips.
  const seeded = config.demoData
    ? await withAdvisoryLock(db.orm, DEMO_SEED_LOCK_KEY, () => seedDemo(db.orm, app.services, log))
    : false;
  const server = createServer(app.express);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const port = (server.address() as AddressInfo).port;
  const url = config.publicUrl ?? `http://localhost:${port}`;
  const lines = [
    '',
    `  Argus is running at ${url}`,
    `    GraphQL + playground  ${url}/graphql`,
    `    REST                  ${url}/api/v1   (reference: ${url}/api/v1/docs)`,
    config.demoData
      ? `    Demo login            ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}${seeded ? ' (demo data loaded)' : ''}`
      : '',
    '',
  ];
  process.stdout.write(lines.filter((l, i) => l || i === 0 || i === lines.length - 1).join('\n') + '\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // Idle keep-alive connections would hold close() open for minutes; busy ones get a few seconds to finish.
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 5000);
    await closed;
    clearTimeout(force);
    await app.stop();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Argus failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
