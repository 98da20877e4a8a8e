import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/app-config.js';
import { bucketQuantile, durationBucket, durationBucketsMinutes } from '../../src/domain/mi.js';
import { migrateDatabase } from '../../src/modules/platform/database/migrate.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** The duration buckets are defined twice, in the trigger's SQL and in the domain: they must agree. */
describe('management information counts', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url }).database);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('puts every duration in the same bucket in SQL as in TypeScript, at and around each bound', async () => {
    const durations = [0, 1, ...durationBucketsMinutes.flatMap((minutes) => [minutes * 60_000 - 1, minutes * 60_000, minutes * 60_000 + 1]), 10 ** 12];
    const rows = await database.query<{ ms: string; bucket: string }>('select ms::text, mi_bucket(ms) as bucket from unnest($1::bigint[]) as ms', [durations]);
    expect(rows.map((row) => [Number(row.ms), row.bucket])).toEqual(durations.map((ms) => [ms, durationBucket(ms)]));
    expect(durationBucket(60 * 60_000)).toBe('le:60');
    expect(durationBucket(60 * 60_000 + 1)).toBe('le:120');
  });

  it('reads a median and a 90th percentile from bucket counts as the bucket bound', () => {
    expect(bucketQuantile(new Map(), 0.5)).toBeNull();
    const buckets = new Map([
      ['le:5', 4],
      ['le:60', 5],
      ['le:1440', 1],
    ]);
    expect(bucketQuantile(buckets, 0.5)).toBe(60);
    expect(bucketQuantile(buckets, 0.4)).toBe(5);
    expect(bucketQuantile(buckets, 0.9)).toBe(60);
    expect(bucketQuantile(buckets, 0.95)).toBe(1440);
    expect(bucketQuantile(new Map([['more', 3]]), 0.5)).toBeNull();
  });
});
