/**
 * The store reconciliation's contract, shared by the schedule, the workflow and its activity: the
 * case store compared with the cases' workflows, the result recorded for the auditors.
 */
export const storeReconciliationWorkflowType = 'storeReconciliationWorkflow';

/** One schedule per task queue, so that deployments sharing a namespace keep theirs apart. */
export const storeReconciliationScheduleId = (taskQueue: string) => `store-reconciliation-${taskQueue}`;

export interface StoreReconciliationInput {
  trigger: 'schedule' | 'api';
  requestedBy: string;
  /** Compare every case (`all`), or those changed since the last scheduled run (`changed`). */
  scope: 'all' | 'changed';
}

export interface StoreReconciliationResult {
  id: string;
  cases: number;
  divergences: number;
  outcome: 'clean' | 'divergent';
}

export interface StoreReconciliationActivities {
  reconcileStore(input: StoreReconciliationInput): Promise<StoreReconciliationResult>;
}
