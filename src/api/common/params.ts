import { ParseUUIDPipe } from '@nestjs/common';
import { isReference } from '../../domain/reference.js';
import { DomainError, DomainErrorCode } from '../../modules/errors/domain-error.js';

/** A path parameter that must be a UUID; a bad one is a 400 naming the parameter. */
export const uuidParam = (name: string) =>
  new ParseUUIDPipe({
    version: '4',
    exceptionFactory: () =>
      new DomainError(DomainErrorCode.InvalidInput, `Invalid ${name}`, [{ field: name, message: `${name} must be a UUID` }]),
  });

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,64}$/;

/** An Idempotency-Key header, checked: a bad one is a 400 naming the header. */
export function idempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new DomainError(DomainErrorCode.InvalidInput, 'Invalid Idempotency-Key', [
      { field: 'Idempotency-Key', message: '8 to 64 letters, digits, dots, colons, dashes or underscores' },
    ]);
  }
  return value;
}

/** A case reference in a path, checked: a bad one is a 400 naming the parameter. */
export function reference(value: string): string {
  if (!isReference(value)) {
    throw new DomainError(DomainErrorCode.InvalidInput, 'Invalid reference', [{ field: 'reference', message: 'a case reference looks like XP-20261123-000042' }]);
  }
  return value;
}

