import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { type temporal } from '@temporalio/proto';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { contactCaseWorkflowId } from '../../workflows/contact-case.messages.js';
import { DomainError, DomainErrorCode } from '../platform/errors/domain-error.js';
import { AesGcmPayloadCodec, loadPayloadKeys } from '../platform/temporal/payload-codec.js';
import { TemporalClientService } from '../platform/temporal/temporal-client.module.js';
import { CaseHistoryStore } from './case-history.store.js';
import { historyTimeline } from './history-timeline.js';

export interface CaseHistory {
  source: 'archive' | 'live';
  workflowId: string;
  runId: string;
  history: temporal.api.history.v1.IHistory;
}

/** Where a case's histories came from: all exported, all live, or the earlier runs exported and the current one live. */
export type HistorySource = 'archive' | 'live' | 'archive and live';

export const sourceOf = (runs: CaseHistory[]): HistorySource => {
  const kinds = new Set(runs.map((run) => run.source));
  return kinds.size > 1 ? 'archive and live' : (runs[0]?.source ?? 'archive');
};

/**
 * A case's recorded histories, every run of it, oldest first: those exported into the case store
 * (each run that closed), then the live run from Temporal when it is not exported yet.
 */
@Injectable()
export class CaseHistoryReader {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly histories: CaseHistoryStore,
    private readonly temporal: TemporalClientService,
  ) {}

  async runs(reference: string): Promise<CaseHistory[]> {
    const archived: CaseHistory[] = (await this.histories.loadAll(reference)).map((run) => ({ source: 'archive', workflowId: run.workflowId, runId: run.runId, history: run.history }));
    const workflowId = contactCaseWorkflowId(reference);
    const runs = [...archived];
    try {
      const handle = this.temporal.client.workflow.getHandle(workflowId);
      const { runId } = await handle.describe();
      if (!archived.some((run) => run.runId === runId)) runs.push({ source: 'live', workflowId, runId, history: await handle.fetchHistory() });
    } catch (error) {
      // Gone from Temporal (past retention, or deleted): the archive is the record.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    if (runs.length === 0) throw new DomainError(DomainErrorCode.NotFound, `No history for case ${reference}`);
    return runs;
  }

  /** The histories as one readable timeline (payloads decrypted only to find actors and commands). */
  async timeline(reference: string) {
    const runs = await this.runs(reference);
    const codec = new AesGcmPayloadCodec(loadPayloadKeys(this.config.codec.keys));
    const timelines = await Promise.all(runs.map((run) => historyTimeline(run.history, codec)));
    return {
      reference,
      source: sourceOf(runs),
      policyVersion: timelines[0].policyVersion,
      runs: runs.length,
      events: runs.reduce((sum, run) => sum + (run.history.events?.length ?? 0), 0),
      items: timelines.flatMap((timeline) => timeline.items),
    };
  }
}
