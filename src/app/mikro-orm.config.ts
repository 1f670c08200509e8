import 'reflect-metadata';
import { DataloaderType, Options } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES, TENANT_ENTITY_NAMES } from './entities.js';
import { TenancySubscriber, tenantFilter } from '../db/tenancy.js';
import { MIGRATIONS } from '../db/migrations/index.js';

export function ormOptions(
  clientUrl: string,
  overrides: Partial<Options<PostgreSqlDriver>> = {},
): Options<PostgreSqlDriver> {
  return {
    driver: PostgreSqlDriver,
    clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    filters: tenantFilter(TENANT_ENTITY_NAMES),
    subscribers: [new TenancySubscriber()],
    dataloader: DataloaderType.ALL,
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    // The tenant filter applies to the records read; a reference is never to another organization's record (writes
    // check references within the organization), so joining every referenced table to filter it again only costs.
    autoJoinRefsForFilters: false,
    allowGlobalContext: false,
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    pool: { min: 0, max: 10 },
    migrations: {
      tableName: 'mikro_orm_migrations',
      migrationsList: MIGRATIONS,
      path: 'src/db/migrations',
      pathTs: 'src/db/migrations',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      silent: true,
    },
    ...overrides,
  };
}

/** Used by the MikroORM CLI (`npm run migration:create`) against DATABASE_URL. */
export default ormOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/argus');
