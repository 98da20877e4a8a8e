import { WorkflowContinuedAsNewError, WorkflowFailedError } from '@temporalio/client';
import { ActivitiesProvider } from '../modules/platform/temporal/activities.decorator.js';
import { CaseHistoryStore } from '../modules/audit/case-history.store.js';
import { historyToPlain } from '../modules/audit/history-json.js';
import { TemporalClientService } from '../modules/platform/temporal/temporal-client.module.js';
import { type CaseArchiveInput, type CaseHistoryActivities } from '../workflows/case-archive.messages.js';

/** Copies a closed case's event history into the case store, payloads encrypted as the server holds them. */
@ActivitiesProvider()
export class CaseHistoryActivitiesProvider implements CaseHistoryActivities {
  constructor(
    private readonly temporal: TemporalClientService,
    private readonly histories: CaseHistoryStore,
  ) {}

  async exportCaseHistory(input: CaseArchiveInput): Promise<void> {
    // The case starts this just before its run completes: wait for that run (this run only, not
    // one it continues as) to close, in one long poll rather than failed attempts and retries.
    try {
      await this.temporal.client.workflow.result(input.workflowId, input.runId, { followRuns: false });
    } catch (error) {
      // Closed another way (failed, terminated, continued as new): its history is complete all the same.
      if (!(error instanceof WorkflowFailedError || error instanceof WorkflowContinuedAsNewError)) throw error;
    }
    const history = await this.temporal.client.workflow.getHandle(input.workflowId, input.runId).fetchHistory();
    await this.histories.save(input, historyToPlain(history), history.events?.length ?? 0);
  }
}
