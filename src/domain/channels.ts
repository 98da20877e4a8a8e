/**
 * Every channel a contact can arrive by, and what each one is: the channel catalogue. Everything
 * that treats channels differently reads its record here (the intake's details, the API's request
 * schema, the conversation hub, the management information's phone and digital families, the
 * policy's channel lists), so a new channel is a name below and a record in `channelCatalogue`:
 * the compiler asks for the record, and nothing else needs to know of it.
 */
export enum Channel {
  EmergencyCall = 'emergency-call',
  EmergencyText = 'emergency-text',
  NonEmergencyCall = 'non-emergency-call',
  DirectDial = 'direct-dial',
  Sms = 'sms',
  Email = 'email',
  InternalCall = 'internal-call',
  WeatherPhone = 'weather-phone',
  FaceToFace = 'face-to-face',
  WebForm = 'web-form',
  Webchat = 'webchat',
  SocialMedia = 'social-media',
  Letter = 'letter',
}

export enum SocialMediaPlatform {
  Facebook = 'facebook',
  X = 'x',
  Instagram = 'instagram',
  WhatsApp = 'whatsapp',
  Other = 'other',
}

/** Details that only some channels have. */
export interface ChannelDetails {
  /** Single Online Home web form title. */
  title?: string;
  platform?: SocialMediaPlatform;
  handle?: string;
  /** Front-counter station. */
  station?: string;
  /** Station weather phone location, or the internal caller's department. */
  origin?: string;
}

export type ChannelDetail = keyof ChannelDetails;

/**
 * How the management information counts a channel: a call, written or digital contact (web, chat,
 * social media, SMS, e-mail), or neither (in person, on paper). "Digital against phone" compares the
 * first two.
 */
export type ChannelFamily = 'phone' | 'digital' | 'other';

/** How the sender of a conversation's messages is known, as a caller's details would name them. */
export type SenderIdentity = 'phone' | 'email' | 'name' | 'platform-handle';

export interface ChannelRecord {
  family: ChannelFamily;
  /** The channel details a contact must give, and those it may give besides. */
  details: { required: readonly ChannelDetail[]; optional: readonly ChannelDetail[] };
  /**
   * Set when the channel's contacts can be conversations carried by a platform connector: the
   * platforms its messages come from (a social network, or the channel's own gateway), and how a
   * message's sender is known.
   */
  conversation?: { platforms: readonly string[]; sender: SenderIdentity };
}

const none = { required: [], optional: [] } as const;

/** One record per channel. */
export const channelCatalogue: Record<Channel, ChannelRecord> = {
  [Channel.EmergencyCall]: { family: 'phone', details: none },
  [Channel.EmergencyText]: { family: 'digital', details: none },
  [Channel.NonEmergencyCall]: { family: 'phone', details: none },
  [Channel.DirectDial]: { family: 'phone', details: none },
  [Channel.Sms]: { family: 'digital', details: none, conversation: { platforms: ['sms'], sender: 'phone' } },
  [Channel.Email]: { family: 'digital', details: none, conversation: { platforms: ['email'], sender: 'email' } },
  [Channel.InternalCall]: { family: 'phone', details: { required: [], optional: ['origin'] } },
  [Channel.WeatherPhone]: { family: 'phone', details: { required: ['origin'], optional: [] } },
  [Channel.FaceToFace]: { family: 'other', details: { required: ['station'], optional: [] } },
  [Channel.WebForm]: { family: 'digital', details: { required: ['title'], optional: [] } },
  [Channel.Webchat]: { family: 'digital', details: none, conversation: { platforms: ['webchat'], sender: 'name' } },
  [Channel.SocialMedia]: {
    family: 'digital',
    details: { required: ['platform', 'handle'], optional: [] },
    conversation: { platforms: Object.values(SocialMediaPlatform), sender: 'platform-handle' },
  },
  [Channel.Letter]: { family: 'other', details: none },
};

/** Every channel, in the catalogue's order (read when asked, so that the catalogue is the one list). */
export const catalogueChannels = (): Channel[] => Object.keys(channelCatalogue) as Channel[];

export interface FieldProblem {
  field: string;
  message: string;
}

/** The channel-specific fields each channel needs, and refuses where they make no sense. */
export function channelDetailProblems(channel: Channel, details: ChannelDetails | undefined): FieldProblem[] {
  const { required, optional } = channelCatalogue[channel].details;
  const problems: FieldProblem[] = [];
  for (const field of required) {
    const value = details?.[field];
    if (value === undefined || value === '') problems.push({ field: `channelDetails.${field}`, message: `${field} is required for ${channel}` });
  }
  for (const field of Object.keys(details ?? {}) as ChannelDetail[]) {
    if (details?.[field] !== undefined && !required.includes(field) && !optional.includes(field)) {
      problems.push({ field: `channelDetails.${field}`, message: `${field} does not apply to ${channel}` });
    }
  }
  return problems;
}

/** Which channel details each channel needs and takes, grouped by channels that share a rule. */
export function channelDetailRules(): Array<{ channels: Channel[]; required: ChannelDetail[]; optional: ChannelDetail[] }> {
  const groups = new Map<string, { channels: Channel[]; required: ChannelDetail[]; optional: ChannelDetail[] }>();
  for (const channel of catalogueChannels()) {
    const { required, optional } = channelCatalogue[channel].details;
    const key = JSON.stringify([required, optional]);
    groups.set(key, { required: [...required], optional: [...optional], channels: [...(groups.get(key)?.channels ?? []), channel] });
  }
  return [...groups.values()];
}
