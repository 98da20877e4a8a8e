import { acknowledgeAlert } from './acknowledge-alert.js';
import { addNote } from './add-note.js';
import { assess } from './assess.js';
import { assign } from './assign.js';
import { callerRecontacted } from './caller-recontacted.js';
import { type CaseCommandDefinition } from './command.js';
import { decideCrime } from './decide-crime.js';
import { decideDowngrade } from './decide-downgrade.js';
import { escalate } from './escalate.js';
import { pauseClock } from './pause-clock.js';
import { receiveMessage } from './receive-message.js';
import { recordAttendance } from './record-attendance.js';
import { recordIncident } from './record-incident.js';
import { refer } from './refer.js';
import { regrade } from './regrade.js';
import { resolve } from './resolve.js';
import { resumeClock } from './resume-clock.js';
import { reviewRisk } from './review-risk.js';
import { sendMessage } from './send-message.js';

/**
 * Every case command's module. The command union is derived from this list, so a command is added
 * by writing its module and listing it here: the workflow's updates and the API's routes (in this
 * order, the document's) come from the modules, and the store's records from `commandRecords` for
 * a command that keeps one.
 */
const definitions = [
  assess,
  decideDowngrade,
  recordIncident,
  decideCrime,
  recordAttendance,
  refer,
  addNote,
  escalate,
  pauseClock,
  resolve,
  resumeClock,
  acknowledgeAlert,
  assign,
  regrade,
  callerRecontacted,
  receiveMessage,
  sendMessage,
  reviewRisk,
] as const;

/** Every case command a case takes: each module's shape. */
export type CaseCommand = (typeof definitions)[number] extends infer D ? (D extends CaseCommandDefinition<infer C> ? C : never) : never;
export type CaseCommandType = CaseCommand['type'];

/** One kind of case command. */
export type CommandOf<T extends CaseCommandType> = Extract<CaseCommand, { type: T }>;

function byType(list: ReadonlyArray<CaseCommandDefinition<CaseCommand>>): { readonly [T in CaseCommandType]: CaseCommandDefinition<CommandOf<T>> } {
  const registry = new Map<string, CaseCommandDefinition<CaseCommand>>();
  for (const definition of list) {
    // Two modules claiming one type (or one update name) would make one of them unreachable.
    if (registry.has(definition.type)) throw new Error(`Two case command modules have the type ${definition.type}`);
    if ([...registry.values()].some((other) => other.update === definition.update)) throw new Error(`Two case command modules have the update ${definition.update}`);
    registry.set(definition.type, definition);
  }
  return Object.fromEntries(registry) as { readonly [T in CaseCommandType]: CaseCommandDefinition<CommandOf<T>> };
}

/** Every case command, by its type. */
export const caseCommands = byType(definitions);

export { type CaseCommandDefinition } from './command.js';
