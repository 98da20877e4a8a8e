import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { assignmentReasons, regradeReasons } from '../../domain/alerts.js';
import { emailPattern, phonePattern } from '../../domain/caller-identity.js';
import { type Channel, type ChannelDetail, type ChannelDetails, channelDetailRules, catalogueChannels, SocialMediaPlatform } from '../../domain/channels.js';
import { escalationReasons, pauseReasons } from '../../domain/clocks.js';
import { noteKinds, outcomes, referralKinds, type Stage, stages } from '../../domain/contact-case.js';
import { allIncidentCategories, crimeClassifications, incidentQualifiers, noCrimeReasons } from '../../domain/recording.js';
import { RiskFlag } from '../../domain/risk-screening.js';
import { factorLevels, MIN_RATIONALE_LENGTH, thriveFactors } from '../../domain/thrive.js';
import { CLOCK_ID, date, dateTime, page, queryBoolean, queryInteger, SUBJECT, TEAM, text, unionDto } from '../common/text.js';

/** A grade, 1 (emergency) to 4. */
const grade = z
  .int()
  .min(1)
  .max(4)
  .meta({ enum: [1, 2, 3, 4] }) as unknown as z.ZodType<1 | 2 | 3 | 4>;

export const callerSchema = z
  .strictObject({
    name: text(0, 200).optional(),
    phone: z.string().max(26).regex(phonePattern, { error: 'must be a telephone number' }).optional().meta({ example: '+44 121 496 0000' }),
    email: z.email({ pattern: emailPattern, error: 'must be an e-mail address' }).max(254).optional(),
    address: text(0, 500).optional(),
    dateOfBirth: date().optional(),
    anonymous: z.boolean().optional().meta({ description: 'The person reporting does not give their details' }),
  })
  .meta({ id: 'CallerDto' });

const locationSchema = z
  .strictObject({
    description: text(0, 500).optional(),
    postcode: z
      .string()
      .regex(/^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$/, { error: 'must be a UK postcode' })
      .optional()
      .meta({ example: 'B1 1AA' }),
    area: z.enum(['urban', 'rural']).optional(),
  })
  .meta({ id: 'LocationDto' });

/** Every channel detail's own rule; which a channel needs or takes is the channel catalogue's. */
const channelDetailFields: Record<ChannelDetail, z.ZodType> = {
  title: text(1, 200).meta({ description: 'Single Online Home web form title (web-form)' }),
  platform: z.enum(SocialMediaPlatform).meta({ description: 'social-media' }),
  handle: text(1, 100).meta({ description: 'Account handle (social-media)' }),
  station: text(1, 100).meta({ description: 'Front-counter station (face-to-face)' }),
  origin: text(1, 100).meta({ description: 'Weather phone location or internal department' }),
};

/** The fields every contact has, whatever its channel. */
const contactFields = {
  receivedAt: dateTime().optional().meta({ description: 'When the contact arrived; now when absent' }),
  caller: callerSchema,
  narrative: text(1, 10_000).meta({ description: 'What the person reported, in their words' }),
  flags: z
    .array(z.enum(RiskFlag))
    .refine((flags) => new Set(flags).size === flags.length, { error: 'must not repeat a flag' })
    .optional()
    .meta({ uniqueItems: true }),
  location: locationSchema.optional(),
  interpreterLanguage: text(2, 64).optional().meta({ description: 'Interpreter (Language Line) needed, in this language' }),
};

/**
 * A new contact: one branch per group of channels that share their channel details' rule (the
 * channel catalogue's), so that the document states which details each channel needs and takes.
 */
export const createContactSchema = z
  .discriminatedUnion(
    'channel',
    channelDetailRules().map(({ channels, required, optional }) => {
      const details = z.strictObject(
        Object.fromEntries([...required.map((field) => [field, channelDetailFields[field]]), ...optional.map((field) => [field, channelDetailFields[field].optional()])]),
      );
      return z.strictObject({
        channel: z.literal(channels as [Channel, ...Channel[]]),
        channelDetails: required.length > 0 ? details : details.optional(),
        ...contactFields,
      });
    }) as unknown as [z.ZodObject<{ channel: z.ZodLiteral<Channel> }>, ...Array<z.ZodObject<{ channel: z.ZodLiteral<Channel> }>>],
  );

/** What the intake receives, its channel details typed as the domain has them. */
export type CreateContact = z.output<z.ZodObject<typeof contactFields>> & { channel: Channel; channelDetails?: ChannelDetails };

