import 'reflect-metadata';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig, Config } from '../../src/config/env';
import { ormOptions } from '../../src/app/mikro-orm.config';
import { migrate } from '../../src/db/migrate';
import { createApp, App, AppOptions } from '../../src/app/app';
import { createLogger } from '../../src/core/logger';
import { TEST_DATABASE_ENV } from './database';

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface TestApp {
  url: string;
  orm: MikroORM;
  app: App;
  config: Config;
  close(): Promise<void>;
}

/** The real application on a real port against the test database; one per test file. */
export interface TestAppOptions extends AppOptions {
  /** Called with every SQL statement the application runs (for statement-count tests). */
  onQuery?: (sql: string) => void;
  /** Receives every log line the application writes (at LOG_LEVEL, `silent` unless the env sets it). */
  logLines?: (line: string) => void;
}

export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const databaseUrl = process.env[TEST_DATABASE_ENV];
  if (!databaseUrl) throw new Error('The test database is not prepared (jest globalSetup did not run)');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    ARGUS_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    ARGUS_DEMO_DATA: 'false',
    // Tests run the SLA breach job themselves (runOnce with a ManualClock); a test that wants the runner sets it.
    ARGUS_SLA_CHECK_INTERVAL_SECONDS: '0',
    // Background jobs span every organization of the shared test database: a test that wants one turns it on.
    ARGUS_WEBHOOK_POLL_MS: '0',
    ARGUS_EMBEDDING_JOB_INTERVAL_SECONDS: '0',
    ARGUS_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    // Every test client is 127.0.0.1 and the counters are shared through the database: a test of the limits turns them
    // on.
    ARGUS_RATE_LIMIT_PER_USER: '0',
    ARGUS_RATE_LIMIT_PER_IP: '0',
    ...env,
  });
  const onQuery = options.onQuery;
  const orm = await MikroORM.init(
    ormOptions(databaseUrl, onQuery ? { debug: ['query'], logger: (line: string) => onQuery(line) } : {}),
  );
  await migrate(orm);
  const logLines = options.logLines;
  const log = logLines
    ? createLogger(config.logLevel, { write: (line: string) => logLines(line) })
    : createLogger(config.logLevel);
  const app = await createApp(config, orm, log, options);
  const server: Server = createServer(app.express);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    orm,
    app,
    config,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await app.stop();
      await orm.close(true);
    },
  };
}
