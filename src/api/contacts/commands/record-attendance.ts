import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Permission } from '../../../modules/platform/access/permissions.js';
import { text } from '../../common/text.js';
import { commandRoute } from './route.js';

export class AttendanceDto extends createZodDto(
  z.strictObject({ event: z.enum(['dispatched', 'arrived']), unit: text(1, 32).optional().meta({ description: 'Call sign of the unit' }) }),
) {}

export const recordAttendanceRoute = commandRoute({
  name: 'recordAttendance',
  path: 'attendance',
  permission: Permission.ContactRecordAttendance,
  summary: 'Record deployment: a unit dispatched, then arrived',
  body: AttendanceDto,
  given: (body) => ({ command: { type: 'record-attendance', event: body.event, unit: body.unit } }),
});
