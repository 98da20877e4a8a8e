import { defineEntity, p } from '@mikro-orm/core';
import { caseReference } from '../contact-cases/case-records.entity.js';

/**
 * The audit trail's tables. All three are append-only at the database: triggers (created by the
 * migration, with the function they call) refuse UPDATE, DELETE and TRUNCATE, whoever asks.
 */

/** One hash-chained entry per change to a case: commands and the workflow's own decisions. */
export const AuditEntrySchema = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_entry',
  properties: {
    reference: caseReference('audit_entry').primary(),
    sequence: p.integer().primary(),
    entryId: p.string().length(160).unique('audit_entry_entry_id_key'),
    at: p.datetime(),
    actorSubject: p.string().length(128),
    actorRole: p.string().length(64),
    rule: p.string().length(128).nullable(),
    action: p.string().length(48),
    summary: p.json<Record<string, unknown>>(),
    policyVersion: p.string().length(64),
    prevHash: p.character().length(64),
    hash: p.character().length(64),
  },
});

/** Who read which case, and how. */
export const CaseAccessLogSchema = defineEntity({
  name: 'CaseAccessLog',
  tableName: 'case_access_log',
  properties: {
    id: p.bigint().primary().autoincrement(),
    /** Null for a caller lookup that matched no case. */
    reference: p.string().length(32).nullable(),
    subject: p.string().length(128),
    role: p.string().length(64),
    action: p.string().length(32),
    at: p.datetime().defaultRaw('now()'),
  },
  indexes: [{ name: 'case_access_log_reference', properties: ['reference', 'at'] }],
});

/** A closed case's Temporal event history, one row per run (payloads still encrypted), kept beyond the namespace's retention. */
export const CaseHistorySchema = defineEntity({
  name: 'CaseHistory',
  tableName: 'case_history',
  properties: {
    reference: caseReference('case_history').primary(),
    runId: p.string().primary().length(64),
    workflowId: p.string().length(64),
    eventCount: p.integer(),
    history: p.json<Record<string, unknown>>(),
    exportedAt: p.datetime(),
  },
});

/** One comparison of the case store with the workflows (npm run audit:reconcile, or its schedule). */
export const StoreReconciliationSchema = defineEntity({
  name: 'StoreReconciliation',
  tableName: 'store_reconciliation',
  properties: {
    id: p.uuid().primary(),
    trigger: p.string().length(16),
    requestedBy: p.string().length(128),
    /** Only cases changed since then were compared (null: every case). */
    since: p.datetime().nullable(),
    startedAt: p.datetime(),
    finishedAt: p.datetime(),
    cases: p.integer(),
    divergentCases: p.integer(),
    /** Each divergence: the case, what differs, in codes and counts (never a value from the case). */
    divergences: p.json<Array<{ reference: string; kind: string; detail: string }>>(),
    outcome: p.string().length(12),
  },
  indexes: [{ name: 'store_reconciliation_finished', properties: ['finishedAt'] }],
});
