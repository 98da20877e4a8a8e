import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { CaseStore, StoreRefusal } from '../contact-cases/case-store.service.js';
import { StoreDatabase } from '../platform/database/store-db.js';
import { AesGcmPayloadCodec, loadPayloadKeys } from '../platform/temporal/payload-codec.js';
import { CaseHistoryReader } from './case-history.reader.js';
import { recordedRun, type RecordedWrite, versionOf } from './recorded-writes.js';

export interface ResyncReport {
  reference: string;
  /** Changes the store did not hold, written now from the history. */
  written: number;
  /** Changes it held already (the same content). */
  present: number;
  /** Changes made before writes were exact: their content is not in the history, so they are left as they are. */
  legacy: number;
  /** What could not be put right: a version held with other content, in words (codes only). */
  problems: string[];
  /** True when the store now holds every change the history holds; the case's store alerts are then settled. */
  repaired: boolean;
}

/**
 * Rebuilds what the case store holds of a case from its workflow's history: every change the
 * history holds (each store write's input), written in order where it is missing, through the same
 * code and guards as the workflow's own writes, so nothing is written twice. The history is the live
 * one from Temporal while the case runs, its archive once closed, or both for a case that continued
 * as new.
 */
@Injectable()
export class StoreResync {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly histories: CaseHistoryReader,
    private readonly store: CaseStore,
    private readonly database: StoreDatabase,
  ) {}

  /** Every case the store knows, and every one it was alerted about (a case whose intake was never written). */
  async references(): Promise<string[]> {
    const db = this.database.db;
    const rows = await db.selectFrom('contact_case').select('reference').union(db.selectFrom('store_alert').select('reference')).orderBy('reference').execute();
    return rows.map((row) => row.reference);
  }

  async resync(reference: string): Promise<ResyncReport> {
    const codec = new AesGcmPayloadCodec(loadPayloadKeys(this.config.codec.keys));
    const runs = await Promise.all((await this.histories.runs(reference)).map((run) => recordedRun(run.history, codec)));
    const writes: RecordedWrite[] = runs.flatMap((run) => run.writes).sort((a, b) => versionOf(a) - versionOf(b));
    const report: ResyncReport = { reference, written: 0, present: 0, legacy: runs.reduce((sum, run) => sum + run.legacyWrites, 0), problems: [], repaired: false };
    for (const write of writes) {
      try {
        const result = write.kind === 'intake' ? await this.store.recordIntake(write.record, 'exact') : await this.store.applyChange(write.change, 'exact');
        if (result.outcome === 'written') report.written += 1;
        else report.present += 1;
      } catch (error) {
        if (!(error instanceof StoreRefusal)) throw error;
        report.problems.push(`version ${versionOf(write)}: ${error.kind === 'conflict' ? 'the store holds another change at this version' : 'an earlier change is missing from the history'}`);
        break;
      }
    }
    report.repaired = report.problems.length === 0;
    if (report.repaired) await this.store.resolveAlerts(reference);
    return report;
  }
}
