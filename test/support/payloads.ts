/** Payloads as the Temporal server holds them, found anywhere in a history. */

export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
  /** Where in the history it was found (not sent to the codec). */
  path?: string;
}

/**
 * Every payload in a history (inputs, results, update arguments, markers, user metadata), except
 * search attributes: those stay readable for filtering, and hold no personal data (last test).
 */
export function payloadsIn(value: unknown, found: JsonPayload[] = [], path = ''): JsonPayload[] {
  if (!value || typeof value !== 'object') return found;
  const record = value as Record<string, unknown>;
  if ('indexedFields' in record) return found;
  if (record.data instanceof Uint8Array && (record.metadata === undefined || typeof record.metadata === 'object')) {
    found.push({
      metadata: Object.fromEntries(Object.entries((record.metadata ?? {}) as Record<string, Uint8Array>).map(([key, bytes]) => [key, Buffer.from(bytes).toString('base64')])),
      data: Buffer.from(record.data).toString('base64'),
      path,
    });
    return found;
  }
  for (const [key, item] of Object.entries(record)) payloadsIn(item, found, `${path}.${key}`);
  return found;
}

export const withoutPath = (payloads: JsonPayload[]) => payloads.map(({ metadata, data }) => ({ metadata, data }));

export const payloadText = (payloads: JsonPayload[]) =>
  payloads.map((payload) => [...Object.values(payload.metadata ?? {}), payload.data ?? ''].map((part) => Buffer.from(part, 'base64').toString('latin1')).join(' ')).join('\n');

