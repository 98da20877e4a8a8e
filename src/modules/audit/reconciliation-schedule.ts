import { type Client } from '@temporalio/client';
import { type AppConfig } from '../../config/app-config.js';
import { storeReconciliationScheduleId, type StoreReconciliationInput, storeReconciliationWorkflowType } from '../../workflows/store-reconciliation.messages.js';
import { keepSchedule } from '../platform/temporal/kept-schedule.js';

/** Keeps the Temporal Schedule that reconciles the case store equal to RECONCILE_SCHEDULE (see keepSchedule). */
export async function ensureReconciliationSchedule(client: Client, config: AppConfig): Promise<'created' | 'updated' | 'unchanged' | 'deleted' | 'off'> {
  const scheduleId = storeReconciliationScheduleId(config.temporal.taskQueue);
  const input: StoreReconciliationInput = { trigger: 'schedule', requestedBy: 'store-reconciliation-schedule', scope: 'changed' };
  return keepSchedule(client, {
    scheduleId,
    cron: config.store.reconcileSchedule,
    timeZone: config.store.reconcileTimeZone,
    workflowType: storeReconciliationWorkflowType,
    workflowId: `${scheduleId}-run`,
    taskQueue: config.temporal.taskQueue,
    args: [input],
    label: 'store reconciliation',
  });
}
