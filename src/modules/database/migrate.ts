import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { type AppConfig } from '../../config/app-config.js';
import { createOrmOptions } from './orm-config.js';

// One arbitrary, fixed key: processes starting together take turns to migrate.
const MIGRATION_LOCK_KEY = 7_301_991_204;

type DatabaseSettings = Pick<AppConfig['database'], 'url' | 'poolMax' | 'debug'>;

/** Runs queued in this process, one database at a time. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Brings the schema up to date, and returns the names of the migrations it applied.
 *
 * Replicas of the API and worker may start together against PostgreSQL, so each run holds an
 * advisory lock on a connection of its own. The embedded PGlite database is a single session, in
 * which that lock cannot exclude anyone: there, runs in one process queue up behind each other, and
 * the dev command migrates before it starts the API and the worker.
 */
export function migrateDatabase(database: DatabaseSettings, options: { queueInProcess?: boolean } = {}): Promise<string[]> {
  if (options.queueInProcess === false) return migrateUnderLock(database);
  const previous = queues.get(database.url) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => migrateUnderLock(database));
  queues.set(database.url, run);
  return run;
}

async function migrateUnderLock(database: DatabaseSettings): Promise<string[]> {
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
