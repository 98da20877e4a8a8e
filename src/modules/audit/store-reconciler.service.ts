import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { projectCase } from '../../domain/case-projection.js';
import type { ContactCaseState } from '../../domain/contact-case.js';
import { type StoredCaseState, storedState } from '../../domain/case-records.js';
import { isEntry } from '../../domain/timeline.js';
import { caseStateQuery, contactCaseWorkflowId } from '../../workflows/contact-case.messages.js';
import { canonicalJson } from '../platform/common/canonical-json.js';
import { changeHash } from '../contact-cases/case-store.service.js';
import { asStated, caseRowOf } from '../contact-cases/case-row.js';
import { StoreDatabase } from '../platform/database/store-db.js';
import { commandRecordTables, keepsRecord } from '../contact-cases/command-records.js';
import { AesGcmPayloadCodec, loadPayloadKeys } from '../platform/temporal/payload-codec.js';
import { TemporalClientService } from '../platform/temporal/temporal-client.module.js';
import { firstBreak } from './audit-verifier.service.js';
import { AuditEntrySchema, StoreReconciliationSchema } from './audit.entity.js';
import { CaseHistoryReader } from './case-history.reader.js';
import { recordedRun, type RecordedWrite, versionOf } from './recorded-writes.js';
import { MikroORM } from '@mikro-orm/postgresql';

/** One way the store and a case's workflow part: the case, what differs, in codes and counts (never a value from the case). */
export interface Divergence {
  reference: string;
  kind: string;
  detail: string;
}

export interface ReconciliationReport {
  id: string;
  trigger: string;
  requestedBy: string;
  since: string | null;
  startedAt: string;
  finishedAt: string;
  cases: number;
  divergentCases: number;
  divergences: Divergence[];
  outcome: 'clean' | 'divergent';
}

interface StoredCase {
  version: number | null;
  state: StoredCaseState | null;
  row: Record<string, unknown> | null;
  changes: Map<number, string>;
  entryIds: Set<string>;
  timeline: number;
  recordIds: Set<string>;
  alertIds: Set<string>;
  openAlertIds: Set<string>;
}

/** How often an open case is read again when its store is a change behind its workflow (a write in flight). */
const SETTLE_ATTEMPTS = 10;
const SETTLE_PAUSE_MS = 500;

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((item) => b.has(item));
const difference = (a: Set<string>, b: Set<string>) => [...a].filter((item) => !b.has(item));
const few = (items: string[]) => `${items.slice(0, 5).join(', ')}${items.length > 5 ? ` and ${items.length - 5} more` : ''}`;

/**
 * Compares what the case store holds of each case with the case's workflow: open, its live state
 * and history; closed, its archive. Every change the history holds must be in the store, once, with
 * the same content (its hash), and nothing else; the case row and the state it keeps must be the
 * workflow's; every timeline entry, record and alert the changes made must be there; the open alerts
 * must be the workflow's; the audit chain must hold. Each difference is named, never a value.
 */
