import { createHash } from 'node:crypto';
import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { type AppConfig } from '../../config/app-config.js';
import { type ActorRef } from '../../domain/actor.js';
import { type DrillSettings } from '../../domain/continuity-drill.js';
import { continuityDrillScheduleId, continuityDrillWorkflowType, type ContinuityDrillInput } from '../../workflows/continuity-drill.messages.js';

/** Who a scheduled drill is recorded as requested by. */
export const scheduleActor: ActorRef = { subject: 'continuity-drill-schedule', role: 'system' };

export const drillSettingsOf = (config: AppConfig): DrillSettings => ({
  cases: config.drills.cases,
  clockSeconds: config.drills.clockSeconds,
  workerDownSeconds: config.drills.workerDownSeconds,
  toleranceSeconds: config.drills.toleranceSeconds,
});

/**
 * Keeps the Temporal Schedule that runs the drill equal to the configuration: created when missing,
 * updated when the time or the settings changed, deleted when DRILL_SCHEDULE is `off`. Every
 * worker calls it at start; they agree, so the last one's write changes nothing. Answers what it did.
 */
export async function ensureDrillSchedule(client: Client, config: AppConfig): Promise<'created' | 'updated' | 'unchanged' | 'deleted' | 'off'> {
  const scheduleId = continuityDrillScheduleId(config.temporal.taskQueue);
  const handle = client.schedule.getHandle(scheduleId);
  if (config.drills.schedule === 'off') {
    try {
      await handle.delete();
      return 'deleted';
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return 'off';
      throw error;
    }
  }
  const input: ContinuityDrillInput = { trigger: 'schedule', requestedBy: scheduleActor, settings: drillSettingsOf(config) };
  const spec = { cronExpressions: [config.drills.schedule], timezone: config.drills.timeZone };
  const action = { type: 'startWorkflow' as const, workflowType: continuityDrillWorkflowType, workflowId: `${scheduleId}-run`, taskQueue: config.temporal.taskQueue, args: [input] };
  // The schedule's note carries a fingerprint of what it was made from (the server keeps a cron
  // expression only as calendars, so the spec cannot be compared as it was given).
  const note = `continuity drill ${createHash('sha256').update(JSON.stringify({ spec, action })).digest('hex').slice(0, 16)}`;
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' }, state: { note } });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const current = await handle.describe();
  if (current.state.note === note) return 'unchanged';
  await handle.update((previous) => ({ ...previous, spec, action, state: { ...previous.state, note } }));
  return 'updated';
}
