import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';

/**
 * The building blocks of the API's request schemas. Each request body, query and path is one zod
 * schema: the validation, the OpenAPI document and the handler's types all come from it.
 */

/**
 * Free text: any characters but the control characters other than tab and line breaks. NUL above
 * all: PostgreSQL cannot store it in text or JSON, so a case holding one could never be recorded.
 * Half of a character (a lone surrogate) is refused too, in every field, by `WellFormedTextPipe`:
 * a JSON Schema pattern cannot say it in a way every client's regular expressions read alike.
 */
// eslint-disable-next-line no-control-regex -- the pattern exists to find control characters
export const TEXT = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

/** A text field of `min` to `max` characters, without control characters (400 naming the field). */
export const text = (min: number, max: number) => z.string().min(min).max(max).regex(TEXT, { error: 'must not contain control characters' });

/** A time as RFC 3339 writes it (upper-case `T` and `Z`, as ISO 8601 has them), in the years a case can have (1900 to 2999). */
export const DATE_TIME =
  /^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$/;

/** A calendar date in the years a person's date of birth can have. */
export const DATE = /^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

/** The date's day exists in its month (no 31 April, no 29 February outside a leap year). */
const realDay = (value: string): boolean => {
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

/** A calendar date (a date of birth) on a day that exists. */
export const date = () =>
  z
    .string()
    .regex(DATE, { error: 'must be a date such as 1970-01-31' })
    .refine(realDay, { error: 'must be a day that exists' })
    .meta({ format: 'date' });

/** A whole number in a query string (`?limit=50`), documented as the integer it stands for (with its default or its values). */
export const queryInteger = (min: number, max: number, documented: { default?: number; enum?: number[] } = {}) =>
  z.preprocess(
    (value) => (typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : value),
    z.int({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a whole number' : undefined) }).min(min).max(max).meta(documented),
  );

/** `true` or `false` in a query string, documented as the boolean it stands for. */
export const queryBoolean = () => z.stringbool({ truthy: ['true'], falsy: ['false'] }).meta({ type: 'boolean' });

/** The page fields every list shares. */
export const page = (defaultLimit: number) => ({
  limit: queryInteger(1, 200, { default: defaultLimit }).optional(),
  offset: queryInteger(0, 1_000_000, { default: 0 }).optional(),
});

/** A staff member's identity-provider subject. */
export const SUBJECT = /^[A-Za-z0-9._@-]{1,128}$/;
/** A team's name. */
export const TEAM = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** A clock's id on a case (`attendance-1`). */
export const CLOCK_ID = /^[a-z-]+-[0-9]{1,3}$/;

/**
 * A DTO class for a schema that is a union (a class cannot extend a union type): validated and
 * documented by the union, typed for the handler as `T`, the fields the branches share.
 */
export const unionDto = <T extends object>(schema: z.ZodType<T>) => createZodDto(schema) as unknown as Omit<ReturnType<typeof createZodDto>, 'new'> & (new () => T);

/*
 * The building blocks of the API's answers. Answers are described, not validated: these state what
 * a client may rely on, in the document's terms.
 */

/** An integer in an answer. */
export const integer = () => z.number().meta({ type: 'integer' });

/** A code from a fixed list, typed as text (read back from the store as such): the document lists the codes. */
export const codes = (values: readonly string[] | Readonly<Record<string, string>>) => z.enum(values as [string, ...string[]]) as unknown as z.ZodType<string>;

/**
 * A value or null. zod writes a bare nullable type as a JSON Schema type list (`["string", "null"]`),
 * which nestjs-zod's conversion to OpenAPI 3.0 does not read; a null branch that carries a note
 * stays a union, which it turns into `nullable: true`.
 */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null().meta({ description: 'none' })]);