@Injectable()
export class StoreReconciler {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly orm: MikroORM,
    private readonly store: StoreDatabase,
    private readonly histories: CaseHistoryReader,
    private readonly temporal: TemporalClientService,
  ) {}

  /** The cases to compare: every one, or those changed since `since` (and every one with an unsettled store alert). */
  async references(since?: Date): Promise<string[]> {
    const db = this.store.db;
    const rows = since
      ? await db
          .selectFrom('contact_case')
          .select('reference')
          .where('updated_at', '>=', since)
          .union(db.selectFrom('store_alert').select('reference').where((eb) => eb.or([eb('resolved_at', 'is', null), eb('raised_at', '>=', since)])))
          .orderBy('reference')
          .execute()
      : await db.selectFrom('contact_case').select('reference').union(db.selectFrom('store_alert').select('reference')).orderBy('reference').execute();
    return rows.map((row) => row.reference);
  }

  /** Compares the cases, records the result, and answers it. */
  async run(options: { trigger: 'cli' | 'schedule' | 'api'; requestedBy: string; since?: Date; references?: string[]; onCase?: (done: number, total: number) => void }): Promise<ReconciliationReport> {
    const startedAt = new Date();
    const references = options.references ?? (await this.references(options.since));
    const divergences: Divergence[] = [];
    for (const [index, reference] of references.entries()) {
      divergences.push(...(await this.compare(reference)));
      options.onCase?.(index + 1, references.length);
    }
    const report: ReconciliationReport = {
      id: randomUUID(),
      trigger: options.trigger,
      requestedBy: options.requestedBy,
      since: options.since?.toISOString() ?? null,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      cases: references.length,
      divergentCases: new Set(divergences.map((divergence) => divergence.reference)).size,
      divergences,
      outcome: divergences.length === 0 ? 'clean' : 'divergent',
    };
    await this.orm.em.fork().insert(StoreReconciliationSchema, {
      ...report,
      since: options.since ?? null,
      startedAt,
      finishedAt: new Date(report.finishedAt),
    });
    return report;
  }

  /** When the last run of this trigger began (undefined before the first). */
  async lastStart(trigger: 'cli' | 'schedule' | 'api'): Promise<Date | undefined> {
    const [last] = await this.orm.em.fork().find(StoreReconciliationSchema, { trigger }, { orderBy: { startedAt: 'desc' }, limit: 1 });
    return last?.startedAt;
  }

  /** The results recorded, newest first. */
  async list(limit: number): Promise<ReconciliationReport[]> {
    const rows = await this.orm.em.fork().find(StoreReconciliationSchema, {}, { orderBy: { finishedAt: 'desc' }, limit });
    return rows.map((row) => ({
      id: row.id,
      trigger: row.trigger,
      requestedBy: row.requestedBy,
      since: row.since?.toISOString() ?? null,
      startedAt: row.startedAt.toISOString(),
      finishedAt: row.finishedAt.toISOString(),
      cases: row.cases,
      divergentCases: row.divergentCases,
      divergences: row.divergences,
      outcome: row.outcome as ReconciliationReport['outcome'],
    }));
  }

  /** One case: every divergence, or none. */
  async compare(reference: string): Promise<Divergence[]> {
    let found: Divergence[] = [];
    for (let attempt = 1; attempt <= SETTLE_ATTEMPTS; attempt++) {
      const { divergences, settling } = await this.compareOnce(reference);
      found = divergences;
      // A running case whose store is a change behind or ahead of what was read: a write in flight.
      if (!settling || attempt === SETTLE_ATTEMPTS) break;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_PAUSE_MS));
    }
    return found;
  }

  private async compareOnce(reference: string): Promise<{ divergences: Divergence[]; settling: boolean }> {
    const divergences: Divergence[] = [];
    const diverge = (kind: string, detail: string) => divergences.push({ reference, kind, detail });
    const codec = new AesGcmPayloadCodec(loadPayloadKeys(this.config.codec.keys));
    const live = await this.liveState(reference);
    const runs = await Promise.all((await this.histories.runs(reference)).map((run) => recordedRun(run.history, codec)));
    const state = live ?? runs.at(-1)?.finalState ?? null;
    if (!state) {
      diverge('workflow-unreadable', 'neither the running workflow nor its archive gives the case\'s state');
      return { divergences, settling: false };
    }
    const projected = projectCase(state);
    // Every column that follows the case, compared as the case store would write it now.
    const { state: _state, updated_at: _at, ...expected } = caseRowOf(this.store, projected, storedState(state), new Date());
    const stored = await this.stored(reference, Object.keys(expected));
    if (stored.version !== state.version) {
      if (live && stored.version !== null && Math.abs(stored.version - state.version) <= 1) return { divergences: [{ reference, kind: 'store-behind', detail: `store at version ${stored.version}, workflow at ${state.version}` }], settling: true };
      diverge(stored.version === null ? 'case-missing' : 'store-behind', `store at version ${stored.version ?? 'none'}, workflow at ${state.version}`);
    }
    if (stored.state && canonicalJson(stored.state) !== canonicalJson(storedState(state)) && stored.version === state.version) diverge('state-differs', `the state kept at version ${state.version} is not the workflow's`);
    if (stored.row) {
      const differing = Object.entries(expected).filter(([column, value]) => canonicalJson(asStated(value)) !== canonicalJson(stored.row![column]));
      if (differing.length > 0 && stored.version === state.version) diverge('case-row-differs', `columns ${differing.map(([column]) => column).join(', ')} are not the workflow's`);
    }

    const writes: RecordedWrite[] = runs.flatMap((run) => run.writes).filter((write) => versionOf(write) <= state.version);
    const legacy = runs.reduce((sum, run) => sum + run.legacyWrites, 0);
    if (writes.length > 0) {
      const firstExact = Math.min(...writes.map(versionOf));
      for (const write of writes) {
        const version = versionOf(write);
        const hash = stored.changes.get(version);
        if (hash === undefined) diverge('change-missing', `version ${version} (${write.kind === 'intake' ? 'intake' : (write.change.command?.type ?? 'clocks')}) is in the history, not in the store`);
        else if (hash !== changeHash(write.kind === 'intake' ? write.record : write.change)) diverge('change-differs', `version ${version} in the store is not the change the history holds`);
      }
      const known = new Set(writes.map(versionOf));
      const unknown = [...stored.changes.keys()].filter((version) => version >= firstExact && !known.has(version));
      if (unknown.length > 0) diverge('change-unknown', `versions ${unknown.join(', ')} are in the store, not in the history`);

      const entries = writes.flatMap((write) => (write.kind === 'intake' ? write.record.entries : write.change.entries));
      const entryIds = new Set(entries.map((entry) => entry.id));
      const missingEntries = difference(entryIds, stored.entryIds);
      if (missingEntries.length > 0) diverge('timeline-missing', `${missingEntries.length} timeline entries: ${few(missingEntries)}`);
      const missingAlerts = difference(new Set(entries.filter(isEntry('escalated')).map((entry) => entry.id)), stored.alertIds);
      if (missingAlerts.length > 0) diverge('alerts-missing', `${missingAlerts.length} alerts: ${few(missingAlerts)}`);
      const expectedRecords = new Set(writes.flatMap((write) => (write.kind === 'change' && write.change.command && keepsRecord(write.change.command.type) ? [write.change.changeId] : [])));
      const missingRecords = difference(expectedRecords, stored.recordIds);
      if (missingRecords.length > 0) diverge('records-missing', `${missingRecords.length} records: ${few(missingRecords)}`);
      if (legacy === 0) {
        const extraEntries = difference(stored.entryIds, entryIds);
        if (extraEntries.length > 0) diverge('timeline-unknown', `${extraEntries.length} timeline entries the history does not hold: ${few(extraEntries)}`);
        const extraRecords = difference(stored.recordIds, expectedRecords);
        if (extraRecords.length > 0) diverge('records-unknown', `${extraRecords.length} records the history does not hold: ${few(extraRecords)}`);
      }
    }
    if (stored.version === state.version && stored.timeline !== state.timelineLength) diverge('timeline-length', `the store has ${stored.timeline} timeline entries, the workflow ${state.timelineLength}`);
    const openAlerts = new Set((state.alerts ?? []).map((alert) => alert.id));
    if (stored.version === state.version && !sameSet(openAlerts, stored.openAlertIds)) {
      diverge('open-alerts-differ', `open in the store: ${stored.openAlertIds.size}, in the workflow: ${openAlerts.size} (${few([...difference(openAlerts, stored.openAlertIds), ...difference(stored.openAlertIds, openAlerts)])})`);
    }
    const chain = await this.orm.em.fork().find(AuditEntrySchema, { reference }, { orderBy: { sequence: 'asc', entryId: 'asc' } });
    const broken = firstBreak(reference, chain, stored.timeline);
    if (broken) diverge('audit-chain', broken.reason);
    if (chain.length !== stored.timeline) diverge('audit-chain', `the chain has ${chain.length} entries, the timeline ${stored.timeline}`);
    return { divergences, settling: false };
  }

  /** The running workflow's state, or null once it has closed (or is gone). */
  private async liveState(reference: string): Promise<ContactCaseState | null> {
    const handle = this.temporal.client.workflow.getHandle(contactCaseWorkflowId(reference));
    try {
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') return null;
      return await handle.query(caseStateQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  private async stored(reference: string, columns: string[]): Promise<StoredCase> {
    const db = this.store.db;
    const found = (await db
      .selectFrom('contact_case')
      .select(['version', 'state', ...(columns.filter((column) => column !== 'version') as Array<'version'>)])
      .where('reference', '=', reference)
      .executeTakeFirst()) as Record<string, unknown> | undefined;
    const row = found && Object.fromEntries(Object.entries(found).map(([column, value]) => [column, asStated(value)]));
    const changes = await db.selectFrom('case_change').select(['version', 'hash']).where('reference', '=', reference).execute();
    const entries = await db.selectFrom('case_event').select('id').where('reference', '=', reference).execute();
    const [first, ...others] = commandRecordTables().map((table) => db.selectFrom(table).select('id').where('reference', '=', reference));
    const records = await others.reduce((all, next) => all.unionAll(next), first).execute();
    const alerts = await db
      .selectFrom('case_alert')
      .select((eb) => ['id', eb.and([eb('acknowledged_at', 'is', null), eb('closed_at', 'is', null)]).as('open')])
      .where('reference', '=', reference)
      .execute();
    return {
      version: (row?.version as number | undefined) ?? null,
      state: (row?.state as StoredCaseState | undefined) ?? null,
      row: row ?? null,
      changes: new Map(changes.map((change) => [change.version, change.hash])),
      entryIds: new Set(entries.map((entry) => entry.id)),
      timeline: entries.length,
      recordIds: new Set(records.map((record) => record.id)),
      alertIds: new Set(alerts.map((alert) => alert.id)),
      openAlertIds: new Set(alerts.filter((alert) => alert.open).map((alert) => alert.id)),
    };
  }
}
