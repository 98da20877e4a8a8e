import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../../src/config/app-config.js';
import { type ActorRef } from '../../src/domain/actor.js';
import { Channel } from '../../src/domain/channels.js';
import { applyCommand, type CaseCommand, type ContactCaseState, openCase } from '../../src/domain/contact-case.js';
import { screenContact } from '../../src/domain/risk-screening.js';
import { AuditVerifier } from '../../src/modules/audit/audit-verifier.service.js';
import { CaseStore } from '../../src/modules/contact-cases/case-store.service.js';
import { migrateDatabase } from '../../src/modules/platform/database/migrate.js';
import { StoreDatabase } from '../../src/modules/platform/database/store-db.js';
import { createOrmOptions } from '../../src/modules/platform/database/orm-config.js';
import { type ContactIntake, type RecordedEntry } from '../../src/domain/case-records.js';
import { type TimelineEntry } from '../../src/domain/timeline.js';
import { assessment } from '../support/assessments.js';
import { defaultPolicy, policyWithout } from '../support/policies.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const handler: ActorRef = { subject: 'pc-9', role: 'contact-handler' };
// The chain's tests count a web submission's entries: without the regular risk review's clock.
const policy = policyWithout(`${defaultPolicy().version}-no-review`, ['risk-review', 'risk-review-ir']);

/**
 * The audit trail at the database: the case store writes a hash-chained entry for every timeline
 * entry, the database refuses to change or remove one, and verify finds any tampering done by
 * someone who got round that (a superuser disabling the trigger), naming the entry.
 */
