import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { outcomes } from '../../../domain/contact-case.js';
import { allIncidentCategories } from '../../../domain/recording.js';
import { Permission } from '../../../modules/platform/access/permissions.js';
import { dateTime, text } from '../../common/text.js';
import { commandRoute } from './route.js';

export class ResolutionDto extends createZodDto(
  z
    .strictObject({
      outcome: z.enum(outcomes),
      closingCategory: z.enum(allIncidentCategories).meta({ description: 'NSIR closing category (may differ from the opening one)' }),
      appointmentAt: dateTime().optional(),
      signpostedTo: text(2, 200).optional(),
      noFurtherActionReason: text(5, 2000).optional(),
    }),
) {}

export const resolveRoute = commandRoute({
  name: 'resolve',
  path: 'resolution',
  permission: Permission.ContactResolve,
  summary: 'Resolve and close the case (first contact resolution only once assessed, recorded and safeguarded)',
  body: ResolutionDto,
  explicitCreated: true,
  given: ({ outcome, closingCategory, appointmentAt, signpostedTo, noFurtherActionReason }) => ({
    command: { type: 'resolve', resolution: { outcome, closingCategory, appointmentAt, signpostedTo, noFurtherActionReason } },
  }),
});
