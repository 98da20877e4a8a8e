import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SystemCheckActivities, SystemCheckInput, SystemCheckResult } from './system-check.messages.js';

const { recordSystemCheck } = proxyActivities<SystemCheckActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function systemCheckWorkflow(input: SystemCheckInput): Promise<SystemCheckResult> {
  return recordSystemCheck({ ...input, workflowId: workflowInfo().workflowId });
}
