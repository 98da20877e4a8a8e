import { Injectable } from '@nestjs/common';
import { type InferEntity } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { StoreDatabase } from '../platform/database/store-db.js';
import { AuditEntrySchema } from './audit.entity.js';
import { type AuditEntryContent, auditHash, GENESIS_HASH } from './audit-chain.js';

export interface BrokenEntry {
  reference: string;
  sequence: number;
  entryId: string | null;
  /** Why, in plain words. */
  reason: string;
}

export interface VerifyReport {
  intact: boolean;
  cases: number;
  entries: number;
  /** The first broken entry of each case whose chain is broken. */
  broken: BrokenEntry[];
}

type AuditRow = InferEntity<typeof AuditEntrySchema>;

/** Walks one case's chain: the first entry that does not hold, or null. */
export function firstBreak(reference: string, rows: AuditRow[], timelineLength: number): BrokenEntry | null {
  let previous = GENESIS_HASH;
  let expected = 1;
  for (const row of rows) {
    const at = (reason: string): BrokenEntry => ({ reference, sequence: row.sequence, entryId: row.entryId, reason });
    if (row.sequence > expected) return { reference, sequence: expected, entryId: null, reason: `entry ${expected} is missing: it was deleted (the chain goes from ${expected - 1} to ${row.sequence})` };
    if (row.sequence < expected) return at(`entry ${row.sequence} appears twice or out of order`);
    if (row.prevHash !== previous) return at(`entry ${row.sequence} does not follow entry ${row.sequence - 1}: the chain was reordered or an earlier entry replaced`);
    const content: AuditEntryContent = {
      reference: row.reference,
      sequence: row.sequence,
      entryId: row.entryId,
      at: row.at.toISOString(),
      actor: { subject: row.actorSubject, role: row.actorRole },
      rule: row.rule ?? null,
      action: row.action,
      summary: row.summary,
      policyVersion: row.policyVersion,
    };
    if (auditHash(previous, content) !== row.hash) return at(`entry ${row.sequence} (${row.action}) was altered: its content no longer matches its hash`);
    previous = row.hash;
    expected += 1;
  }
  if (expected - 1 < timelineLength) {
    return { reference, sequence: expected, entryId: null, reason: `entry ${expected} is missing: the case's timeline has ${timelineLength} entries, the chain ${expected - 1}` };
  }
  return null;
}

/** Verifies the audit hash chains: every case, or one. */
@Injectable()
export class AuditVerifier {
  private readonly store: StoreDatabase;

  constructor(private readonly orm: MikroORM) {
    this.store = new StoreDatabase(orm);
  }

  async verify(reference?: string, onCase?: (done: number, total: number) => void): Promise<VerifyReport> {
    const em = this.orm.em.fork();
    let selected = this.store.db
      .selectFrom('contact_case as c')
      .select((eb) => [
        'c.reference',
        eb.fn
          .coalesce(
            eb.selectFrom('case_event as e').select((inner) => inner.fn.max('e.sequence').as('last')).whereRef('e.reference', '=', 'c.reference'),
            eb.lit(0),
          )
          .as('timeline'),
      ])
      .orderBy('c.reference');
    if (reference) selected = selected.where('c.reference', '=', reference);
    const cases = await selected.execute();
    const broken: BrokenEntry[] = [];
    let entries = 0;
    for (const [index, { reference: ref, timeline }] of cases.entries()) {
      const rows = await em.find(AuditEntrySchema, { reference: ref }, { orderBy: { sequence: 'asc', entryId: 'asc' } });
      entries += rows.length;
      const found = firstBreak(ref, rows, timeline);
      if (found) broken.push(found);
      onCase?.(index + 1, cases.length);
    }
    return { intact: broken.length === 0, cases: cases.length, entries, broken };
  }
}
