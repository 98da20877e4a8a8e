/**
 * Case references a person can read out on the phone: force code, day received (UTC), and that
 * day's sequence number, for example `XP-20261123-000042`.
 */
export const referencePattern = /^[A-Z]{2,4}-\d{8}-\d{6}$/;

export function formatReference(forceCode: string, day: string, sequence: number): string {
  return `${forceCode}-${day.replaceAll('-', '')}-${String(sequence).padStart(6, '0')}`;
}

export const isReference = (value: string) => referencePattern.test(value);
