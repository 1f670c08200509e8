import { join } from 'node:path';
import { Client } from 'pg';
import { ensureDatabase, startEmbeddedPostgres } from '../../src/db/embedded-postgres';

export const TEST_DATABASE_ENV = 'ARGUS_TEST_DATABASE_URL';

/**
 * The test database: with DATABASE_URL, a sibling database named `<name>_test` on that server (never the configured
 * database itself); without, an embedded PostgreSQL under .argus/test-pgdata.
 */
export async function prepareTestDatabase(): Promise<{ url: string; stop?: () => Promise<void> }> {
  const configured = process.env.DATABASE_URL;
  if (!configured) {
    const embedded = await startEmbeddedPostgres(
      join(__dirname, '..', '..', '.argus', 'test-pgdata'),
      54339,
      'argus_test',
    );
    return { url: embedded.url, stop: embedded.stop };
  }
  const url = new URL(configured);
  const name = url.pathname.replace(/^\//, '') || 'argus';
  const testName = name.endsWith('_test') ? name : `${name}_test`;
  const admin = new URL(configured);
  admin.pathname = '/postgres';
  await ensureDatabase(admin.toString(), testName);
  url.pathname = `/${testName}`;
  return { url: url.toString() };
}

/** A clean public schema, so every run starts from the committed migrations alone. */
export async function resetSchema(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('drop schema if exists public cascade; create schema public;');
  } finally {
    await client.end();
  }
}
