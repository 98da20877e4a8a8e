import { Channel, type ChannelDetails } from './channels.js';

/**
 * Who is calling, as something that can be matched but not read: each way of reaching the caller
 * (phone, e-mail, a social media handle) written one way only, so that the same person matches
 * however their number or address was typed. The identifiers here are plain; they are only ever
 * stored as keyed hashes (see the case store's caller identities).
 */

/** What the API takes as a telephone number, at intake and in a lookup (then normalised below). */
/**
 * A telephone number as written: 6 to 15 digits, with spaces, brackets and dashes between them, at
 * most 26 characters. Every number it admits is one `normalisePhone` takes (the API document says
 * this pattern, so nothing it admits may be refused).
 */
export const phonePattern = /^(?=.{6,26}$)\+?[0-9](?:[ ()-]*[0-9]){5,14}[ ()-]*$/;

/**
 * An e-mail address as mail systems take it: zod's address rule, with the lengths RFC 5321 sets
 * (at most 64 characters before the @, 63 in each part of the domain, 254 in all) stated in the
 * pattern, so that a client's e-mail validator and the API agree.
 */
export const emailPattern = /^(?=[^@]{1,64}@)(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** A UK number written any usual way as E.164 (`07700 900123`, `+44 (0)7700 900123` → `+447700900123`); other international numbers kept as given, digits only. Null when it is not a number. */
export function normalisePhone(raw: string): string | null {
  const written = raw.trim();
  // `(0)` is the UK trunk prefix written inside an international number; dropped, unless what is
  // left would be too short to be a number at all.
  const withoutTrunk = written.replace(/\(0\)/g, '');
  const digits = (/\d{6}/.test(withoutTrunk.replace(/\D/g, '')) ? withoutTrunk : written).replace(/[\s().-]/g, '');
  if (!/^\+?\d{6,15}$/.test(digits)) return null;
  if (digits.startsWith('+')) return digits;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (digits.startsWith('0')) return `+44${digits.slice(1)}`;
  if (digits.startsWith('44') && digits.length >= 12) return `+${digits}`;
  return `+44${digits}`;
}

/** An e-mail address as one string: trimmed and lower-cased. Null when it has no @. */
export function normaliseEmail(raw: string): string | null {
  const value = raw.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(value) ? value : null;
}

/** A social media account: the platform and the handle, lower-cased, without a leading @. */
export function normaliseHandle(platform: string, handle: string): string | null {
  const value = handle.trim().replace(/^@/, '').toLowerCase();
  return value ? `${platform.toLowerCase()}:${value}` : null;
}

export interface CallerContact {
  phone?: string;
  email?: string;
  anonymous?: boolean;
}

/**
 * Every identifier of a contact's caller, typed (`phone:+447700900123`, `email:…`, `social:x:…`):
 * none for an anonymous caller.
 */
export function callerIdentifiers(caller: CallerContact, channel?: Channel, details?: ChannelDetails): string[] {
  if (caller.anonymous) return [];
  const identifiers = new Set<string>();
  const phone = caller.phone ? normalisePhone(caller.phone) : null;
  if (phone) identifiers.add(`phone:${phone}`);
  const email = caller.email ? normaliseEmail(caller.email) : null;
  if (email) identifiers.add(`email:${email}`);
  if (channel === Channel.SocialMedia && details?.platform && details.handle) {
    const social = normaliseHandle(details.platform, details.handle);
    if (social) identifiers.add(`social:${social}`);
  }
  return [...identifiers];
}

/** What earlier contacts from the same caller say, as the intake answers it. */
export interface CallerHistory {
  /** Earlier contacts within the window, this one not counted. */
  previousContacts: number;
  windowDays: number;
  lastReference: string | null;
  /** Earlier cases of this caller still open. */
  openReferences: string[];
  /** An earlier case (any time) marked the caller vulnerable. */
  previouslyVulnerable: boolean;
  /** That case, when there is one. */
  vulnerableReference: string | null;
}

/** The cases a caller history names: what reading it shows, for the access log. */
export const referencesIn = (history: CallerHistory): string[] =>
  [...new Set([history.lastReference, ...history.openReferences, history.vulnerableReference].filter((reference): reference is string => reference !== null))];

/** A repeat caller: this contact makes `minimumContacts` within the window. */
export const isRepeatCaller = (history: Pick<CallerHistory, 'previousContacts'>, rule: { minimumContacts: number }) => history.previousContacts + 1 >= rule.minimumContacts;
