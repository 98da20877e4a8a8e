import { proxyActivities } from '@temporalio/workflow';
import type { StoreReconciliationActivities, StoreReconciliationInput, StoreReconciliationResult } from './store-reconciliation.messages.js';

/** A comparison of many cases takes a while: the activity reports each case as it goes (a heartbeat). */
const { reconcileStore } = proxyActivities<StoreReconciliationActivities>({
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', maximumAttempts: 5 },
});

/** Compares the case store with the cases' workflows and records the result (npm run audit:reconcile, on a schedule). */
export async function storeReconciliationWorkflow(input: StoreReconciliationInput): Promise<StoreReconciliationResult> {
  return reconcileStore(input);
}
