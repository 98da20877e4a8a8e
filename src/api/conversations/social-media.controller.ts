import { Body, Controller, Get, Headers, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Channel } from '../../domain/channels.js';
import { grantingRole, inboxPermission, Permission } from '../../domain/permissions.js';
import { CaseQueries } from '../../modules/contact-cases/case-queries.service.js';
import { ConversationsService } from '../../modules/conversations/conversations.service.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { type AuthenticatedRequest, CurrentActor, RequirePermission } from '../access/access.decorators.js';
import { idempotencyKey, PathParam } from '../common/params.js';
import { InboxQueryDto, InboxView, PostDto, PostPageView, PostsQueryDto, PostView, ReplyDto, ReplyView, replyView } from './conversations.dto.js';

type Caller = NonNullable<AuthenticatedRequest['actor']>;

const idempotencyHeader = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retried request harmless: the same key gives the same result' });

/**
 * The social media hub: conversations waiting for a reply, replies from the hub, and the media
 * team's posts. Its users need not read case records: the hub shows what a reply needs, no more.
 */
@ApiTags('social-media')
@Controller('social-media')
export class SocialMediaController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly cases: CaseQueries,
  ) {}

  @Get('inbox')
  @RequirePermission(Permission.SocialMediaRead)
  @ApiOperation({ summary: 'Conversations waiting for a reply, longest wait first, with the time waited and the first-response clock' })
  @ApiResponse({ status: 200, type: InboxView })
  @ApiResponse({ status: 403, description: `The caller may not read that channel's inbox: webchat, SMS and e-mail need ${Permission.ContactRead} as well` })
  async inbox(@Query() query: InboxQueryDto, @CurrentActor() actor: Caller): Promise<InboxView> {
    const channel = query.channel ?? Channel.SocialMedia;
    const needed = inboxPermission(channel);
    const role = grantingRole(actor.roles, needed);
    if (role === undefined) {
      throw new DomainError(DomainErrorCode.Forbidden, `The ${channel} inbox needs ${needed}, which none of your roles grants`, [{ field: 'channel', message: `needs ${needed}` }]);
    }
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const { total, items } = await this.conversations.inbox(channel, { limit, offset });
    // Each conversation listed shows a message from the public: a read of its case.
    if (items.length > 0) await this.cases.logAccess(items.map((item) => item.reference), { subject: actor.subject, role }, 'inbox');
    return { total, limit, offset, items };
  }

  @Post('inbox/:reference/replies')
  @RequirePermission(Permission.SocialMediaRespond)
  @idempotencyHeader
  @ApiOperation({ summary: "Reply to a social media conversation from the hub: recorded on its case, then delivered to the platform" })
  @ApiResponse({ status: 201, type: ReplyView })
  @ApiResponse({ status: 409, description: 'The case is closed' })
  @ApiResponse({ status: 422, description: 'The case is not a social media conversation' })
  async reply(@PathParam('reference') reference: string, @Body() body: ReplyDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string): Promise<ReplyView> {
    if ((await this.conversations.channelOf(reference)) !== (Channel.SocialMedia as string)) {
      throw new DomainError(DomainErrorCode.RuleRefused, `Case ${reference} is not a social media conversation: reply to it from the case`, [{ field: 'reference', message: 'not a social media conversation' }]);
    }
    const { messageId, state } = await this.conversations.reply(reference, body.text, { subject: actor.subject, role: actor.role }, idempotencyKey(key));
    return replyView(messageId, state);
  }

  @Post('posts')
  @RequirePermission(Permission.SocialMediaPost)
  @idempotencyHeader
  @ApiOperation({ summary: 'Post a public message (the media team): recorded for good with its author, then delivered to the platform' })
  @ApiResponse({ status: 201, type: PostView })
  @ApiResponse({ status: 422, description: 'The Idempotency-Key was used before for a different post' })
  async post(@Body() body: PostDto, @CurrentActor() actor: Caller, @Headers('idempotency-key') key?: string): Promise<PostView> {
    const { post } = await this.conversations.post(body.platform, body.text, { subject: actor.subject, role: actor.role }, idempotencyKey(key));
    return post;
  }

  @Get('posts')
  @RequirePermission(Permission.SocialMediaRead)
  @ApiOperation({ summary: "The media team's posts, newest first, with their delivery" })
  @ApiResponse({ status: 200, type: PostPageView })
  async posts(@Query() query: PostsQueryDto): Promise<PostPageView> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    return { limit, offset, items: await this.conversations.posts({ limit, offset }) };
  }
}
