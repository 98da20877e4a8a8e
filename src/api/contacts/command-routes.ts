import { applyDecorators, Body, Headers, HttpCode, Post, type Type } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { type CaseCommand, type CaseCommandType } from '../../domain/contact-case.js';
import { grantingRole, Permission } from '../../modules/platform/access/permissions.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { type AuthenticatedRequest, CurrentActor, RequirePermission } from '../access/access.decorators.js';
import { PathParam } from '../common/params.js';
import {
  AssessmentDto,
  AssignmentDto,
  AttendanceDto,
  ClockPauseDto,
  CrimeDecisionDto,
  DowngradeDecisionDto,
  EscalationDto,
  IncidentDto,
  NoteDto,
  ReferralDto,
  RegradeDto,
  ResolutionDto,
} from './contacts.dto.js';
import { CaseStateView } from './contacts.views.js';

export type Caller = NonNullable<AuthenticatedRequest['actor']>;

/** What a route's body becomes: the command, and who gives it (a supervisor acts in their supervising role). */
interface Given {
  command: CaseCommand;
  actor?: Caller;
}

/** A case command's route: `POST /contacts/:reference/<path>`, its permission, its body, and the command the body becomes. */
export interface CommandRoute<Body> {
  /**
   * The handler's name: the OpenAPI operation is `ContactsController_<name>`, which clients
   * generate code from, so it is never renamed.
   */
  name: string;
  path: string;
  permission: Permission;
  summary: string;
  /** The request body's schema (a nestjs-zod DTO): validation, the document and the type. */
  body: Type<Body>;
  /** States 201 explicitly (the routes that did before this table; the answer is 201 either way). */
  explicitCreated?: boolean;
  /** The command the body becomes; may refuse (a 4xx naming the field) what the schema cannot say. */
  given(body: Body, actor: Caller): Given;
}

const route = <Body>(definition: CommandRoute<Body>): CommandRoute<Body> => definition;

/**
 * Every case command's route, by command type: `null` for a command no handler sends through this
 * table (the connectors', the intake's, one with a route of its own). A command type missing here
 * does not compile, so a new command states its route.
 */
export const commandRoutes: { readonly [T in CaseCommandType]: CommandRoute<unknown> | null } = {
  assess: route({
    name: 'assess',
    path: 'assessments',
    permission: Permission.ContactAssess,
    summary: 'Record a THRIVE(S) assessment and proposed grade (a downgrade waits for approval)',
    body: AssessmentDto,
    given: (body) => ({ command: { type: 'assess', assessment: { factors: { ...body.factors }, proposedGrade: body.proposedGrade } } }),
  }),
  'decide-downgrade': route({
    name: 'decideDowngrade',
    path: 'downgrade-approvals',
    permission: Permission.ContactApproveDowngrade,
    summary: 'Approve or refuse the pending downgrade (a supervisor other than its proposer)',
    body: DowngradeDecisionDto,
    given: (body) => ({ command: { type: 'decide-downgrade', approve: body.approve, rationale: body.rationale } }),
  }),
  'record-incident': route({
    name: 'recordIncident',
    path: 'incident',
    permission: Permission.ContactRecordIncident,
    summary: 'Record the NSIR incident: opening category and qualifiers',
    body: IncidentDto,
    given: (body) => ({ command: { type: 'record-incident', incident: { openingCategory: body.openingCategory, qualifiers: body.qualifiers } } }),
  }),
  'decide-crime': route({
    name: 'decideCrime',
    path: 'crime-decision',
    permission: Permission.ContactDecideCrime,
    summary: 'Record the NCRS crime recording decision',
    body: CrimeDecisionDto,
    // Whether the decision holds together (a classification for a crime, a reason for none) is the
    // case's rule, checked by its workflow: a 422 naming the field.
    given: (body) => ({
      command: {
        type: 'decide-crime',
        decision: { crimeRecorded: body.crimeRecorded, classification: body.classification, noCrimeReason: body.noCrimeReason, victimSupportOptOut: body.victimSupportOptOut },
      },
    }),
  }),
  'record-attendance': route({
    name: 'recordAttendance',
    path: 'attendance',
    permission: Permission.ContactRecordAttendance,
    summary: 'Record deployment: a unit dispatched, then arrived',
    body: AttendanceDto,
    given: (body) => ({ command: { type: 'record-attendance', event: body.event, unit: body.unit } }),
  }),
  refer: route({
    name: 'refer',
    path: 'referrals',
    permission: Permission.ContactRefer,
    summary: 'Refer to a partner agency or for safeguarding',
    body: ReferralDto,
    given: (body) => ({ command: { type: 'refer', referral: { agency: body.agency, kind: body.kind, reason: body.reason } } }),
  }),
  'add-note': route({
    name: 'addNote',
    path: 'notes',
    permission: Permission.ContactAddNote,
    summary: 'Add a note to the case',
    body: NoteDto,
    given: (body) => ({ command: { type: 'add-note', text: body.text, kind: body.kind } }),
  }),
  escalate: route({
    name: 'escalate',
    path: 'escalations',
    permission: Permission.ContactEscalate,
    summary: 'Escalate the case by hand: the level rises and the next role in the chain is notified',
    body: EscalationDto,
    given: (body) => ({ command: { type: 'escalate', reason: body.reason } }),
  }),
  'pause-clock': route({
    name: 'pauseClock',
    path: 'clock-pauses',
    permission: Permission.ClockPause,
    summary: 'Pause a clock with a reason code, or resume it: the paused span moves its due time and is recorded',
    body: ClockPauseDto,
    given: (body) => {
      if (body.action === 'resume') return { command: { type: 'resume-clock', clock: body.clock } };
      if (!body.reason) throw new DomainError(DomainErrorCode.InvalidInput, 'Invalid reason', [{ field: 'reason', message: 'a pause needs a reason code' }]);
      return { command: { type: 'pause-clock', clock: body.clock, reason: body.reason } };
    },
  }),
  // Taken by the clock-pauses route, whose body says whether to pause or resume.
  'resume-clock': null,
  resolve: route({
    name: 'resolve',
    path: 'resolution',
    permission: Permission.ContactResolve,
    summary: 'Resolve and close the case (first contact resolution only once assessed, recorded and safeguarded)',
    body: ResolutionDto,
    explicitCreated: true,
    given: ({ outcome, closingCategory, appointmentAt, signpostedTo, noFurtherActionReason }) => ({
      command: { type: 'resolve', resolution: { outcome, closingCategory, appointmentAt, signpostedTo, noFurtherActionReason } },
    }),
  }),
  assign: route({
    name: 'assign',
    path: 'assignment',
    permission: Permission.ContactClaim,
    summary: 'Assign the case: a contact handler claims it for themself; a team leader or duty inspector assigns it to anyone, in any team',
    body: AssignmentDto,
    explicitCreated: true,
    given: (body, actor) => {
      const supervisor = grantingRole(actor.roles, Permission.ContactSupervise);
      if (!supervisor && (body.assignee !== actor.subject || body.team !== undefined)) {
        throw new DomainError(DomainErrorCode.Forbidden, `Assigning a case to someone else, or to another team, needs ${Permission.ContactSupervise}: a contact handler may only claim it`);
      }
      return { command: { type: 'assign', assignee: body.assignee, team: body.team, reason: body.reason }, actor: supervisor ? { ...actor, role: supervisor } : actor };
    },
  }),
  regrade: route({
    name: 'regrade',
    path: 'regrade',
    permission: Permission.ContactSupervise,
    summary: "A supervisor's regrade, with a reason code: no approval needed, recorded like every grade change, the graded clocks re-baselined",
    body: RegradeDto,
    explicitCreated: true,
    given: (body) => ({ command: { type: 'regrade', grade: body.grade, reason: body.reason } }),
  }),
  // Acknowledged through the alerts (POST /alerts/:id/acknowledgement), which name the alert.
  'acknowledge-alert': null,
  // A reply is its own route beside these (POST /contacts/:reference/messages): it answers with the message's id.
  'send-message': null,
  // Handed over by the platform connectors (the channels' webhook), never by a handler.
  'receive-message': null,
  // Raised by an intake that finds the caller's earlier case in triage.
  'caller-recontacted': null,
};

