/** Every channel a contact can arrive by (all must be accepted). */
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

export const allChannels: readonly Channel[] = Object.values(Channel);

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

export interface FieldProblem {
  field: string;
  message: string;
}

const required: Partial<Record<Channel, Array<keyof ChannelDetails>>> = {
  [Channel.WebForm]: ['title'],
  [Channel.SocialMedia]: ['platform', 'handle'],
  [Channel.FaceToFace]: ['station'],
  [Channel.WeatherPhone]: ['origin'],
};

const allowed: Partial<Record<Channel, Array<keyof ChannelDetails>>> = {
  ...required,
  [Channel.InternalCall]: ['origin'],
};

/** The channel-specific fields each channel needs, and refuses where they make no sense. */
export function channelDetailProblems(channel: Channel, details: ChannelDetails | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of required[channel] ?? []) {
    const value = details?.[field];
    if (value === undefined || value === '') problems.push({ field: `channelDetails.${field}`, message: `${field} is required for ${channel}` });
  }
  for (const field of Object.keys(details ?? {}) as Array<keyof ChannelDetails>) {
    if (details?.[field] !== undefined && !(allowed[channel] ?? []).includes(field)) {
      problems.push({ field: `channelDetails.${field}`, message: `${field} does not apply to ${channel}` });
    }
  }
  return problems;
}

/** Which channel details each channel needs and takes, grouped by channels that share a rule. */
export function channelDetailRules(): Array<{ channels: Channel[]; required: Array<keyof ChannelDetails>; allowed: Array<keyof ChannelDetails> }> {
  const groups = new Map<string, { channels: Channel[]; required: Array<keyof ChannelDetails>; allowed: Array<keyof ChannelDetails> }>();
  for (const channel of allChannels) {
    const rule = { required: required[channel] ?? [], allowed: allowed[channel] ?? [] };
    const key = JSON.stringify(rule);
    groups.set(key, { ...rule, channels: [...(groups.get(key)?.channels ?? []), channel] });
  }
  return [...groups.values()];
}