export class CreateContactDto extends unionDto(createContactSchema as unknown as z.ZodType<CreateContact>) {}

const factor = z.strictObject({ level: z.enum(factorLevels), rationale: text(MIN_RATIONALE_LENGTH, 2000) }).meta({ id: 'FactorDto' });
const factors = z.strictObject(Object.fromEntries(thriveFactors.map((name) => [name, factor])) as Record<(typeof thriveFactors)[number], typeof factor>).meta({ id: 'FactorsDto' });

export class AssessmentDto extends createZodDto(z.strictObject({ factors, proposedGrade: grade })) {}

export class DowngradeDecisionDto extends createZodDto(
  z
    .strictObject({
      approve: z.boolean().meta({ description: 'true approves the pending downgrade, false refuses it' }),
      rationale: text(MIN_RATIONALE_LENGTH, 2000),
    }),
) {}

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

export class CrimeDecisionDto extends createZodDto(
  z
    .strictObject({
      crimeRecorded: z.boolean(),
      classification: z.enum(crimeClassifications).optional(),
      noCrimeReason: z.enum(noCrimeReasons).optional(),
      victimSupportOptOut: z.boolean().optional().meta({ description: "The victim declined referral to victim support (Victims' Code): no 2-day referral clock" }),
    }),
) {}

export class AttendanceDto extends createZodDto(
  z.strictObject({ event: z.enum(['dispatched', 'arrived']), unit: text(1, 32).optional().meta({ description: 'Call sign of the unit' }) }),
) {}

export class ReferralDto extends createZodDto(z.strictObject({ agency: text(2, 128), kind: z.enum(referralKinds), reason: text(5, 2000) })) {}

export class NoteDto extends createZodDto(
  z
    .strictObject({
      text: text(1, 5000),
      kind: z
        .enum(noteKinds)
        .optional()
        .meta({ default: 'general', description: "`victim-update`: the victim was told of progress (meets the Victims' Code clocks)" }),
    }),
) {}

export class EscalationDto extends createZodDto(z.strictObject({ reason: z.enum(escalationReasons) })) {}

const clockId = z.string().regex(CLOCK_ID, { error: 'must be a clock id such as attendance-1' }).meta({ description: "The clock's id on the case, for example `attendance-1`", example: 'attendance-1' });

/** A pause needs its reason; a resume may say one. */
const clockPauseSchema = z
  .discriminatedUnion('action', [
    z.strictObject({ clock: clockId, action: z.literal('pause'), reason: z.enum(pauseReasons).meta({ description: 'Required to pause' }) }),
    z.strictObject({ clock: clockId, action: z.literal('resume'), reason: z.enum(pauseReasons).optional() }),
  ]);

export class ClockPauseDto extends unionDto(clockPauseSchema as z.ZodType<{ clock: string; action: 'pause' | 'resume'; reason?: (typeof pauseReasons)[number] }>) {}

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

export class QueueQueryDto extends createZodDto(
  z.strictObject({
    stage: z.enum(stages as readonly [Stage, ...Stage[]]).optional(),
    channel: z.enum(catalogueChannels() as [Channel, ...Channel[]]).optional(),
    grade: queryInteger(1, 4, { enum: [1, 2, 3, 4] }).optional(),
    riskMarker: z.literal('IR').optional(),
    assignee: text(1, 128).optional(),
    team: text(1, 64).optional(),
    breached: queryBoolean().optional().meta({ description: 'Only cases with (true) or without (false) a breached clock' }),
    ...page(50),
  }),
) {}

export class AssignmentDto extends createZodDto(
  z
    .strictObject({
      assignee: z
        .string()
        .regex(SUBJECT, { error: 'must be a staff subject: 1 to 128 letters, digits, dots, dashes, underscores or @' })
        .meta({ description: "The staff member's identity-provider subject; a contact handler may name only themself (a claim)", example: 'pc-3301' }),
      team: z
        .string()
        .regex(TEAM, { error: 'must be 1 to 64 lower-case letters, digits or dashes' })
        .optional()
        .meta({ description: "The team; the case's own team when left out", example: 'contact-centre' }),
      reason: z.enum(assignmentReasons),
    }),
) {}

export class RegradeDto extends createZodDto(z.strictObject({ grade, reason: z.enum(regradeReasons) })) {}
