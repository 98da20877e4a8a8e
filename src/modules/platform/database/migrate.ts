import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { type AppConfig } from '../../../config/app-config.js';
import { createOrmOptions } from './orm-config.js';

// One arbitrary, fixed key: processes starting together take turns to migrate.
const MIGRATION_LOCK_KEY = 7_301_991_204;

type DatabaseSettings = Pick<AppConfig['database'], 'url' | 'poolMax' | 'debug'>;

/**
 * Brings the schema up to date, and returns the names of the migrations it applied.
 *
 * Replicas of the API and the worker may start together, so each run holds an advisory lock on a
 * connection of its own: the others wait, then find nothing left to apply.
 */
export async function migrateDatabase(database: DatabaseSettings): Promise<string[]> {
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
