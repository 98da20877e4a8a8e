import { type NoteKind } from '../contact-case.js';
import { armClock, meetClocks } from '../clocks.js';
import { alwaysAllowed, type CaseCommandDefinition } from './command.js';

export interface AddNoteCommand {
  type: 'add-note';
  text: string;
  kind?: NoteKind;
}

/** A note (its words go to the case store only); a `victim-update` note meets the Victims' Code update clocks. */
export const addNote: CaseCommandDefinition<AddNoteCommand> = {
  type: 'add-note',
  update: 'addNote',
  reject: alwaysAllowed,
  apply(next, command) {
    next.noteCount += 1;
    return [{ type: 'note', details: { note: next.noteCount, kind: command.kind ?? 'general' } }];
  },
  clocks(plan, command, { next, nowMs, policy }) {
    if (command.kind === 'victim-update' && next.crimeDecision?.crimeRecorded) {
      plan.then(meetClocks(plan.book, 'victim-update', nowMs));
      plan.then(meetClocks(plan.book, 'victim-update-enhanced', nowMs));
      plan.then(meetClocks(plan.book, 'victim-update-cadence', nowMs));
      plan.then(armClock(plan.book, policy, 'victim-update-cadence', nowMs));
    }
  },
};
