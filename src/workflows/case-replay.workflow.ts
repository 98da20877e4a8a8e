import { proxyActivities } from '@temporalio/workflow';
import type { CaseReplayActivities, CaseReplayInput, ReplayReport } from './case-replay.messages.js';

const { replayCase } = proxyActivities<CaseReplayActivities>({
  startToCloseTimeout: '2 minutes',
  // A divergence is a verdict, not a failure; only an unreachable store or server is retried.
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
});

/** Replays one case's recorded history against the worker's workflow code, for the API. */
export async function caseReplayWorkflow(input: CaseReplayInput): Promise<ReplayReport> {
  return replayCase(input);
}
