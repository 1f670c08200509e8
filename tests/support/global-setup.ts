import { resolveTsFromJs } from './resolve-ts';

declare global {
  var __argusStopDatabase: (() => Promise<void>) | undefined;
}

/**
 * Prepares the test database once for the whole run: started (embedded) or chosen, with a clean schema. Test apps
 * apply the committed migrations themselves, under an advisory lock, inside jest's own module realm.
 */
export default async function globalSetup(): Promise<void> {
  resolveTsFromJs();
  const { TEST_DATABASE_ENV, prepareTestDatabase, resetSchema } = require('./database') as typeof import('./database');
  const db = await prepareTestDatabase();
  await resetSchema(db.url);
  process.env[TEST_DATABASE_ENV] = db.url;
  globalThis.__argusStopDatabase = db.stop;
}
