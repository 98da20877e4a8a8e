import { type CaseCommandType } from '../contact-case.js';
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
import { sendMessage } from './send-message.js';

/** Every case command, by its type: a command type without its module does not compile. */
export const caseCommands: { readonly [T in CaseCommandType]: CaseCommandDefinition<T> } = {
  assess,
  'decide-downgrade': decideDowngrade,
  'record-incident': recordIncident,
  'decide-crime': decideCrime,
  'record-attendance': recordAttendance,
  refer,
  'add-note': addNote,
  resolve,
  escalate,
  'pause-clock': pauseClock,
  'resume-clock': resumeClock,
  'acknowledge-alert': acknowledgeAlert,
  assign,
  regrade,
  'caller-recontacted': callerRecontacted,
  'receive-message': receiveMessage,
  'send-message': sendMessage,
};

export { type CaseCommandDefinition, type CommandOf } from './command.js';
