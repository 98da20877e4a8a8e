import { Body, Controller, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExtension, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { type ConversationChannel } from '../../domain/conversations.js';
import { Permission } from '../../domain/permissions.js';
import { PLATFORM_SIGNATURE_HEADER } from '../../modules/conversations/platform-adapter.service.js';
import { ConversationsService } from '../../modules/conversations/conversations.service.js';
import { type AuthenticatedRequest, CurrentActor, Public, RateLimited, RequirePermission } from '../access/access.decorators.js';
import { PathParam } from '../common/params.js';
import { InboundMessageDto, ReceivedMessageView } from './conversations.dto.js';
import { PlatformSignatureGuard } from './platform-signature.guard.js';

type Caller = NonNullable<AuthenticatedRequest['actor']>;

/** Where platform connectors hand over messages from the public: by token, or as a signed webhook. */
@ApiTags('channels')
@Controller('channels')
export class ChannelsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Post(':channel/messages')
  @RequirePermission(Permission.ChannelReceive)
  @RateLimited('intake')
  @ApiOperation({
    summary: "A message from the public, from a platform connector: the conversation's first message opens a case (screened as every intake), later ones join it; a repeated messageId changes nothing",
  })
  @ApiResponse({ status: 201, type: ReceivedMessageView })
  @ApiResponse({ status: 422, description: 'sentAt is in the future' })
  receive(@PathParam('channel') channel: string, @Body() body: InboundMessageDto, @CurrentActor() actor: Caller, @Res({ passthrough: true }) response: Response) {
    return this.handOver(channel, body, actor, response);
  }

  @Post(':channel/webhook')
  @Public()
  @UseGuards(PlatformSignatureGuard)
  @ApiExtension('x-authentication', 'platform-signature')
  @ApiHeader({ name: PLATFORM_SIGNATURE_HEADER, required: true, description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> with the key shared with connectors, at most five minutes old' })
  @ApiOperation({ summary: 'The same, as a webhook signed with the key shared with connectors (no token)' })
  @ApiResponse({ status: 201, type: ReceivedMessageView })
  @ApiResponse({ status: 401, description: 'Not signed, signed with another key, or more than five minutes old' })
  @ApiResponse({ status: 422, description: 'sentAt is in the future' })
  webhook(@PathParam('channel') channel: string, @Body() body: InboundMessageDto, @CurrentActor() actor: Caller, @Res({ passthrough: true }) response: Response) {
    return this.handOver(channel, body, actor, response);
  }

  private async handOver(channel: string, body: InboundMessageDto, actor: Caller, response: Response): Promise<ReceivedMessageView> {
    const received = await this.conversations.receive(channel as ConversationChannel, body, { subject: actor.subject, role: actor.role });
    response.setHeader('Location', `/api/v1/contacts/${received.reference}`);
    if (received.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return received;
  }
}
