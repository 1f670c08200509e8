import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import { ormOptions } from './mikro-orm.config.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { migrate } from '../db/migrate.js';

export interface Database {
  orm: MikroORM;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL when none is configured; then migrates. */
export async function openDatabase(config: Config): Promise<Database> {
  let url = config.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const embedded = await startEmbeddedPostgres(join(config.dataDir, 'pgdata'), config.embeddedPgPort, 'argus');
    url = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const orm = await MikroORM.init(ormOptions(url));
  await migrate(orm);
  return {
    orm,
    url,
    embedded: Boolean(stopEmbedded),
    async close() {
      await orm.close(true);
      await stopEmbedded?.();
    },
  };
}
