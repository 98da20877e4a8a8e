import { resumeClock as resumeInBook } from '../clocks.js';
import { type CaseCommandDefinition, invalid, noSuchClock } from './command.js';

export interface ResumeClockCommand {
  type: 'resume-clock';
  clock: string;
}

/** Starts a paused clock counting again, its due time moved on by the pause (the clock's entry records it). */
export const resumeClock: CaseCommandDefinition<ResumeClockCommand> = {
  type: 'resume-clock',
  update: 'resumeClock',
  // Given through the pause-clock's request, whose body says whether to pause or resume.
  reject(state, command) {
    const clock = state.clocks.find((candidate) => candidate.id === command.clock);
    if (!clock) return noSuchClock(state, command.clock);
    if (clock.state !== 'paused') return invalid(`Clock ${clock.id} is ${clock.state}, not paused`, [{ field: 'clock', message: `clock is ${clock.state}` }]);
    return null;
  },
  apply: () => [],
  clocks(plan, command, { actor, nowMs }) {
    plan.then(resumeInBook(plan.book, command.clock, actor, nowMs));
  },
};
