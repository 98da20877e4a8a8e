import { Context } from '@temporalio/activity';
import { ActivitiesProvider } from '../modules/platform/temporal/activities.decorator.js';
import { StoreReconciler } from '../modules/audit/store-reconciler.service.js';
import { AppLogger } from '../modules/platform/logging/app-logger.js';
import type { StoreReconciliationActivities, StoreReconciliationInput, StoreReconciliationResult } from '../workflows/store-reconciliation.messages.js';

/** Runs the store reconciliation for its schedule, on a worker (which reaches both Temporal and the store). */
@ActivitiesProvider()
export class StoreReconciliationActivitiesProvider implements StoreReconciliationActivities {
  constructor(
    private readonly reconciler: StoreReconciler,
    private readonly logger: AppLogger,
  ) {}

  async reconcileStore(input: StoreReconciliationInput): Promise<StoreReconciliationResult> {
    // A scheduled run compares what changed since the last scheduled run began (the first, everything).
    const since = input.scope === 'changed' ? await this.reconciler.lastStart('schedule') : undefined;
    const report = await this.reconciler.run({ trigger: input.trigger, requestedBy: input.requestedBy, since, onCase: (done, total) => Context.current().heartbeat({ done, total }) });
    const log = report.outcome === 'clean' ? 'log' : 'error';
    this.logger[log]({ msg: 'case store reconciled with the workflows', id: report.id, cases: report.cases, divergences: report.divergences.length, divergentCases: report.divergentCases }, 'Reconciliation');
    return { id: report.id, cases: report.cases, divergences: report.divergences.length, outcome: report.outcome };
  }
}
