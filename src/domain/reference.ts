/**
 * Case references a person can read out on the phone: force code, day received (UTC), and that
 * day's sequence number, for example `XP-20261123-000042`.
 */
/** A reference as a regular expression's source, for ids that begin with one (alerts, commands). */
export const referenceSource = '[A-Z]{2,4}-[0-9]{8}-[0-9]{6}';
export const referencePattern = new RegExp(`^${referenceSource}$`);

/** Digits of a day's sequence number in a reference. */
export const REFERENCE_SEQUENCE_DIGITS = 6;

/** What every reference of a force's day starts with (`XP-20261123-`). */
export const referencePrefix = (forceCode: string, day: string) => `${forceCode}-${day.replaceAll('-', '')}-`;

export function formatReference(forceCode: string, day: string, sequence: number): string {
  return `${referencePrefix(forceCode, day)}${String(sequence).padStart(REFERENCE_SEQUENCE_DIGITS, '0')}`;
}

export const isReference = (value: string) => referencePattern.test(value);
