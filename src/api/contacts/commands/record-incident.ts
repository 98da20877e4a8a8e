import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { allIncidentCategories, incidentQualifiers } from '../../../domain/recording.js';
import { Permission } from '../../../modules/platform/access/permissions.js';
import { commandRoute } from './route.js';

export class IncidentDto extends createZodDto(
  z
    .strictObject({
      openingCategory: z.enum(allIncidentCategories),
      qualifiers: z
        .array(z.enum(incidentQualifiers))
        .max(incidentQualifiers.length)
        .refine((qualifiers) => new Set(qualifiers).size === qualifiers.length, { error: 'must not repeat a qualifier' })
        .meta({ uniqueItems: true }),
    }),
) {}

export const recordIncidentRoute = commandRoute({
  name: 'recordIncident',
  path: 'incident',
  permission: Permission.ContactRecordIncident,
  summary: 'Record the NSIR incident: opening category and qualifiers',
  body: IncidentDto,
  given: (body) => ({ command: { type: 'record-incident', incident: { openingCategory: body.openingCategory, qualifiers: body.qualifiers } } }),
});
