import { type Client } from '@temporalio/client';
import { keepSchedule } from '../platform/temporal/kept-schedule.js';
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

/** Keeps the Temporal Schedule that runs the drill equal to DRILL_SCHEDULE (see keepSchedule). */
export async function ensureDrillSchedule(client: Client, config: AppConfig): Promise<'created' | 'updated' | 'unchanged' | 'deleted' | 'off'> {
  const scheduleId = continuityDrillScheduleId(config.temporal.taskQueue);
  const input: ContinuityDrillInput = { trigger: 'schedule', requestedBy: scheduleActor, settings: drillSettingsOf(config) };
  return keepSchedule(client, {
    scheduleId,
    cron: config.drills.schedule,
    timeZone: config.drills.timeZone,
    workflowType: continuityDrillWorkflowType,
    workflowId: `${scheduleId}-run`,
    taskQueue: config.temporal.taskQueue,
    args: [input],
    label: 'continuity drill',
  });
}
