import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { callerIdentifiers } from '../../domain/caller-identity.js';
import { Channel, SocialMediaPlatform } from '../../domain/channels.js';
import { Permission } from '../../domain/permissions.js';
import { CallerIdentities } from '../../modules/contact-cases/caller-identities.service.js';
import { CaseQueries } from '../../modules/contact-cases/case-queries.service.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { type AuthenticatedRequest, CurrentActor, RequirePermission } from '../access/access.decorators.js';
import { callerSchema } from '../contacts/contacts.dto.js';
import { codes, orNull } from '../common/text.js';
import { text } from '../../domain/fields.js';

type Caller = NonNullable<AuthenticatedRequest['actor']>;

/**
 * At least one identifier; a platform and a handle only together. The rule is checked by the
 * schema and stated in the document in the same place.
 */
export class CallerLookupDto extends createZodDto(
  z
    .strictObject({
      phone: callerSchema.shape.phone.meta({ example: '07700 900123', description: 'Any usual way of writing it: UK numbers match however they were typed' }),
      email: callerSchema.shape.email.meta({ example: 'someone@example.org', description: 'Matched whatever its case' }),
      platform: z.enum(SocialMediaPlatform).optional().meta({ description: 'With handle' }),
      handle: text(1, 64).optional().meta({ example: '@someone', description: 'With platform' }),
    })
    .superRefine((body, context) => {
      if (Boolean(body.platform) !== Boolean(body.handle)) {
        context.addIssue({ code: 'custom', path: [body.platform ? 'handle' : 'platform'], message: 'a handle is looked up with its platform' });
      } else if (!body.phone && !body.email && !body.platform) {
        context.addIssue({ code: 'custom', path: ['phone'], message: 'give a phone number, an e-mail address, or a platform and handle' });
      }
    })
    .meta({
      allOf: [
        { anyOf: [{ required: ['phone'] }, { required: ['email'] }, { required: ['platform', 'handle'] }] },
        { anyOf: [{ required: ['platform', 'handle'] }, { not: { anyOf: [{ required: ['platform'] }, { required: ['handle'] }] } }] },
      ],
    }),
) {}

const callerCaseFlagsViewFields = z.object({
  riskMarker: codes(['IR']).nullable(),
  domesticAbuse: z.boolean(),
  sexualOffence: z.boolean(),
  vulnerable: z.boolean(),
  repeatCaller: z.boolean(),
});
const callerCaseFlagsViewSchema = callerCaseFlagsViewFields.meta({ id: 'CallerCaseFlagsView' });

const callerCaseViewFields = z.object({
  reference: z.string().meta({ example: 'XP-20261123-000042' }),
  channel: orNull(z.string()),
  receivedAt: z.string().meta({ format: 'date-time' }),
  stage: orNull(z.string()),
  outcome: orNull(z.string()),
  flags: callerCaseFlagsViewSchema,
});
const callerCaseViewSchema = callerCaseViewFields.meta({ id: 'CallerCaseView' });

const callerLookupAnswerFields = z.object({
  items: z.array(callerCaseViewSchema).meta({ description: 'Newest first: reference, channel, when, stage, outcome and flags; no personal data' }),
});
class CallerLookupAnswer extends createZodDto(callerLookupAnswerFields) {}

/**
 * Finds a caller's earlier cases for a handler. A POST, so that no phone number or address lands in
 * a URL or an access log; the identifiers are hashed as intake hashes them, and every lookup is
 * written to the case access log.
 */
@ApiTags('callers')
@Controller('caller-lookups')
export class CallerLookupsController {
  constructor(
    private readonly callers: CallerIdentities,
    private readonly queries: CaseQueries,
  ) {}

  @Post()
  @HttpCode(200)
  @RequirePermission(Permission.CallerLookup)
  @ApiOperation({ summary: "A caller's earlier cases, by phone, e-mail or social media handle (each lookup logged)" })
  @ApiResponse({ status: 200, type: CallerLookupAnswer, description: "The caller's earlier cases, newest first" })
  @ApiResponse({ status: 400, description: 'No identifier given, or a platform without a handle; `fields` names the field' })
  async lookup(@Body() body: CallerLookupDto, @CurrentActor() actor: Caller): Promise<CallerLookupAnswer> {
    const identifiers = callerIdentifiers(
      { phone: body.phone, email: body.email },
      body.platform ? Channel.SocialMedia : undefined,
      body.platform ? { platform: body.platform, handle: body.handle } : undefined,
    );
    if (identifiers.length === 0) {
      throw new DomainError(DomainErrorCode.InvalidInput, 'Invalid phone', [{ field: 'phone', message: 'give a phone number, an e-mail address, or a platform and handle' }]);
    }
    const items = await this.callers.cases(identifiers);
    // Who looked up a caller, and which cases it showed them (a lookup that found none is logged too).
    await this.queries.logAccess(items.map((item) => item.reference), actor, 'caller-lookup');
    return { items };
  }
}
