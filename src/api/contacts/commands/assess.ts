import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { factorLevels, MIN_RATIONALE_LENGTH, thriveFactors } from '../../../domain/thrive.js';
import { Permission } from '../../../modules/platform/access/permissions.js';
import { text } from '../../common/text.js';
import { commandRoute } from './route.js';
import { grade } from './fields.js';

const factor = z.strictObject({ level: z.enum(factorLevels), rationale: text(MIN_RATIONALE_LENGTH, 2000) }).meta({ id: 'FactorDto' });
const factors = z.strictObject(Object.fromEntries(thriveFactors.map((name) => [name, factor])) as Record<(typeof thriveFactors)[number], typeof factor>).meta({ id: 'FactorsDto' });

export class AssessmentDto extends createZodDto(z.strictObject({ factors, proposedGrade: grade })) {}

export const assessRoute = commandRoute({
  name: 'assess',
  path: 'assessments',
  permission: Permission.ContactAssess,
  summary: 'Record a THRIVE(S) assessment and proposed grade (a downgrade waits for approval)',
  body: AssessmentDto,
  given: (body) => ({ command: { type: 'assess', assessment: { factors: { ...body.factors }, proposedGrade: body.proposedGrade } } }),
});
