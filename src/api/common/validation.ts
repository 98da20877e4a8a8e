import { type ArgumentMetadata, BadRequestException, type PipeTransform, ValidationPipe, type ValidationError } from '@nestjs/common';
import { malformedTextProblems } from '../../domain/well-formed-text.js';
import { type FieldProblem } from '../../modules/errors/domain-error.js';

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Rejects bad bodies with 400 and the name of every offending field; unknown fields are refused. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        code: 'invalid_input',
        message: `Invalid ${[...new Set(fields.map((problem) => problem.field))].join(', ')}`,
        fields,
      });
    },
  });
}

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
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', code: 'invalid_input', message: `Invalid ${[...new Set(fields.map((problem) => problem.field))].join(', ')}`, fields });
  }
}
