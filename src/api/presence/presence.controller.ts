import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Permission } from '../../domain/permissions.js';
import { presenceStates } from '../../domain/presence.js';
import { type Presence, PresenceService } from '../../modules/presence/presence.service.js';
import { type AuthenticatedRequest, CurrentActor, RequirePermission } from '../access/access.decorators.js';
import { codes, teamFilter, teamName } from '../common/text.js';


export class SetPresenceDto extends createZodDto(
  z.strictObject({
    state: z.enum(presenceStates).meta({ description: 'available: ready to take contacts; busy: on one; away: signed in, not taking any (a break, training); signed-out: gone' }),
    team: teamName().meta({ description: 'The team one is working for', example: 'contact-centre' }),
  }),
) {}

export class PresenceQueryDto extends createZodDto(z.strictObject({ team: teamFilter() })) {}

const presenceViewFields = z.object({
  subject: z.string(),
  team: z.string(),
  state: codes(presenceStates),
  since: z.string().meta({ format: 'date-time' }),
});
const presenceViewSchema = presenceViewFields.meta({ id: 'PresenceView' });
class PresenceView extends createZodDto(presenceViewFields) {}

const presenceChangeViewFields = z.object({
  presence: presenceViewSchema,
  changed: z.boolean().meta({ description: 'False when it was already so: nothing was recorded' }),
});
class PresenceChangeView extends createZodDto(presenceChangeViewFields) {}

const presenceListViewFields = z.object({ items: z.array(presenceViewSchema).meta({ description: 'Everyone signed in, by team, then subject' }) });
class PresenceListView extends createZodDto(presenceListViewFields) {}

const view = (presence: Presence): PresenceView => ({ ...presence });

/** Staff presence: each person says what they are doing; supervisors see who is signed in. */
@ApiTags('presence')
@Controller('presence')
export class PresenceController {
  constructor(private readonly presence: PresenceService) {}

  @Put('me')
  @RequirePermission(Permission.PresenceSet)
  @ApiOperation({ summary: 'Say what one is doing now (sign in as available, busy, away; sign out): the time in each state is the supply the figures set beside the demand' })
  @ApiResponse({ status: 200, type: PresenceChangeView })
  async set(@Body() body: SetPresenceDto, @CurrentActor() actor: NonNullable<AuthenticatedRequest['actor']>): Promise<PresenceChangeView> {
    const { presence, changed } = await this.presence.set(actor.subject, body.team, body.state);
    return { presence: view(presence), changed };
  }

  @Get()
  @RequirePermission(Permission.PresenceRead)
  @ApiOperation({ summary: 'Who is signed in now, for which team, and in what state since when' })
  @ApiResponse({ status: 200, type: PresenceListView })
  async list(@Query() query: PresenceQueryDto): Promise<PresenceListView> {
    return { items: (await this.presence.signedIn(query.team)).map(view) };
  }
}
