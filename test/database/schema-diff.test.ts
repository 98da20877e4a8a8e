import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../../src/config/app-config.js';
import { migrateDatabase } from '../../src/modules/platform/database/migrate.js';
import { createOrmOptions } from '../../src/modules/platform/database/orm-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('the migrations and the entities', () => {
  let database: TestDatabase;
  let orm: Awaited<ReturnType<typeof MikroORM.init>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const settings = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url }).database;
    await migrateDatabase(settings);
    // Triggers and functions are the migrations' alone; tests of what they do prove them (the audit
    // tables refuse changes, references are allocated without gaps).
    const options = createOrmOptions(settings);
    orm = await MikroORM.init({ ...options, schemaGenerator: { ...options.schemaGenerator, ignoreTriggers: true, ignoreRoutines: true } });
  });

  afterAll(async () => {
    await orm?.close();
    await database?.drop();
  });

  it('agree: the schema the entities describe is the schema the migrations made', async () => {
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
    // Tables, columns, types, nullability, defaults, keys, foreign keys and indexes.
    expect(diff.trim()).toBe('');
  });
});
