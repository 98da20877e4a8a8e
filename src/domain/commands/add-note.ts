import { armClock, meetClocks } from '../clocks.js';
import { alwaysAllowed, type CaseCommandDefinition, commandRequest } from './command.js';
import { Permission } from '../permissions.js';

/** A `victim-update` note records that the victim was told of progress (Victims' Code). */
export const noteKinds = ['general', 'victim-update'] as const;
export type NoteKind = (typeof noteKinds)[number];

export interface AddNoteCommand {
  type: 'add-note';
  text: string;
  kind?: NoteKind;
}

/** A note (its words go to the case store only); a `victim-update` note meets the Victims' Code update clocks. */
export const addNote: CaseCommandDefinition<AddNoteCommand> = {
  type: 'add-note',
  update: 'addNote',
  request: commandRequest<AddNoteCommand>()({
    operation: 'addNote',
    bodyName: 'NoteDto',
    resource: 'notes',
    permission: Permission.ContactAddNote,
    summary: 'Add a note to the case',
    body: ({ z, text }) => z.strictObject({
      text: text(1, 5000),
      kind: z
        .enum(noteKinds)
        .optional()
        .meta({ default: 'general', description: "`victim-update`: the victim was told of progress (meets the Victims' Code clocks)" }),
    }),
    given: (body) => ({ command: { type: 'add-note', text: body.text, kind: body.kind } }),
  }),
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
