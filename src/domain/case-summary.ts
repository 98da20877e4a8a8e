import { activeClocks, hasBreach, nextAlarm } from './clocks.js';
import { type ContactCaseState } from './contact-case.js';
import { needsCrimeDecision } from './recording.js';

/**
 * What the Temporal Web UI shows of a case: codes, grades, clock names and times only. Never a
 * name, a number, an address or a word of the narrative: these strings leave the case store.
 */

/** The one-line summary fixed at start. */
export function caseSummary(state: Pick<ContactCaseState, 'reference' | 'channel' | 'grade' | 'screening'>): string {
  const marker = state.screening.riskMarker === 'IR' ? ' · IR' : '';
  return `${state.reference} · ${state.channel}${marker} · ${state.grade === null ? 'ungraded' : `grade ${state.grade}`}`;
}

/** What the case is waiting for, in a handler's words. */
export function waitingFor(state: ContactCaseState): string {
  if (state.stage === 'closed') return `nothing: closed as ${state.resolution?.outcome ?? 'resolved'}`;
  if (state.pendingDowngrade) return `a supervisor's decision on the downgrade to grade ${state.pendingDowngrade.toGrade}`;
  if (state.stage === 'triage') return 'a THRIVE(S) assessment and grade';
  if (state.stage === 'recording') return 'the NSIR incident record';
  const steps: string[] = [];
  if (needsCrimeDecision(state.incident) && !state.crimeDecision) steps.push('the NCRS crime recording decision');
  if (state.grade !== null && state.grade < 4 && !state.attendance.dispatchedAt) steps.push('a unit to be dispatched');
  else if (state.attendance.dispatchedAt && !state.attendance.arrivedAt) steps.push('the unit to arrive');
  steps.push('resolution');
  return steps.join(', then ');
}

/** The details the UI shows as the workflow's current state: updated with every change. */
export function caseDetails(state: ContactCaseState): string {
  const alarm = nextAlarm(state);
  const counting = activeClocks(state);
  return [
    `**${state.grade === null ? 'Ungraded' : `Grade ${state.grade}`}** · stage ${state.stage} · escalation level ${state.escalationLevel}${hasBreach(state) ? ' · **breached**' : ''}`,
    `Waiting for: ${waitingFor(state)}`,
    `Next: ${alarm ? `${alarm.summary} at ${new Date(alarm.atMs).toISOString()}` : 'no clock counting'}`,
    `Clocks: ${counting.length === 0 ? 'none counting' : counting.map((clock) => `${clock.id} ${clock.state} (due ${clock.dueAt})`).join('; ')}`,
    `Policy ${state.policyVersion} · team ${state.team}`,
  ].join('\n');
}
