import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { emailPattern, phonePattern } from '../../domain/caller-identity.js';
import { type Channel, type ChannelDetail, type ChannelDetails, channelDetailRules, catalogueChannels, SocialMediaPlatform } from '../../domain/channels.js';
import { type Stage, stages } from '../../domain/contact-case.js';
import { RiskFlag } from '../../domain/risk-screening.js';
import { date, page, queryBoolean, queryInteger, unionDto } from '../common/text.js';
import { dateTime, text } from '../../domain/fields.js';

export const callerSchema = z
  .strictObject({
    name: text(0, 200).optional(),
    phone: z.string().max(26).regex(phonePattern, { error: 'must be a telephone number' }).optional().meta({ example: '+44 121 496 0000' }),
    email: z.email({ pattern: emailPattern, error: 'must be an e-mail address' }).max(254).optional(),
    address: text(0, 500).optional(),
    dateOfBirth: date().optional(),
    anonymous: z.boolean().optional().meta({ description: 'The person reporting does not give their details' }),
    surveyOptOut: z.boolean().optional().meta({ description: 'The caller asked not to be asked how it went once the case closes' }),
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

