import { ApplicationFailure } from '@temporalio/common';
import { ActivitiesProvider } from '../modules/temporal/activities.decorator.js';
import { CaseHistoryStore } from '../modules/audit/case-history.store.js';
import { historyToPlain } from '../modules/audit/history-json.js';
import { TemporalClientService } from '../modules/temporal/temporal-client.module.js';
import { CASE_STILL_OPEN, type CaseArchiveInput } from '../workflows/case-archive.messages.js';

/** Copies a closed case's event history into the case store, payloads encrypted as the server holds them. */
@ActivitiesProvider()
export class CaseHistoryActivities {
  constructor(
    private readonly temporal: TemporalClientService,
    private readonly histories: CaseHistoryStore,
  ) {}

  async exportCaseHistory(input: CaseArchiveInput): Promise<void> {
    const handle = this.temporal.client.workflow.getHandle(input.workflowId, input.runId);
    const { status } = await handle.describe();
    if (status.name === 'RUNNING') throw ApplicationFailure.retryable(`Case ${input.reference} has not closed yet`, CASE_STILL_OPEN);
    const history = await handle.fetchHistory();
    await this.histories.save(input, historyToPlain(history), history.events?.length ?? 0);
  }
}
