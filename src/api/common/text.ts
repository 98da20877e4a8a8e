import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { realDay, TEAM } from '../../domain/fields.js';

/**
 * The building blocks of the API's request schemas. Each request body, query and path is one zod
 * schema: the validation, the OpenAPI document and the handler's types all come from it. The
 * fields a command's body is made of (free text, times, subjects, teams, grades) are the domain's,
 * in `src/domain/fields.ts`.
 */

/** A calendar date in the years a person's date of birth can have. */
export const DATE = /^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

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

/** A team's name, as a filter or a body field names it. */
export const teamName = () => z.string().regex(TEAM, { error: 'must be 1 to 64 lower-case letters, digits or dashes' });

/** The `team` filter of a list or a report: one team, or every team when absent. */
export const teamFilter = () => teamName().optional().meta({ description: 'One team; every team when absent', example: 'contact-centre' });
