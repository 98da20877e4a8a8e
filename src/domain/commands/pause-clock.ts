import { pauseClock as pauseInBook, type PauseReason } from '../clocks.js';
import { type CaseCommandDefinition, invalid, noSuchClock } from './command.js';

export interface PauseClockCommand {
  type: 'pause-clock';
  clock: string;
  reason: PauseReason;
}

/** Stops a counting clock for a reason the policy allows (the clock's entry records it). */
export const pauseClock: CaseCommandDefinition<PauseClockCommand> = {
  type: 'pause-clock',
  update: 'pauseClock',
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
