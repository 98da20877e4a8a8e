import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { type temporal } from '@temporalio/proto';
import type { CaseArchiveInput } from '../../workflows/case-archive.messages.js';
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
    await this.orm.em.fork().execute(
      `insert into case_history (reference, run_id, workflow_id, event_count, history, exported_at) values (?, ?, ?, ?, ?, ?)
       on conflict (reference, run_id) do nothing`,
      [input.reference, input.runId, input.workflowId, eventCount, JSON.stringify(history), new Date()],
    );
  }

  /** Whether the case store has the case at all (every case it has, Temporal has or had a history for). */
  async hasCase(reference: string): Promise<boolean> {
    const [row] = await this.orm.em.fork().execute<Array<{ found: boolean }>>('select exists (select 1 from contact_case where reference = ?) as found', [reference]);
    return row.found;
  }

  /** Every exported run of a case, in the order the runs closed (a case that continued as new has several). */
  async loadAll(reference: string): Promise<StoredHistory[]> {
    const rows = await this.orm.em
      .fork()
      .execute<Array<{ workflow_id: string; run_id: string; exported_at: Date | string; history: unknown }>>(
        'select workflow_id, run_id, exported_at, history from case_history where reference = ? order by exported_at, run_id',
        [reference],
      );
    return rows.map((row) => ({ workflowId: row.workflow_id, runId: row.run_id, exportedAt: new Date(row.exported_at).toISOString(), history: historyFromPlain(row.history) }));
  }
}
