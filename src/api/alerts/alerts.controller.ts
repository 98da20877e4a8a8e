import { Body, Controller, Get, Headers, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { Permission } from '../../domain/permissions.js';
import { AlertQueries, type StreamCursor } from '../../modules/alerts/alert-queries.service.js';
import { AlertStream, StreamLimitError } from '../../modules/alerts/alert-stream.service.js';
import { ContactCasesService } from '../../modules/contact-cases/contact-cases.service.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { type AuthenticatedRequest, CurrentActor, RequirePermission } from '../access/access.decorators.js';
import { alertIdPattern, commandIdFor, PathParam } from '../common/params.js';
import { AcknowledgementDto, AlertsPageView, AlertsQueryDto, AlertView } from './alerts.dto.js';
import { alertsAcknowledged, alertTimeToAcknowledge } from '../../modules/platform/telemetry/metrics.js';

type Caller = NonNullable<AuthenticatedRequest['actor']>;

const EVENT_ID = /^(\d{1,20})\/(.{1,160})$/;
const XID8_MAX = 2n ** 64n - 1n;
/** How long a client refused a stream waits before it tries again. */
const STREAM_RETRY_AFTER_SECONDS = 10;

/** `Last-Event-ID` as the stream writes it: the writing transaction's id and the alert's id. */
function lastEventCursor(value: string | undefined): StreamCursor | undefined {
  if (value === undefined || value === '') return undefined;
  const match = EVENT_ID.exec(value);
  // The transaction id is PostgreSQL's xid8: an unsigned 64-bit number.
  if (!match || BigInt(match[1]) > XID8_MAX || !alertIdPattern.test(match[2])) {
    throw new DomainError(DomainErrorCode.InvalidInput, 'Invalid Last-Event-ID', [{ field: 'Last-Event-ID', message: 'the id of an event this stream sent' }]);
  }
  return { xid: match[1], id: match[2] };
}

/** Alerts: every escalation, addressed to a role, until someone in that role acknowledges it. */
@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertQueries,
    private readonly stream: AlertStream,
    private readonly cases: ContactCasesService,
  ) {}

  @Get()
  @RequirePermission(Permission.AlertRead)
  @ApiOperation({ summary: "The alerts addressed to the caller's roles: open ones first, then newest first" })
  @ApiResponse({ status: 200, type: AlertsPageView })
  async inbox(@Query() query: AlertsQueryDto, @CurrentActor() actor: Caller): Promise<AlertsPageView> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const { total, items } = await this.alerts.inbox(actor.roles, { state: query.state, reference: query.reference, clock: query.clock, level: query.level, team: query.team }, { limit, offset });
    return { total, limit, offset, items };
  }

  @Get('stream')
  @RequirePermission(Permission.AlertRead)
  @ApiOperation({
    summary: "Server-Sent Events: each new alert for the caller's roles as it is written. Reconnect with Last-Event-ID to receive every alert missed, each once",
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received: the stream resumes after it' })
  @ApiResponse({ status: 200, description: 'An event stream: `event: alert`, `id`, and the alert as JSON in `data`; comment lines as heartbeats' })
  @ApiResponse({ status: 400, description: 'A Last-Event-ID this stream did not send' })
  @ApiResponse({ status: 429, description: 'Too many streams open: for this person (ALERT_STREAMS_PER_SUBJECT) or on this API process (ALERT_STREAMS_PER_PROCESS); see Retry-After' })
  async live(@CurrentActor() actor: Caller, @Headers('last-event-id') lastEventId: string | undefined, @Req() request: Request, @Res() response: Response) {
    const cursor = lastEventCursor(lastEventId) ?? (await this.alerts.streamStart());
    let opened = false;
    const open = () => {
      if (opened) return;
      opened = true;
      response.status(200);
      response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      response.setHeader('Cache-Control', 'no-cache, no-transform');
      response.setHeader('Connection', 'keep-alive');
      // Tells nginx-style proxies not to hold events back in a buffer.
      response.setHeader('X-Accel-Buffering', 'no');
      response.flushHeaders();
      response.write('retry: 2000\n\n');
    };
    const close = await this.stream
      .subscribe({
        subject: actor.subject,
        roles: actor.roles,
        cursor,
        send: (at, alert) => {
          open();
          response.write(`id: ${at.xid}/${at.id}\nevent: alert\ndata: ${JSON.stringify(alert)}\n\n`);
        },
        heartbeat: () => {
          open();
          response.write(': keep-alive\n\n');
        },
        end: () => {
          open();
          response.end();
        },
      })
      .catch((error: unknown) => {
        if (!(error instanceof StreamLimitError)) throw error;
        throw new DomainError(DomainErrorCode.RateLimited, `${error.message}: close one, or try again later`, [], { 'Retry-After': String(STREAM_RETRY_AFTER_SECONDS) });
      });
    open();
    // A stream lasts as long as its token: then it says so and ends, and the client opens it again
    // with a fresh token and its Last-Event-ID, missing nothing.
    const expiry =
      actor.expiresAtMs === undefined
        ? undefined
        : setTimeout(() => {
            close();
            response.end('event: token-expired\ndata: {}\n\n');
          }, Math.max(0, actor.expiresAtMs - Date.now()));
    const finish = () => {
      clearTimeout(expiry);
      close();
    };
    response.on('close', finish);
    if (response.closed || request.destroyed) finish();
  }

  @Get(':id')
  @RequirePermission(Permission.AlertRead)
  @ApiOperation({ summary: 'One alert addressed to one of the caller\'s roles' })
  @ApiResponse({ status: 200, type: AlertView })
  @ApiResponse({ status: 404, description: 'No such alert for the caller\'s roles' })
  async one(@PathParam('id') id: string, @CurrentActor() actor: Caller): Promise<AlertView> {
    const alert = await this.alerts.find(id);
    if (!alert || !(actor.roles as string[]).includes(alert.role)) throw new DomainError(DomainErrorCode.NotFound, 'No such alert');
    return alert;
  }

  @Post(':id/acknowledgement')
  @HttpCode(201)
  @RequirePermission(Permission.AlertAcknowledge)
  @ApiOperation({ summary: "Acknowledge an alert addressed to the caller's role, with what was done: recorded on the case and in its audit chain; a breach stops escalating" })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retried request harmless' })
  @ApiResponse({ status: 201, type: AlertView, description: 'The alert, acknowledged' })
  @ApiResponse({ status: 400, description: 'Invalid body; `fields` names each invalid field' })
  @ApiResponse({ status: 403, description: 'The alert is addressed to a role the caller does not hold' })
  @ApiResponse({ status: 404, description: 'No such alert' })
  @ApiResponse({ status: 409, description: 'The alert is no longer open (acknowledged, or its case closed)' })
  async acknowledge(@PathParam('id') id: string, @Body() body: AcknowledgementDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string): Promise<AlertView> {
    const alert = await this.alerts.find(id);
    if (!alert) throw new DomainError(DomainErrorCode.NotFound, 'No such alert');
    if (!(actor.roles as string[]).includes(alert.role)) throw new DomainError(DomainErrorCode.Forbidden, `This alert is addressed to ${alert.role}`);
    // An acknowledged alert with an Idempotency-Key goes on to the case: a repeat of the request that
    // acknowledged it is answered as that one was; any other is refused there (409).
    if (alert.state === 'closed' || (alert.state === 'acknowledged' && key === undefined)) throw new DomainError(DomainErrorCode.StageConflict, `This alert is ${alert.state}`);
    const commandId = commandIdFor(alert.reference, key);
    await this.cases.command(
      alert.reference,
      { type: 'acknowledge-alert', alert: alert.id, action: body.action, note: body.note },
      { subject: actor.subject, role: alert.role },
      commandId,
    );
    const acknowledged = (await this.alerts.find(alert.id))!;
    // Counted once: by the request that found the alert open (a repeat finds it acknowledged).
    if (alert.state === 'open') {
      alertsAcknowledged.inc({ kind: alert.kind, role: alert.role });
      alertTimeToAcknowledge.observe({ kind: alert.kind, role: alert.role }, Math.max(0, Date.now() - Date.parse(alert.raisedAt)) / 1_000);
    }
    return acknowledged;
  }
}
