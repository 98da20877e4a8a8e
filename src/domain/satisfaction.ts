import { type Channel, channelCatalogue } from './channels.js';

/**
 * Asking the public how it went: after a case closes, a short survey (a rating and an optional
 * comment) offered through the contact's own channel. The policy says who is asked; a policy
 * without `satisfaction` asks no one (every one before 2026.12-national-defaults-6).
 */
export interface SatisfactionRule {
  /** A caller is asked at most once in this many days, whichever of their ways of contact they used. */
  askAtMostEveryDays: number;
  /** How long a survey's link stays open, in hours (a fraction is allowed). */
  linkValidHours: number;
  /** The channels whose contacts are asked; every channel when absent. */
  channels?: Channel[];
}

/**
 * How a survey reaches the caller: a reply in the contact's conversation (webchat, social media,
 * an SMS or e-mail thread), a text message or an e-mail to what they gave, or, for a telephone
 * contact, a list for the force to call back.
 */
export const surveyRoutes = ['conversation', 'sms', 'email', 'call-back'] as const;
export type SurveyRoute = (typeof surveyRoutes)[number];

/** Why a closed case's caller was not asked. */
export const notAskedReasons = ['anonymous', 'opted-out', 'channel-not-asked', 'asked-recently', 'no-way-to-reach'] as const;
export type NotAskedReason = (typeof notAskedReasons)[number];

/** The ratings, 1 (very dissatisfied) to 5 (very satisfied). */
export const ratings = [1, 2, 3, 4, 5] as const;
export type Rating = (typeof ratings)[number];
export const ratingLabels: Record<Rating, string> = { 1: 'Very dissatisfied', 2: 'Dissatisfied', 3: 'Neither', 4: 'Satisfied', 5: 'Very satisfied' };

/** The longest comment kept. */
export const SURVEY_COMMENT_MAX = 1_000;

export interface SurveyCaller {
  phone?: string;
  email?: string;
  anonymous?: boolean;
  surveyOptOut?: boolean;
}

/**
 * The way a closed case's caller is asked, or why they are not (before the once-in-a-period rule,
 * which needs their other cases). Never an anonymous caller or one who said no; a conversation is
 * answered where it is; a call is called back; otherwise what the caller gave, e-mail first.
 */
export function surveyRoute(rule: SatisfactionRule, channel: Channel, caller: SurveyCaller, hasConversation: boolean): { route: SurveyRoute } | { notAsked: NotAskedReason } {
  if (caller.anonymous) return { notAsked: 'anonymous' };
  if (caller.surveyOptOut) return { notAsked: 'opted-out' };
  if (rule.channels && !rule.channels.includes(channel)) return { notAsked: 'channel-not-asked' };
  if (hasConversation) return { route: 'conversation' };
  if (channelCatalogue[channel].family === 'phone' && caller.phone) return { route: 'call-back' };
  if (caller.email) return { route: 'email' };
  if (caller.phone) return { route: 'sms' };
  return { notAsked: 'no-way-to-reach' };
}

/** The words that go out with the link: no case details, nothing about the caller. */
export const surveyInvitation = (link: string, validHours: number) =>
  `Thank you for contacting the police. How did we do? Please tell us in a minute: ${link} (open for ${validHours} hours, one answer).`;
