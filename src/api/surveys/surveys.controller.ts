import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Permission } from '../../domain/permissions.js';
import { SatisfactionSurveys } from '../../modules/satisfaction/satisfaction.service.js';
import { RequirePermission } from '../access/access.decorators.js';
import { teamFilter } from '../common/text.js';

export class CallBackQueryDto extends createZodDto(
  z.strictObject({ team: teamFilter() }),
) {}

const callBackViewFields = z.object({
  reference: z.string(),
  team: z.string(),
  channel: z.string(),
  decidedAt: z.string().meta({ format: 'date-time' }),
  expiresAt: z.string().meta({ format: 'date-time' }),
  link: z.string().meta({ description: "The survey's page: open it while asking the caller, and send their answer there" }),
});
const callBackViewSchema = callBackViewFields.meta({ id: 'SurveyCallBackView' });
class CallBackListView extends createZodDto(z.object({ items: z.array(callBackViewSchema).meta({ description: 'Oldest first, at most 500' }) })) {}

/** Satisfaction surveys of telephone contacts: the force calls the caller back and asks. */
@ApiTags('surveys')
@Controller('surveys')
export class SurveysController {
  constructor(private readonly surveys: SatisfactionSurveys) {}

  @Get('call-backs')
  @RequirePermission(Permission.ContactRead)
  @ApiOperation({ summary: 'Telephone contacts whose callers are to be called back and asked how it went, while their survey is open (the number is on the case)' })
  @ApiResponse({ status: 200, type: CallBackListView })
  async callBacks(@Query() query: CallBackQueryDto): Promise<CallBackListView> {
    return { items: await this.surveys.callBacks(query.team) };
  }
}
