import type { MikroORM } from '@mikro-orm/postgresql';

/** Any constant; it names the lock that serializes migrations across processes sharing one database. */
const MIGRATION_LOCK_KEY = 4_271_901;

/**
 * Applies pending migrations while holding a PostgreSQL advisory lock, so several processes (server replicas, test
 * workers) starting at once migrate exactly once.
 */
export async function migrate(orm: MikroORM): Promise<void> {
  const knex = orm.em.getConnection().getKnex();
  const connection = await knex.client.acquireConnection();
  try {
    await connection.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await orm.getMigrator().up();
    } finally {
      await connection.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