describe('the audit trail', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let store: CaseStore;
  let verifier: AuditVerifier;

  /** A case written through the case store as its workflow would write it: intake, then commands. */
  async function writeCase(reference: string): Promise<void> {
    const narrative = 'Bike stolen from the station';
    const intake: ContactIntake = {
      reference,
      channel: Channel.WebForm,
      receivedAt: '2026-11-23T09:00:00.000Z',
      policy,
      team: 'contact-centre',
      area: 'urban',
      actor: handler,
      flags: [],
      screening: screenContact({ channel: Channel.WebForm, flags: [], narrative }, policy),
      details: { caller: { anonymous: true }, narrative },
    };
    const opened = openCase({ ...intake, policyVersion: policy.version, assignee: handler.subject }, policy);
    const recorded = (entries: TimelineEntry[], changeId: string, before: number): RecordedEntry[] =>
      entries.map((entry, index) => ({ ...entry, id: index === 0 ? changeId : `${changeId}/${index}`, sequence: before + index + 1 }));
    await store.recordIntake({ intake, entries: recorded(opened.entries, `${reference}/received`, 0), state: opened.state }, 'exact');
    let state: ContactCaseState = opened.state;
    const commands: CaseCommand[] = [
      { type: 'assess', assessment: assessment({}, 3) },
      { type: 'record-incident', incident: { openingCategory: 'crime-theft', qualifiers: [] } },
      { type: 'add-note', text: 'Caller will send the frame number' },
    ];
    for (const [index, command] of commands.entries()) {
      const at = `2026-11-23T09:0${index + 1}:00.000Z`;
      const { state: next, entries } = applyCommand(state, command, handler, at, policy);
      const changeId = `${reference}/c${index}`;
      await store.applyChange({ reference, changeId, actor: handler, at, command, entries: recorded(entries, changeId, state.timelineLength), state: next }, 'exact');
      state = next;
    }
  }

  /** What a superuser could do behind the system's back. */
  const tamper = async (sql: string, params: unknown[]) => {
    await database.query('alter table audit_entry disable trigger audit_entry_append_only');
    try {
      await database.query(sql, params);
    } finally {
      await database.query('alter table audit_entry enable trigger audit_entry_append_only');
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
    const settings = config.database;
    await migrateDatabase(settings);
    orm = (await MikroORM.init(createOrmOptions(settings))) as unknown as MikroORM;
    store = new CaseStore(new StoreDatabase(orm), config);
    verifier = new AuditVerifier(orm);
    for (const reference of ['XP-20261123-000001', 'XP-20261123-000002', 'XP-20261123-000003', 'XP-20261123-000004']) await writeCase(reference);
  });

  afterAll(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  it('chains an entry for every timeline entry, with who did it and under which policy', async () => {
    const entries = await database.query<{ sequence: number; action: string; actor_subject: string; policy_version: string; prev_hash: string; hash: string }>(
      "select sequence, action, actor_subject, policy_version, prev_hash, hash from audit_entry where reference = 'XP-20261123-000001' order by sequence",
    );
    const [{ n }] = await database.query<{ n: number }>("select count(*)::int as n from case_event where reference = 'XP-20261123-000001'");
    expect(entries).toHaveLength(n);
    expect(entries.map((entry) => entry.action)).toEqual(['received', 'clock-armed', 'assessed', 'clock-met', 'clock-armed', 'incident-recorded', 'clock-armed', 'note']);
    expect(entries.every((entry) => entry.actor_subject === 'pc-9' && entry.policy_version === policy.version)).toBe(true);
    expect(entries[0].prev_hash).toBe('0'.repeat(64));
    for (let index = 1; index < entries.length; index += 1) expect(entries[index].prev_hash).toBe(entries[index - 1].hash);
    expect(await verifier.verify()).toMatchObject({ intact: true, cases: 4, entries: 32, broken: [] });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the audit tables at the database', async () => {
    await expect(database.query("update audit_entry set summary = '{}' where sequence = 1")).rejects.toThrow(/audit_entry is append-only: UPDATE refused/);
    await expect(database.query('delete from audit_entry where sequence = 1')).rejects.toThrow(/audit_entry is append-only: DELETE refused/);
    await expect(database.query('truncate audit_entry')).rejects.toThrow(/append-only: TRUNCATE refused/);
    await database.query("insert into case_access_log (reference, subject, role, action) values ('XP-20261123-000001', 'aud-1', 'auditor', 'view')");
    await expect(database.query("update case_access_log set subject = 'someone-else'")).rejects.toThrow(/case_access_log is append-only/);
    await expect(database.query('delete from case_access_log')).rejects.toThrow(/case_access_log is append-only/);
  });

  it('finds a changed entry, a deleted entry and reordered entries, naming each', async () => {
    await tamper(`update audit_entry set summary = '{"grade": 1, "previousGrade": null, "assessment": 1}' where reference = 'XP-20261123-000002' and sequence = 3`, []);
    await tamper("delete from audit_entry where reference = 'XP-20261123-000003' and sequence = 5", []);
    // Entries 6 and 7 of the fourth case swap places.
    await tamper("update audit_entry set sequence = -6 where reference = 'XP-20261123-000004' and sequence = 6", []);
    await tamper("update audit_entry set sequence = 6 where reference = 'XP-20261123-000004' and sequence = 7", []);
    await tamper("update audit_entry set sequence = 7 where reference = 'XP-20261123-000004' and sequence = -6", []);

    const report = await verifier.verify();
    expect(report.intact).toBe(false);
    expect(report.broken).toEqual([
      { reference: 'XP-20261123-000002', sequence: 3, entryId: 'XP-20261123-000002/c0', reason: 'entry 3 (assessed) was altered: its content no longer matches its hash' },
      { reference: 'XP-20261123-000003', sequence: 5, entryId: null, reason: 'entry 5 is missing: it was deleted (the chain goes from 4 to 6)' },
      { reference: 'XP-20261123-000004', sequence: 6, entryId: 'XP-20261123-000004/c1/1', reason: 'entry 6 does not follow entry 5: the chain was reordered or an earlier entry replaced' },
    ]);
    expect(await verifier.verify('XP-20261123-000001')).toMatchObject({ intact: true, cases: 1 });
  });

  it('finds the last entry deleted, against the case’s timeline', async () => {
    await tamper("delete from audit_entry where reference = 'XP-20261123-000001' and sequence = 8", []);
    expect((await verifier.verify('XP-20261123-000001')).broken).toEqual([
      { reference: 'XP-20261123-000001', sequence: 8, entryId: null, reason: "entry 8 is missing: the case's timeline has 8 entries, the chain 7" },
    ]);
  });
});
