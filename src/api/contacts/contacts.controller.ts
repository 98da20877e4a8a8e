import { applyDecorators, Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { type ActorRef } from '../../domain/actor.js';
import { referencesIn } from '../../domain/caller-identity.js';
import { type CaseCommand } from '../../domain/contact-case.js';
import { withoutRestrictedFields } from '../../modules/platform/access/field-access.js';
import { grantingRole, Permission } from '../../modules/platform/access/permissions.js';
import { CaseHistoryReader } from '../../modules/audit/case-history.reader.js';
import { CaseReplayService } from '../../modules/audit/case-replay.service.js';
import { CaseQueries } from '../../modules/contact-cases/case-queries.service.js';
import { ContactCasesService } from '../../modules/contact-cases/contact-cases.service.js';
import { ConversationsService } from '../../modules/conversations/conversations.service.js';
import { ReplyDto, ReplyView, replyView } from '../conversations/conversations.dto.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { type AuthenticatedRequest, CurrentActor, RateLimited, RequirePermission } from '../access/access.decorators.js';
import { canonicalJson, sha256 } from '../../modules/platform/common/canonical-json.js';
import { commandIdFor, idempotencyKey, PathParam } from '../common/params.js';
import {
  AssessmentDto,
  AssignmentDto,
  AttendanceDto,
  ClockPauseDto,
  CreateContactDto,
  CrimeDecisionDto,
  DowngradeDecisionDto,
  EscalationDto,
  IncidentDto,
  NoteDto,
  QueueQueryDto,
  ReferralDto,
  RegradeDto,
  ResolutionDto,
} from './contacts.dto.js';
import { caseStateView, CaseStateView, caseView, CaseView, clockView, HistoryView, IntakeView, QueuePageView, ReplayView } from './contacts.views.js';

type Caller = NonNullable<AuthenticatedRequest['actor']>;

const actorRef = (actor: Caller): ActorRef => ({ subject: actor.subject, role: actor.role });

const idempotencyHeader = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retried request harmless: the same key gives the same result' });
const CommandResponses = () =>
  applyDecorators(
    idempotencyHeader,
    ApiResponse({ status: 201, type: CaseStateView, description: "The case's state after the command" }),
    ApiResponse({ status: 400, description: 'Invalid body; `fields` names each invalid field' }),
    ApiResponse({ status: 404, description: 'No such case' }),
    ApiResponse({ status: 409, description: "The case's stage does not allow this command (the stage is named)" }),
    ApiResponse({ status: 422, description: "The case's rules refuse this command (the workflow's update validator)" }),
  );

/** The handlers' REST API over contact cases. */
@ApiTags('contacts')
@Controller('contacts')
export class ContactsController {
  constructor(
    private readonly cases: ContactCasesService,
    private readonly queries: CaseQueries,
    private readonly replays: CaseReplayService,
    private readonly histories: CaseHistoryReader,
    private readonly conversations: ConversationsService,
  ) {}

  @Post()
  @RequirePermission(Permission.ContactCreate)
  @RateLimited('intake')
  @ApiOperation({ summary: 'Record a new contact from any channel and start its case' })
  @idempotencyHeader
  @ApiResponse({ status: 201, type: IntakeView, description: 'The case: reference, stage, risk marker, clocks, place in the queue and what earlier contacts from the caller show' })
  @ApiResponse({ status: 400, description: 'Invalid body; `fields` names each invalid field' })
  @ApiResponse({ status: 422, description: 'The Idempotency-Key was used before for a different body' })
  async create(
    @Body() body: CreateContactDto,
    @CurrentActor() actor: Caller,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IntakeView> {
    const checkedKey = idempotencyKey(key);
    const result = await this.cases.intake(body, actorRef(actor), checkedKey ? { key: checkedKey, requestHash: sha256(canonicalJson(body)) } : undefined);
    response.setHeader('Location', `/api/v1/contacts/${result.reference}`);
    if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
    const answer = withoutRestrictedFields('IntakeView', actor.roles, { ...result, clocks: result.clocks.map(clockView), callerHistory: { ...result.callerHistory } });
    // The caller's history is a caller lookup: shown only to those who may look callers up (the
    // table of restricted fields), and logged as one.
    const shown = answer.callerHistory ? referencesIn(answer.callerHistory) : [];
    if (shown.length > 0) await this.queries.logAccess(shown, { subject: actor.subject, role: grantingRole(actor.roles, Permission.CallerLookup)! }, 'caller-lookup');
    return answer as IntakeView;
  }

  @Get()
  @RequirePermission(Permission.ContactRead)
  @ApiOperation({ summary: 'The work queue: open cases, IR and grade 1 first, then by nearest due time' })
  @ApiResponse({ status: 200, type: QueuePageView })
  async queue(@Query() query: QueueQueryDto): Promise<QueuePageView> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const { total, items } = await this.queries.queue(
      { stage: query.stage, channel: query.channel, grade: query.grade, riskMarker: query.riskMarker, assignee: query.assignee, team: query.team, breached: query.breached },
      { limit, offset },
    );
    return { total, limit, offset, items };
  }

  @Get(':reference')
  @RequirePermission(Permission.ContactRead)
  @ApiOperation({ summary: 'A case: its record, everything recorded on it, its live workflow state, and every clock with its state and due time' })
  @ApiResponse({ status: 200, type: CaseView })
  @ApiResponse({ status: 404, description: 'No such case' })
  async view(@PathParam('reference') ref: string, @CurrentActor() actor: Caller): Promise<CaseView> {
    const { record, live } = await this.cases.view(ref);
    await this.queries.logAccess(ref, actor, 'view');
    return caseView(record, live);
  }

  @Get(':reference/history')
  @RequirePermission(Permission.HistoryRead)
  @ApiOperation({ summary: "The case's Temporal history as a timeline: who did what, when, which clocks ran, under which policy (from the archive once closed)" })
  @ApiResponse({ status: 200, type: HistoryView })
  @ApiResponse({ status: 404, description: 'No such case' })
  async history(@PathParam('reference') ref: string, @CurrentActor() actor: Caller): Promise<HistoryView> {
    const timeline = await this.histories.timeline(ref);
    await this.queries.logAccess(ref, actor, 'history');
    return timeline;
  }

  @Get(':reference/replay')
  @RequirePermission(Permission.AuditReplay)
  @ApiOperation({ summary: "Replay the case's recorded history against the current workflow code: all decisions reproduced, or the first divergence in plain words" })
  @ApiResponse({ status: 200, type: ReplayView })
  @ApiResponse({ status: 404, description: 'No such case' })
  async replay(@PathParam('reference') ref: string, @CurrentActor() actor: Caller): Promise<ReplayView> {
    const report = await this.replays.replay(ref);
    await this.queries.logAccess(ref, actor, 'replay');
    return report;
  }

  @Post(':reference/assessments')
  @RequirePermission(Permission.ContactAssess)
  @ApiOperation({ summary: 'Record a THRIVE(S) assessment and proposed grade (a downgrade waits for approval)' })
  @CommandResponses()
  assess(@PathParam('reference') ref: string, @Body() body: AssessmentDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string) {
    return this.run(ref, { type: 'assess', assessment: { factors: { ...body.factors }, proposedGrade: body.proposedGrade } }, actor, key);
  }

  @Post(':reference/downgrade-approvals')
  @RequirePermission(Permission.ContactApproveDowngrade)
  @ApiOperation({ summary: 'Approve or refuse the pending downgrade (a supervisor other than its proposer)' })
  @CommandResponses()
  decideDowngrade(@PathParam('reference') ref: string, @Body() body: DowngradeDecisionDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string) {
    return this.run(ref, { type: 'decide-downgrade', approve: body.approve, rationale: body.rationale }, actor, key);
  }

  @Post(':reference/incident')
  @RequirePermission(Permission.ContactRecordIncident)
  @ApiOperation({ summary: 'Record the NSIR incident: opening category and qualifiers' })
  @CommandResponses()
  recordIncident(@PathParam('reference') ref: string, @Body() body: IncidentDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string) {
    return this.run(ref, { type: 'record-incident', incident: { openingCategory: body.openingCategory, qualifiers: body.qualifiers } }, actor, key);
  }

  @Post(':reference/crime-decision')
  @RequirePermission(Permission.ContactDecideCrime)
  @ApiOperation({ summary: 'Record the NCRS crime recording decision' })
  @CommandResponses()
  decideCrime(@PathParam('reference') ref: string, @Body() body: CrimeDecisionDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string) {
    // Whether the decision holds together (a classification for a crime, a reason for none) is the
    // case's rule, checked by its workflow: a 422 naming the field.
    const decision = { crimeRecorded: body.crimeRecorded, classification: body.classification, noCrimeReason: body.noCrimeReason, victimSupportOptOut: body.victimSupportOptOut };
    return this.run(ref, { type: 'decide-crime', decision }, actor, key);
  }

  @Post(':reference/attendance')
  @RequirePermission(Permission.ContactRecordAttendance)
  @ApiOperation({ summary: 'Record deployment: a unit dispatched, then arrived' })
  @CommandResponses()
  recordAttendance(@PathParam('reference') ref: string, @Body() body: AttendanceDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string) {
    return this.run(ref, { type: 'record-attendance', event: body.event, unit: body.unit }, actor, key);
  }

  @Post(':reference/referrals')
  @RequirePermission(Permission.ContactRefer)
  @ApiOperation({ summary: 'Refer to a partner agency or for safeguarding' })
  @CommandResponses()
  refer(@PathParam('reference') ref: string, @Body() body: ReferralDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string) {
    return this.run(ref, { type: 'refer', referral: { agency: body.agency, kind: body.kind, reason: body.reason } }, actor, key);
  }

  @Post(':reference/notes')
  @RequirePermission(Permission.ContactAddNote)
  @ApiOperation({ summary: 'Add a note to the case' })
  @CommandResponses()
  addNote(@PathParam('reference') ref: string, @Body() body: NoteDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string) {
    return this.run(ref, { type: 'add-note', text: body.text, kind: body.kind }, actor, key);
  }

  @Post(':reference/escalations')
  @RequirePermission(Permission.ContactEscalate)
  @ApiOperation({ summary: 'Escalate the case by hand: the level rises and the next role in the chain is notified' })
  @CommandResponses()
  escalate(@PathParam('reference') ref: string, @Body() body: EscalationDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string) {
    return this.run(ref, { type: 'escalate', reason: body.reason }, actor, key);
  }

  @Post(':reference/clock-pauses')
  @RequirePermission(Permission.ClockPause)
  @ApiOperation({ summary: 'Pause a clock with a reason code, or resume it: the paused span moves its due time and is recorded' })
  @CommandResponses()
  pauseClock(@PathParam('reference') ref: string, @Body() body: ClockPauseDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string) {
    if (body.action === 'resume') return this.run(ref, { type: 'resume-clock', clock: body.clock }, actor, key);
    if (!body.reason) throw new DomainError(DomainErrorCode.InvalidInput, 'Invalid reason', [{ field: 'reason', message: 'a pause needs a reason code' }]);
    return this.run(ref, { type: 'pause-clock', clock: body.clock, reason: body.reason }, actor, key);
  }

  @Post(':reference/resolution')
  @HttpCode(201)
  @RequirePermission(Permission.ContactResolve)
  @ApiOperation({ summary: 'Resolve and close the case (first contact resolution only once assessed, recorded and safeguarded)' })
  @CommandResponses()
  resolve(@PathParam('reference') ref: string, @Body() body: ResolutionDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string) {
    const { outcome, closingCategory, appointmentAt, signpostedTo, noFurtherActionReason } = body;
    return this.run(ref, { type: 'resolve', resolution: { outcome, closingCategory, appointmentAt, signpostedTo, noFurtherActionReason } }, actor, key);
  }

  @Post(':reference/assignment')
  @HttpCode(201)
  @RequirePermission(Permission.ContactClaim)
  @ApiOperation({ summary: 'Assign the case: a contact handler claims it for themself; a team leader or duty inspector assigns it to anyone, in any team' })
  @CommandResponses()
  assign(@PathParam('reference') ref: string, @Body() body: AssignmentDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string) {
    const supervisor = grantingRole(actor.roles, Permission.ContactSupervise);
    if (!supervisor && (body.assignee !== actor.subject || body.team !== undefined)) {
      throw new DomainError(DomainErrorCode.Forbidden, `Assigning a case to someone else, or to another team, needs ${Permission.ContactSupervise}: a contact handler may only claim it`);
    }
    return this.run(ref, { type: 'assign', assignee: body.assignee, team: body.team, reason: body.reason }, supervisor ? { ...actor, role: supervisor } : actor, key);
  }

  @Post(':reference/regrade')
  @HttpCode(201)
  @RequirePermission(Permission.ContactSupervise)
  @ApiOperation({ summary: "A supervisor's regrade, with a reason code: no approval needed, recorded like every grade change, the graded clocks re-baselined" })
  @CommandResponses()
  regrade(@PathParam('reference') ref: string, @Body() body: RegradeDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string) {
    return this.run(ref, { type: 'regrade', grade: body.grade, reason: body.reason }, actor, key);
  }

  @Post(':reference/messages')
  @RequirePermission(Permission.ContactReply)
  @ApiOperation({ summary: "Reply to the public on the case's conversation (webchat, social media, SMS, e-mail): recorded on the case, then delivered to the platform (the first reply meets the first-response clock)" })
  @idempotencyHeader
  @ApiResponse({ status: 201, type: ReplyView })
  @ApiResponse({ status: 404, description: 'No such case' })
  @ApiResponse({ status: 409, description: 'The case is closed' })
  @ApiResponse({ status: 422, description: 'The case has no conversation to reply on' })
  async reply(@PathParam('reference') ref: string, @Body() body: ReplyDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string): Promise<ReplyView> {
    const { messageId, state } = await this.conversations.reply(ref, body.text, actorRef(actor), idempotencyKey(key));
    return replyView(messageId, state);
  }

  private async run(ref: string, command: CaseCommand, actor: Caller, key: string | undefined): Promise<CaseStateView> {
    return caseStateView(await this.cases.command(ref, command, actorRef(actor), commandIdFor(ref, key)));
  }
}
