import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { type AppConfig } from '../../config/app-config.js';
import { createOrmOptions } from './orm-config.js';

// One arbitrary, fixed key: processes starting together take turns to migrate.
const MIGRATION_LOCK_KEY = 7_301_991_204;

/**
 * Brings the schema up to date. Several API and worker replicas may start at once, so the run holds
 * a PostgreSQL advisory lock on a connection of its own for its whole length.
 */
export async function migrateDatabase(database: AppConfig['database']): Promise<string[]> {
  const lock = new pg.Client({ connectionString: database.url });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const orm = await MikroORM.init(createOrmOptions({ ...database, poolMax: 2 }));
    try {
      const applied = await orm.migrator.up();
      return applied.map((migration) => migration.name);
    } finally {
      await orm.close(true);
    }
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}
