import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/app-config.js';
import { migrateDatabase } from '../../src/modules/platform/database/migrate.js';
import { createOrmOptions } from '../../src/modules/platform/database/orm-config.js';
import { StoreDatabase } from '../../src/modules/platform/database/store-db.js';
import { followedColumns } from '../../src/modules/contact-cases/case-row.js';
import { projectCase } from '../../src/domain/case-projection.js';
import { Channel } from '../../src/domain/channels.js';
import { initialCaseState } from '../../src/domain/contact-case.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** The typed path to the store: values go in and come out as the entities declare them. */
describe('the typed store database', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let store: StoreDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url }).database;
    await migrateDatabase(config);
    orm = (await MikroORM.init(createOrmOptions(config))) as unknown as MikroORM;
    store = new StoreDatabase(orm);
  });

  afterAll(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  /** A case row as the store writes one at intake: JSON objects and arrays, text arrays, times. */
  const caseRow = (reference: string) => ({
    reference,
    workflow_id: `case-${reference}`,
    channel: 'phone-101',
    received_at: new Date('2026-03-01T10:00:00.123Z'),
    policy_version: 'p1',
    team: 'team-a',
    assignee: 'unassigned',
    created_by_subject: 'h1',
    created_by_role: 'contact-handler',
    flags: ['repeat-caller'],
    domestic_abuse: false,
    sexual_offence: false,
    vulnerable: false,
    screening_reasons: [],
    caller: { name: 'A Caller', phone: '+447700900123' },
    narrative: 'Something happened',
    stage: 'triage',
    priority_rank: 3,
    escalation_level: 0,
    clocks: [{ id: 'first-response', dueAt: '2026-03-01T10:15:00.000Z' }],
    version: 1,
    updated_at: new Date('2026-03-01T10:00:00.123Z'),
  });

  it('writes and reads values as the entities declare them: times as Date, JSON objects and arrays, text arrays', async () => {
    await store.db.insertInto('contact_case').values(caseRow('REF-1')).execute();
    const read = await store.db.selectFrom('contact_case').selectAll().where('reference', '=', 'REF-1').executeTakeFirstOrThrow();
    expect(read.received_at).toBeInstanceOf(Date);
    expect(read.received_at.toISOString()).toBe('2026-03-01T10:00:00.123Z');
    expect(read.clocks).toEqual([{ id: 'first-response', dueAt: '2026-03-01T10:15:00.000Z' }]);
    expect(read.caller).toEqual({ name: 'A Caller', phone: '+447700900123' });
    expect(read.flags).toEqual(['repeat-caller']);
    expect(read.next_due_at).toBeNull();
  });

  it('writes rows under a guard in one statement, with values cast to their columns', async () => {
    const guard = (value: boolean) => sql<boolean>`${sql.lit(value)}`;
    const row = caseRow('REF-2');
    await store.run(store.guardedRows('contact_case', [row], guard(false)));
    expect(await store.db.selectFrom('contact_case').select('reference').where('reference', '=', 'REF-2').execute()).toEqual([]);
    await store.run(store.guardedRows('contact_case', [row], guard(true)));
    const read = await store.db.selectFrom('contact_case').selectAll().where('reference', '=', 'REF-2').executeTakeFirstOrThrow();
    expect(read).toMatchObject(row);
  });

  it('converts the values of a typed statement written inside a larger one (a step of a with-query)', async () => {
    await store.db.insertInto('contact_case').values(caseRow('REF-3')).execute();
    const clocks = [{ id: 'first-response', dueAt: '2026-03-01T11:00:00.000Z' }, { id: 'resolution', dueAt: '2026-03-02T10:00:00.000Z' }];
    const step = store.db.updateTable('contact_case').set({ clocks, flags: ['a', 'b'], version: 2, next_due_at: new Date('2026-03-01T11:00:00.000Z') }).where('reference', '=', 'REF-3').returning('reference');
    const rows = await store.run(sql<{ written: number }>`with advanced as (${step}) select count(*)::int as written from advanced`);
    expect(rows).toEqual([{ written: 1 }]);
    const read = await store.db.selectFrom('contact_case').select(['clocks', 'flags', 'version', 'next_due_at']).where('reference', '=', 'REF-3').executeTakeFirstOrThrow();
    expect(read).toEqual({ clocks, flags: ['a', 'b'], version: 2, next_due_at: new Date('2026-03-01T11:00:00.000Z') });
  });

  it('refuses a column the table does not have', () => {
    expect(() => store.columnType('contact_case', 'no_such_column')).toThrow('contact_case has no column no_such_column');
  });

  it('writes every column of the case row from the projection, but the contact details fixed at intake', () => {
    const state = initialCaseState({
      reference: 'REF-4',
      channel: Channel.WebForm,
      receivedAt: '2026-03-01T10:00:00.000Z',
      policyVersion: 'p1',
      team: 'team-a',
      assignee: 'unassigned',
      area: 'urban',
      flags: [],
      screening: { riskMarker: null, domesticAbuse: false, sexualOffence: false, vulnerable: false, reasons: [] },
    });
    const followed = followedColumns(store, projectCase(state)).map(({ column }) => column);
    const intake = ['reference', 'workflow_id', 'channel', 'received_at', 'policy_version', 'area', 'flags', 'created_by_subject', 'created_by_role', 'caller', 'narrative', 'location', 'interpreter_language', 'channel_details', 'linked_references'];
    const everyColumn = [...store.columns('contact_case').values()].map(({ column }) => column);
    // A column of neither kind would be left as intake wrote it: a projected field under another name.
    expect([...followed, 'state', 'updated_at', ...intake].sort()).toEqual(everyColumn.sort());
  });
});
