import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/app-config.js';
import { migrateDatabase } from '../../src/modules/platform/database/migrate.js';
import { migrationsList } from '../../src/modules/platform/database/migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('database migrations', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await database.drop();
  });

  const settings = () => loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url }).database;

  it('bring an empty database up to date, once', async () => {
    expect(await migrateDatabase(settings())).toEqual(migrationsList.map((migration) => migration.name));
    expect(await migrateDatabase(settings())).toEqual([]);

    const tables = await database.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
    );
    expect(tables.map((table) => table.table_name)).toEqual(expect.arrayContaining(['schema_migrations', 'system_check']));
    const recorded = await database.query<{ name: string }>('select name from schema_migrations order by id');
    expect(recorded.map((row) => row.name)).toEqual(migrationsList.map((migration) => migration.name));
  });

  it('let runs that start together migrate without tripping over each other', async () => {
    // Each run is on connections of its own, as replicas in separate processes are: only the
    // advisory lock holds them apart.
    const runs = await Promise.all([1, 2, 3].map(() => migrateDatabase(settings())));
    expect(runs.flat().sort()).toEqual(migrationsList.map((migration) => migration.name).sort());
    const recorded = await database.query<{ count: string }>('select count(*)::text as count from schema_migrations');
    expect(Number(recorded[0].count)).toBe(migrationsList.length);
  });

  it('enforce one system-check row per workflow at the database', async () => {
    await migrateDatabase(settings());
    const insert = (id: string) =>
      database.query(
        `insert into system_check (id, workflow_id, requested_at, recorded_at, worker_identity, requested_by_subject, requested_by_role)
         values ($1, 'system-check-x', now(), now(), 'w', 'pc-1', 'administrator')`,
        [id],
      );
    await insert('00000000-0000-4000-8000-000000000001');
    await expect(insert('00000000-0000-4000-8000-000000000002')).rejects.toThrow(/unique/i);
  });
});
