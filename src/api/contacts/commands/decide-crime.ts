import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { crimeClassifications, noCrimeReasons } from '../../../domain/recording.js';
import { Permission } from '../../../modules/platform/access/permissions.js';
import { commandRoute } from './route.js';

export class CrimeDecisionDto extends createZodDto(
  z
    .strictObject({
      crimeRecorded: z.boolean(),
      classification: z.enum(crimeClassifications).optional(),
      noCrimeReason: z.enum(noCrimeReasons).optional(),
      victimSupportOptOut: z.boolean().optional().meta({ description: "The victim declined referral to victim support (Victims' Code): no 2-day referral clock" }),
    }),
) {}

export const decideCrimeRoute = commandRoute({
  name: 'decideCrime',
  path: 'crime-decision',
  permission: Permission.ContactDecideCrime,
  summary: 'Record the NCRS crime recording decision',
  body: CrimeDecisionDto,
  // Whether the decision holds together (a classification for a crime, a reason for none) is the
  // case's rule, checked by its workflow: a 422 naming the field.
  given: (body) => ({
    command: {
      type: 'decide-crime',
      decision: { crimeRecorded: body.crimeRecorded, classification: body.classification, noCrimeReason: body.noCrimeReason, victimSupportOptOut: body.victimSupportOptOut },
    },
  }),
});