export const idempotencyHeader = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retried request harmless: the same key gives the same result' });

const commandResponses = () =>
  applyDecorators(
    idempotencyHeader,
    ApiResponse({ status: 201, type: CaseStateView, description: "The case's state after the command" }),
    ApiResponse({ status: 400, description: 'Invalid body; `fields` names each invalid field' }),
    ApiResponse({ status: 404, description: 'No such case' }),
    ApiResponse({ status: 409, description: "The case's stage does not allow this command (the stage is named)" }),
    ApiResponse({ status: 422, description: "The case's rules refuse this command (the workflow's update validator)" }),
  );

/** Runs a command on a case: what each route's handler does with what its body became. */
export interface CommandRunner {
  runCommand(reference: string, command: CaseCommand, actor: Caller, key: string | undefined): Promise<CaseStateView>;
}

/**
 * Gives the controller a handler for each route of the table, with the decorators a handler
 * written by hand would carry (route, permission, document, parameters), so that Nest routes it
 * and the OpenAPI document describes it as one.
 */
export function addCommandRoutes(controller: Type<CommandRunner>): void {
  const prototype = controller.prototype as Record<string, unknown>;
  for (const definition of Object.values(commandRoutes)) {
    if (!definition) continue;
    const route = definition;
    if (Object.hasOwn(prototype, route.name)) throw new Error(`${controller.name} already has a handler ${route.name}`);
    const handler = function (this: CommandRunner, reference: string, body: unknown, actor: Caller, key?: string) {
      const given = route.given(body, actor);
      return this.runCommand(reference, given.command, given.actor ?? actor, key);
    };
    Object.defineProperty(handler, 'name', { value: route.name });
    // What TypeScript would record for `(reference: string, body: Dto, actor: Caller, key?: string)`:
    // the validation pipe and the document read the body's schema from it.
    Reflect.defineMetadata('design:paramtypes', [String, route.body, Object, String], prototype, route.name);
    Reflect.defineMetadata('design:returntype', Promise, prototype, route.name);
    PathParam('reference')(prototype, route.name, 0);
    Body()(prototype, route.name, 1);
    CurrentActor()(prototype, route.name, 2);
    Headers('idempotency-key')(prototype, route.name, 3);
    const decorators = [
      Post(`:reference/${route.path}`),
      ...(route.explicitCreated ? [HttpCode(201)] : []),
      RequirePermission(route.permission),
      ApiOperation({ summary: route.summary }),
      commandResponses(),
    ];
    const descriptor = Reflect.decorate(decorators, prototype, route.name, { value: handler, writable: true, enumerable: false, configurable: true });
    Object.defineProperty(prototype, route.name, descriptor);
  }
}
