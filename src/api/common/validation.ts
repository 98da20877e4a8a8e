import { type ArgumentMetadata, BadRequestException, type PipeTransform } from '@nestjs/common';
import { createZodValidationPipe } from 'nestjs-zod';
import { z, ZodError } from 'zod';
import { malformedTextProblems } from '../../domain/well-formed-text.js';
import { type FieldProblem } from '../../modules/platform/errors/domain-error.js';

/** Each problem zod found, named by its field's path (`caller.email`, `flags.2`); an unknown field by its own name. */
function fieldProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: [...path, key].join('.'), message: `${key} is not a field of this request` }));
    const field = path.join('.') || 'body';
    return [{ field, message: issue.message }];
  });
}

// A field left out reads "is required" (zod's own words would be "expected string, received undefined").
z.config({ customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined) });

const invalidInput = (fields: FieldProblem[]) =>
  new BadRequestException({ statusCode: 400, error: 'Bad Request', code: 'invalid_input', message: `Invalid ${[...new Set(fields.map((problem) => problem.field))].join(', ')}`, fields });

/**
 * Checks every body, query and path object against its DTO's zod schema: a bad one is a 400 naming
 * every offending field. Unknown fields are refused (each schema is strict).
 */
export const ZodValidationPipe = createZodValidationPipe({
  createValidationException: (error: unknown) => (error instanceof ZodError ? invalidInput(fieldProblems(error.issues)) : (error as Error)),
});

/**
 * Refuses text that is not well-formed Unicode (a lone surrogate: half an emoji) in any body or
 * query, on every route (the API, connectors and signed webhooks alike), with 400 naming each field.
 * PostgreSQL cannot store such text, so a case holding it could never be recorded.
 */
export class WellFormedTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const fields = malformedTextProblems(value);
    if (fields.length === 0) return value;
    throw invalidInput(fields);
  }
}
