import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../src/config/env.js';
import { ormOptions } from '../src/app/mikro-orm.config.js';
import { createApp } from '../src/app/app.js';
import { createLogger } from '../src/core/logger.js';

export interface CountingArgus {
  url: string;
  /** SQL statements the application ran while `fn` ran. */
  count(fn: () => Promise<unknown>): Promise<{ statements: number; sql: string[] }>;
  close(): Promise<void>;
}

/**
 * Argus in this process with MikroORM's query logger on, to count the SQL statements of a request. Separate from the
 * server that is measured for throughput, whose numbers the logger would distort.
 */
export async function startCountingArgus(env: Record<string, string>): Promise<CountingArgus> {
  const config = loadConfig({
    ...env,
    LOG_LEVEL: 'silent',
    ARGUS_DEMO_DATA: 'false',
    ARGUS_WEBHOOK_POLL_MS: '0',
    ARGUS_SLA_CHECK_INTERVAL_SECONDS: '0',
  });
  let lines: string[] | null = null;
  const orm = await MikroORM.init(
    ormOptions(config.databaseUrl!, { debug: ['query'], logger: (line: string) => lines?.push(line) }),
  );
  const app = await createApp(config, orm, createLogger('silent'));
  const server = createServer(app.express);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async count(fn) {
      lines = [];
      await fn();
      const sql = lines.filter((l) => l.includes('[query]'));
      lines = null;
      return { statements: sql.length, sql };
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await app.stop();
      await orm.close(true);
    },
  };
}
