import { type CaseCommandType } from '../../../domain/contact-case.js';
import { addNoteRoute } from './add-note.js';
import { assessRoute } from './assess.js';
import { assignRoute } from './assign.js';
import { decideCrimeRoute } from './decide-crime.js';
import { decideDowngradeRoute } from './decide-downgrade.js';
import { escalateRoute } from './escalate.js';
import { pauseClockRoute } from './pause-clock.js';
import { recordAttendanceRoute } from './record-attendance.js';
import { recordIncidentRoute } from './record-incident.js';
import { referRoute } from './refer.js';
import { regradeRoute } from './regrade.js';
import { resolveRoute } from './resolve.js';
import { reviewRiskRoute } from './review-risk.js';
import { type CommandRoute } from './route.js';

/**
 * Every case command's route, by command type: `null` for a command no handler sends through this
 * table (the connectors', the intake's, one with a route of its own). A command type missing here
 * does not compile, so a new command states its route.
 */
export const commandRoutes: { readonly [T in CaseCommandType]: CommandRoute<unknown> | null } = {
  assess: assessRoute,
  'decide-downgrade': decideDowngradeRoute,
  'record-incident': recordIncidentRoute,
  'decide-crime': decideCrimeRoute,
  'record-attendance': recordAttendanceRoute,
  refer: referRoute,
  'add-note': addNoteRoute,
  escalate: escalateRoute,
  'pause-clock': pauseClockRoute,
  resolve: resolveRoute,
  assign: assignRoute,
  regrade: regradeRoute,
  'review-risk': reviewRiskRoute,
  // Taken by the clock-pauses route, whose body says whether to pause or resume.
  'resume-clock': null,
  // Acknowledged through the alerts (POST /alerts/:id/acknowledgement), which name the alert.
  'acknowledge-alert': null,
  // A reply is its own route beside these (POST /contacts/:reference/messages): it answers with the message's id.
  'send-message': null,
  // Handed over by the platform connectors (the channels' webhook), never by a handler.
  'receive-message': null,
  // Raised by an intake that finds the caller's earlier case in triage.
  'caller-recontacted': null,
};
