import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { type AppConfig } from '../../../config/app-config.js';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

export type OrmOptions = ReturnType<typeof defineConfig>;

export function createOrmOptions(database: Pick<AppConfig['database'], 'url' | 'poolMax' | 'debug'>): OrmOptions {
  return defineConfig({
    clientUrl: database.url,
    entities,
    extensions: [Migrator],
    pool: { min: 0, max: database.poolMax },
    debug: database.debug,
    // No implicit global identity map: every unit of work forks its own EntityManager.
    allowGlobalContext: false,
    migrations: {
      migrationsList,
      tableName: 'schema_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  });
}
