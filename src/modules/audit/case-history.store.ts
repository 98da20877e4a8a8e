import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { type temporal } from '@temporalio/proto';
import type { CaseArchiveInput } from '../../workflows/case-archive.messages.js';
import { ContactCaseSchema } from '../contact-cases/contact-case.entity.js';
import { CaseHistorySchema } from './audit.entity.js';
import { historyFromPlain } from './history-json.js';

export interface StoredHistory {
  workflowId: string;
  runId: string;
  exportedAt: string;
  history: temporal.api.history.v1.IHistory;
}

/** Closed cases' event histories in the case store (append-only at the database). */
@Injectable()
export class CaseHistoryStore {
  constructor(private readonly orm: MikroORM) {}

  async save(input: CaseArchiveInput, history: object, eventCount: number): Promise<void> {
    await this.orm.em
      .fork()
      .createQueryBuilder(CaseHistorySchema)
      .insert({ reference: input.reference, runId: input.runId, workflowId: input.workflowId, eventCount, history, exportedAt: new Date() })
      .onConflict(['reference', 'runId'])
      .ignore()
      .execute();
  }

  /** Whether the case store has the case at all (every case it has, Temporal has or had a history for). */
  async hasCase(reference: string): Promise<boolean> {
    return (await this.orm.em.fork().count(ContactCaseSchema, { reference })) > 0;
  }

  /** Every exported run of a case, in the order the runs closed (a case that continued as new has several). */
  async loadAll(reference: string): Promise<StoredHistory[]> {
    const rows = await this.orm.em.fork().find(CaseHistorySchema, { reference }, { orderBy: { exportedAt: 'asc', runId: 'asc' } });
    return rows.map((row) => ({ workflowId: row.workflowId, runId: row.runId, exportedAt: row.exportedAt.toISOString(), history: historyFromPlain(row.history) }));
  }
}
