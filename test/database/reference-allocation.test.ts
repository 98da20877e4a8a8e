import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../../src/config/app-config.js';
import { formatReference } from '../../src/domain/reference.js';
import { CaseStore } from '../../src/modules/contact-cases/case-store.service.js';
import { migrateDatabase } from '../../src/modules/platform/database/migrate.js';
import { createOrmOptions } from '../../src/modules/platform/database/orm-config.js';
import { StoreDatabase } from '../../src/modules/platform/database/store-db.js';
import { DomainError } from '../../src/modules/platform/errors/domain-error.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** Case references, allocated in one call to the database: gapless, and one per Idempotency-Key. */
describe('case reference allocation', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let store: CaseStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url, DATABASE_POOL_MAX: '20' });
    await migrateDatabase(config.database);
    orm = (await MikroORM.init(createOrmOptions(config.database))) as unknown as MikroORM;
    store = new CaseStore(new StoreDatabase(orm), config);
  });

  afterAll(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  it('numbers a day without gaps or repeats, however many intakes arrive at once', async () => {
    const day = '2026-11-01';
    const allocated = await Promise.all(
      Array.from({ length: 40 }, (_, index) => store.allocateReference('XP', day, index % 2 === 0 ? { key: `gapless-${index}`, requestHash: 'h' } : undefined)),
    );
    expect(allocated.every((result) => !result.replayed)).toBe(true);
    expect(allocated.map((result) => result.reference).sort()).toEqual(Array.from({ length: 40 }, (_, index) => formatReference('XP', day, index + 1)));
    // Another day starts again at 1.
    expect(await store.allocateReference('XP', '2026-11-02')).toEqual({ reference: 'XP-20261102-000001', replayed: false });
  });

  it('gives concurrent repeats of one key the one reference, and moves the sequence once', async () => {
    const day = '2026-11-03';
    const repeats = await Promise.all(Array.from({ length: 10 }, () => store.allocateReference('XP', day, { key: 'repeated-key', requestHash: 'same-body' })));
    expect(new Set(repeats.map((result) => result.reference))).toEqual(new Set(['XP-20261103-000001']));
    expect(repeats.filter((result) => !result.replayed)).toHaveLength(1);
    expect(await store.allocateReference('XP', day)).toEqual({ reference: 'XP-20261103-000002', replayed: false });
  });

  it('refuses a key used before for a different body, naming the header, without moving the sequence', async () => {
    const day = '2026-11-04';
    await store.allocateReference('XP', day, { key: 'reused-key', requestHash: 'first-body' });
    const refused = await store.allocateReference('XP', day, { key: 'reused-key', requestHash: 'second-body' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).fields).toEqual([{ field: 'Idempotency-Key', message: 'already used for a different request body' }]);
    expect(await store.allocateReference('XP', day)).toEqual({ reference: 'XP-20261104-000002', replayed: false });
  });

  it('refuses to go past the last number a reference can hold, rather than cut it short', async () => {
    await database.query("insert into reference_sequence (day, last_value) values ('2026-11-05', 999999)");
    await expect(store.allocateReference('XP', '2026-11-05')).rejects.toThrow(/exhausted/);
  });
});
