import { Body, Controller, Get, Headers, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { type ActorRef } from '../../domain/actor.js';
import { referencesIn } from '../../domain/caller-identity.js';
import { type CaseCommand } from '../../domain/contact-case.js';
import { withoutRestrictedFields } from '../../modules/platform/access/field-access.js';
import { grantingRole, Permission } from '../../domain/permissions.js';
import { CaseHistoryReader } from '../../modules/audit/case-history.reader.js';
import { CaseReplayService } from '../../modules/audit/case-replay.service.js';
import { CaseQueries } from '../../modules/contact-cases/case-queries.service.js';
import { ContactCasesService } from '../../modules/contact-cases/contact-cases.service.js';
import { ConversationsService } from '../../modules/conversations/conversations.service.js';
import { ReplyDto, ReplyView, replyView } from '../conversations/conversations.dto.js';
import { CurrentActor, RateLimited, RequirePermission } from '../access/access.decorators.js';
import { canonicalJson, sha256 } from '../../modules/platform/common/canonical-json.js';
import { commandIdFor, idempotencyKey, PathParam } from '../common/params.js';
import { addCommandRoutes, type Caller, type CommandRunner, idempotencyHeader } from './command-routes.js';
import { CreateContactDto, QueueQueryDto } from './contacts.dto.js';
import { caseStateView, CaseStateView, caseView, CaseView, clockView, HistoryView, IntakeView, QueuePageView, queueFields, ReplayView } from './contacts.views.js';

const actorRef = (actor: Caller): ActorRef => ({ subject: actor.subject, role: actor.role });

/** The handlers' REST API over contact cases. */
@ApiTags('contacts')
@Controller('contacts')
export class ContactsController implements CommandRunner {
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
      queueFields,
      { stage: query.stage, channel: query.channel, grade: query.grade, riskMarker: query.riskMarker, assignee: query.assignee, team: query.team, breached: query.breached },
      { limit, offset },
    );
    // The case row holds its codes as text; each was written from the case's state, which the view's enums describe.
    return { total, limit, offset, items: items as QueuePageView['items'] };
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

  /** Runs a case command: each route of the command table (`command-routes.ts`) ends here. */
  async runCommand(ref: string, command: CaseCommand, actor: Caller, key: string | undefined): Promise<CaseStateView> {
    return caseStateView(await this.cases.command(ref, command, actorRef(actor), commandIdFor(ref, key)));
  }
}

addCommandRoutes(ContactsController);
