import { proxyActivities, sleep, uuid4, workflowInfo } from '@temporalio/workflow';
import { expectedAlarms } from '../domain/continuity-drill.js';
import type { ContinuityDrillActivities, ContinuityDrillInput, DrillRecord } from './continuity-drill.messages.js';

const { openDrillCases, verifyDrill, recordDrill, closeDrillCases } = proxyActivities<ContinuityDrillActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

// The restart is asked of whichever worker takes the task; it goes down after answering.
const { restartWorker } = proxyActivities<ContinuityDrillActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

/** Time for the last alarms' writes and alert deliveries to land before the drill judges them. */
const SETTLE_MS = 20_000;

/**
 * A continuity drill: synthetic cases with short clocks, a worker restarted while they run, then
 * the check that every clock fired once and on time and every alert was delivered, recorded in the
 * case store. The drill's own timer waits through the restart like any case's does.
 */
export async function continuityDrillWorkflow(input: ContinuityDrillInput): Promise<DrillRecord> {
  const { workflowId } = workflowInfo();
  const drillId = uuid4();
  const startedAt = new Date().toISOString();
  const actor = input.requestedBy;
  const cases = await openDrillCases({ drillId, settings: input.settings, actor });
  const restart = await restartWorker({ downMs: input.settings.workerDownSeconds * 1000 });
  const expected = expectedAlarms(cases);
  const lastDue = Math.max(...expected.map((alarm) => Date.parse(alarm.dueAt)));
  // Wait past the last clock by the tolerance: a clock that has not fired by then is late.
  await sleep(Math.max(0, lastDue + input.settings.toleranceSeconds * 1000 - Date.now()));
  const verdict = await verifyDrill({ expected, toleranceMs: input.settings.toleranceSeconds * 1000, settleMs: SETTLE_MS });
  const record: DrillRecord = {
    drillId,
    workflowId,
    trigger: input.trigger,
    requestedBy: actor,
    settings: input.settings,
    startedAt,
    finishedAt: new Date().toISOString(),
    references: cases.map((item) => item.reference),
    restart,
    verdict,
  };
  await recordDrill(record);
  // The drill's cases are closed, so that they raise nothing more.
  await closeDrillCases({ references: record.references, actor, drillId });
  return record;
}
