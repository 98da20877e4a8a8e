import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
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
