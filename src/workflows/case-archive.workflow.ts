import { proxyActivities } from '@temporalio/workflow';
import type { CaseArchiveInput, CaseHistoryActivities } from './case-archive.messages.js';

const { exportCaseHistory } = proxyActivities<CaseHistoryActivities>({
  startToCloseTimeout: '1 minute',
  // It waits for the case's run to close (started just before it completes); retried if that fails.
  retry: { initialInterval: '1 second', backoffCoefficient: 1.5, maximumInterval: '1 minute' },
});

/** Keeps a closed case's full event history in the case store, beyond the namespace's retention. */
export async function caseArchiveWorkflow(input: CaseArchiveInput): Promise<void> {
  await exportCaseHistory(input);
}
