import { createHash } from 'node:crypto';
import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';

/** A Temporal Schedule the workers keep equal to the configuration: what it runs and when. */
export interface KeptSchedule {
  scheduleId: string;
  /** A cron expression, or `off` for no schedule. */
  cron: string;
  timeZone: string;
  workflowType: string;
  workflowId: string;
  taskQueue: string;
  args: unknown[];
  /** Names the schedule in its note (with a fingerprint of what it was made from). */
  label: string;
}

/**
 * Keeps a Temporal Schedule equal to the configuration: created when missing, updated when the time
 * or what it runs changed, deleted when its cron is `off`. Every worker calls it at start; they
 * agree, so the last one's write changes nothing. Answers what it did.
 */
export async function keepSchedule(client: Client, wanted: KeptSchedule): Promise<'created' | 'updated' | 'unchanged' | 'deleted' | 'off'> {
  const handle = client.schedule.getHandle(wanted.scheduleId);
  if (wanted.cron === 'off') {
    try {
      await handle.delete();
      return 'deleted';
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return 'off';
      throw error;
    }
  }
  const spec = { cronExpressions: [wanted.cron], timezone: wanted.timeZone };
  const action = { type: 'startWorkflow' as const, workflowType: wanted.workflowType, workflowId: wanted.workflowId, taskQueue: wanted.taskQueue, args: wanted.args };
  // The schedule's note carries a fingerprint of what it was made from (the server keeps a cron
  // expression only as calendars, so the spec cannot be compared as it was given).
  const note = `${wanted.label} ${createHash('sha256').update(JSON.stringify({ spec, action })).digest('hex').slice(0, 16)}`;
  try {
    await client.schedule.create({ scheduleId: wanted.scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' }, state: { note } });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const current = await handle.describe();
  if (current.state.note === note) return 'unchanged';
  await handle.update((previous) => ({ ...previous, spec, action, state: { ...previous.state, note } }));
  return 'updated';
}
