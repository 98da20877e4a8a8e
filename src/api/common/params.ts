import { type ArgumentMetadata, Param, type PipeTransform } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { commandIds } from '../../workflows/contact-case.messages.js';
import { referencePattern, referenceSource } from '../../domain/reference.js';
import { conversationChannels } from '../../domain/conversations.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';

/** What a path parameter must look like: the pipe checks it, and the OpenAPI document says it. */
interface PathParameterRule {
  pattern: RegExp;
  /** The OpenAPI schema of the parameter. */
  schema: Record<string, unknown>;
  message: string;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

// An alert's id is the id of the timeline entry that raised it: its case's reference, then the change.
export const alertIdPattern = new RegExp(`^${referenceSource}[A-Za-z0-9:/._-]{0,120}$`);

/** Every path parameter of the API, by name. */
export const pathParameters = {
  reference: { pattern: referencePattern, schema: { type: 'string', pattern: referencePattern.source, example: 'XP-20261123-000042' }, message: 'a case reference looks like XP-20261123-000042' },
  id: { pattern: alertIdPattern, schema: { type: 'string', pattern: alertIdPattern.source }, message: 'an alert id starts with its case reference' },
  channel: {
    pattern: new RegExp(`^(${conversationChannels.join('|')})$`),
    schema: { type: 'string', enum: [...conversationChannels] },
    message: `channel must be one of ${conversationChannels.join(', ')}`,
  },
  checkId: {
    pattern: UUID_V4,
    schema: { type: 'string', format: 'uuid', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$' },
    message: 'checkId must be a UUID (version 4)',
  },
  drillId: {
    pattern: UUID_V4,
    schema: { type: 'string', format: 'uuid', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$' },
    message: 'drillId must be a UUID (version 4)',
  },
} satisfies Record<string, PathParameterRule>;

export type PathParameterName = keyof typeof pathParameters;

/** Checks a path parameter against its rule: a bad one is a 400 naming the parameter. */
export class PathParameterPipe implements PipeTransform<string, string> {
  constructor(private readonly name: PathParameterName) {}

  transform(value: string, _metadata?: ArgumentMetadata): string {
    const rule: PathParameterRule = pathParameters[this.name];
    if (!rule.pattern.test(value)) throw new DomainError(DomainErrorCode.InvalidInput, `Invalid ${this.name}`, [{ field: this.name, message: rule.message }]);
    return value;
  }
}

/** A path parameter, checked by its rule (`@PathParam('reference') reference: string`). */
export const PathParam = (name: PathParameterName) => Param(name, new PathParameterPipe(name));

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,64}$/;

/** The Idempotency-Key header's rule, as the OpenAPI document states it. */
export const idempotencyKeySchema = { type: 'string', pattern: IDEMPOTENCY_KEY.source, minLength: 8, maxLength: 64 };

/** The id a client's command on a case goes by: from its Idempotency-Key (checked), or a new one. */
export const commandIdFor = (reference: string, key: string | undefined) => {
  const checked = idempotencyKey(key);
  return checked ? commandIds.keyed(reference, checked) : commandIds.generated(reference, randomUUID());
};

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
