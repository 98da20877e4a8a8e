import { pauseClock as pauseInBook, type PauseReason, pauseReasons } from '../clocks.js';
import { type CaseCommandDefinition, commandRequest, invalid, noSuchClock } from './command.js';
import { Permission } from '../permissions.js';
import { type ResumeClockCommand } from './resume-clock.js';

export interface PauseClockCommand {
  type: 'pause-clock';
  clock: string;
  reason: PauseReason;
}

/** Stops a counting clock for a reason the policy allows (the clock's entry records it). */
export const pauseClock: CaseCommandDefinition<PauseClockCommand> = {
  type: 'pause-clock',
  update: 'pauseClock',
  request: commandRequest<PauseClockCommand | ResumeClockCommand>()({
    operation: 'pauseClock',
    bodyName: 'ClockPauseDto',
    resource: 'clock-pauses',
    permission: Permission.ClockPause,
    summary: 'Pause a clock with a reason code, or resume it: the paused span moves its due time and is recorded',
    body: ({ z, CLOCK_ID }) => {
      const clockId = z.string().regex(CLOCK_ID, { error: 'must be a clock id such as attendance-1' }).meta({ description: "The clock's id on the case, for example `attendance-1`", example: 'attendance-1' });
      // A pause needs its reason; a resume may say one.
      return z.discriminatedUnion('action', [
        z.strictObject({ clock: clockId, action: z.literal('pause'), reason: z.enum(pauseReasons).meta({ description: 'Required to pause' }) }),
        z.strictObject({ clock: clockId, action: z.literal('resume'), reason: z.enum(pauseReasons).optional() }),
      ]);
    },
    // One request for both: its body says whether to pause or resume.
    given: (body) => {
      if (body.action === 'resume') return { command: { type: 'resume-clock', clock: body.clock } };
      return { command: { type: 'pause-clock', clock: body.clock, reason: body.reason } };
    },
  }),
  reject(state, command) {
    const clock = state.clocks.find((candidate) => candidate.id === command.clock);
    if (!clock) return noSuchClock(state, command.clock);
    if (!['running', 'warned', 'breached'].includes(clock.state)) return invalid(`Clock ${clock.id} is ${clock.state}: only a counting clock can be paused`, [{ field: 'clock', message: `clock is ${clock.state}` }]);
    return null;
  },
  apply: () => [],
  clocks(plan, command, { actor, nowMs }) {
    plan.then(pauseInBook(plan.book, command.clock, command.reason, actor, nowMs));
  },
};
