import { applyDecorators } from '@nestjs/common';
import { IsString, Length, Matches, ValidateIf } from 'class-validator';

/**
 * Free text: any characters but the control characters other than tab and line breaks. NUL above
 * all: PostgreSQL cannot store it in text or JSON, so a case holding one could never be recorded.
 * Half of a character (a lone surrogate) is refused too, in every field, by `WellFormedTextPipe`:
 * a JSON Schema pattern cannot say it in a way every client's regular expressions read alike.
 */
// eslint-disable-next-line no-control-regex -- the pattern exists to find control characters
export const TEXT = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

/** A text field of `min` to `max` characters, without control characters (400 naming the field). */
export const IsText = (min: number, max: number) =>
  applyDecorators(IsString(), Length(min, max), Matches(TEXT, { message: '$property must not contain control characters' }));

/** A time as RFC 3339 writes it (upper-case `T` and `Z`, as ISO 8601 has them), in the years a case can have (1900 to 2999). */
export const DATE_TIME =
  /^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$/;

/** A calendar date in the years a person's date of birth can have. */
export const DATE = /^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

/**
 * An optional field: left out, it is not checked; given, it is checked, `null` included (class-
 * validator's `IsOptional` would let `null` through, which the document does not allow).
 */
export const Optional = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
