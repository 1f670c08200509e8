import type { MikroORM } from '@mikro-orm/postgresql';

/** Any constants; they name the locks that serialize start-up work across processes sharing one database. */
const MIGRATION_LOCK_KEY = 4_271_901;
export const DEMO_SEED_LOCK_KEY = 4_271_902;

/** What knex's client (declared `any`) offers here: a pooled pg connection of one's own. */
interface ConnectionPool {
  acquireConnection(): Promise<PooledConnection>;
  releaseConnection(connection: PooledConnection): Promise<unknown>;
}

interface PooledConnection {
  query(sql: string, params: unknown[]): Promise<unknown>;
}

/**
 * Runs `work` while holding a session-level PostgreSQL advisory lock on a connection of its own: processes starting at
 * once (server replicas, test workers) take turns, and a process that dies mid-way releases the lock with its session.
 */
export async function withAdvisoryLock<T>(orm: MikroORM, key: number, work: () => Promise<T>): Promise<T> {
  const pool = orm.em.getConnection().getKnex().client as ConnectionPool;
  const connection = await pool.acquireConnection();
  try {
    await connection.query('select pg_advisory_lock($1)', [key]);
    try {
      return await work();
    } finally {
      await connection.query('select pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await pool.releaseConnection(connection);
  }
}

/** Applies pending migrations under the migration lock, so several processes starting at once migrate exactly once. */
export async function migrate(orm: MikroORM): Promise<void> {
  await withAdvisoryLock(orm, MIGRATION_LOCK_KEY, () => orm.getMigrator().up());
}
