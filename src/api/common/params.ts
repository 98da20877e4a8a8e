import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '../../modules/errors/domain-error.js';

/** A path parameter that must be a UUID; a bad one is a 400 naming the parameter. */
export const uuidParam = (name: string) =>
  new ParseUUIDPipe({
    version: '4',
    exceptionFactory: () =>
      new DomainError(DomainErrorCode.InvalidInput, `Invalid ${name}`, [{ field: name, message: `${name} must be a UUID` }]),
  });
