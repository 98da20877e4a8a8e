import { z } from 'zod';

/**
 * The fields a person fills in when they give a case a command, as zod schemas: the API validates
 * each request body with them and writes its OpenAPI document from them, so a limit is stated once.
 * The command modules build their bodies from `schemaKit`, which the API hands them; they import
 * this file and zod as types only, so that the workflow's code never loads either.
 */

/**
 * Free text: any characters but the control characters other than tab and line breaks. NUL above
 * all: PostgreSQL cannot store it in text or JSON, so a case holding one could never be recorded.
 * Half of a character (a lone surrogate) is refused too, in every field, by the API's
 * `WellFormedTextPipe`: a JSON Schema pattern cannot say it in a way every client's regular
 * expressions read alike.
 */
// eslint-disable-next-line no-control-regex -- the pattern exists to find control characters
export const TEXT = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

/** A text field of `min` to `max` characters, without control characters (400 naming the field). */
export const text = (min: number, max: number) => z.string().min(min).max(max).regex(TEXT, { error: 'must not contain control characters' });

/** A time as RFC 3339 writes it (upper-case `T` and `Z`, as ISO 8601 has them), in the years a case can have (1900 to 2999). */
export const DATE_TIME =
  /^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$/;

/** The date's day exists in its month (no 31 April, no 29 February outside a leap year). */
export const realDay = (value: string): boolean => {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** An RFC 3339 date-time on a day that exists. */
export const dateTime = (example?: string) =>
  z
    .string()
    .regex(DATE_TIME, { error: 'must be an RFC 3339 date-time such as 2026-11-23T09:30:00Z' })
    .refine(realDay, { error: 'must be a day that exists' })
    .meta({ format: 'date-time', ...(example ? { example } : {}) });

/** A staff member's identity-provider subject. */
export const SUBJECT = /^[A-Za-z0-9._@-]{1,128}$/;
/** A team's name. */
export const TEAM = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** A clock's id on a case (`attendance-1`). */
export const CLOCK_ID = /^[a-z-]+-[0-9]{1,3}$/;

/** A grade, 1 (emergency) to 4. */
export const grade = z
  .int()
  .min(1)
  .max(4)
  .meta({ enum: [1, 2, 3, 4] }) as unknown as z.ZodType<1 | 2 | 3 | 4>;

/** What a command's request builds its body from: the schema library and the fields above. */
export const schemaKit = { z, text, dateTime, grade, SUBJECT, TEAM, CLOCK_ID };
export type SchemaKit = typeof schemaKit;
