import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { loadConfig } from '../../src/config/app-config.js';
import { CaseQueries, QUEUE_POSITION_EXACT_UP_TO } from '../../src/modules/contact-cases/case-queries.service.js';
import { migrateDatabase } from '../../src/modules/platform/database/migrate.js';
import { createOrmOptions } from '../../src/modules/platform/database/orm-config.js';
import { StoreDatabase } from '../../src/modules/platform/database/store-db.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** A new case's place in the queue: exact while the count is small, a lower bound that says so beyond it. */
describe('queue position', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let queries: CaseQueries;

  /** Open cases, as the projection writes them: `count` of them from `from`, one second apart. */
  const openCases = (prefix: string, count: number, rank: number, due: string | null, from: string) =>
    database.query(
      `insert into contact_case (reference, workflow_id, channel, received_at, policy_version, team, area, assignee, created_by_subject, created_by_role,
         flags, domestic_abuse, sexual_offence, vulnerable, screening_reasons, caller, narrative, stage, priority_rank, next_due_at, escalation_level, version, updated_at)
       select $1 || lpad(n::text, 6, '0'), 'contact-' || $1 || lpad(n::text, 6, '0'), 'web-form', $2::timestamptz + n * interval '1 second', 'v', 'team', 'urban',
              'pc-1', 'pc-1', 'contact-handler', '{}', false, false, false, '{}', '{}', 'x', 'triage', $3, $4::timestamptz, 0, 1, now()
       from generate_series(1, $5) as n`,
      [prefix, from, rank, due, count],
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    const settings = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url }).database;
    await migrateDatabase(settings);
    orm = (await MikroORM.init(createOrmOptions(settings))) as unknown as MikroORM;
    queries = new CaseQueries(orm, new StoreDatabase(orm));
  });

  afterAll(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  it('counts exactly the open cases ahead: higher priority, nearer due, then earlier arrival', async () => {
    await openCases('XP-20261101-', 3, 0, '2026-11-01T12:00:00Z', '2026-11-01T08:00:00Z'); // IR: ahead of any rank-1 case
    await openCases('XP-20261102-', 5, 1, '2026-11-02T12:00:00Z', '2026-11-02T08:00:00Z'); // due earlier than the new case
    await openCases('XP-20261103-', 4, 1, null, '2026-11-01T08:00:00Z'); // no clock counting: behind any case with one
    await database.query("update contact_case set closed_at = now() where reference = 'XP-20261102-000005'"); // closed: not in the queue

    const position = await queries.queuePosition({ priorityRank: 1, nextDueAt: new Date('2026-11-03T12:00:00Z'), receivedAt: new Date('2026-11-03T08:00:00Z'), reference: 'XP-20261103-900000' });
    expect(position).toEqual({ position: 3 + 4 + 1, exact: true });
    const noClock = await queries.queuePosition({ priorityRank: 1, nextDueAt: null, receivedAt: new Date('2026-11-01T08:00:02.500Z'), reference: 'XP-20261103-900001' });
    expect(noClock).toEqual({ position: 3 + 4 + 2 + 1, exact: true });
    const urgent = await queries.queuePosition({ priorityRank: 0, nextDueAt: new Date('2026-11-01T12:00:00Z'), receivedAt: new Date('2026-11-01T08:00:01.500Z'), reference: 'XP-20261103-900002' });
    expect(urgent).toEqual({ position: 2, exact: true });
  });

  it('stops counting at the bound, and says the position is a lower bound', async () => {
    await openCases('XP-20261104-', QUEUE_POSITION_EXACT_UP_TO + 50, 0, '2026-11-04T12:00:00Z', '2026-11-04T08:00:00Z');
    const position = await queries.queuePosition({ priorityRank: 1, nextDueAt: null, receivedAt: new Date('2026-11-05T08:00:00Z'), reference: 'XP-20261105-000001' });
    expect(position).toEqual({ position: QUEUE_POSITION_EXACT_UP_TO + 1, exact: false });
    // The count is a range scan of the queue-position index: the row comparison is the index's own
    // condition (where the planner uses the index at all: on a table this small it may not).
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('set enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `explain select 1 from contact_case where closed_at is null
           and (priority_rank, coalesce(next_due_at, 'infinity'::timestamptz), received_at, reference) < (1::smallint, 'infinity'::timestamptz, now(), 'x'::varchar) limit 1000`,
      );
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index (Only )?Scan using contact_case_queue_position/);
      expect(plan).toMatch(/Index Cond: \(ROW\(/);
    } finally {
      await client.end();
    }
  });
});
