import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DefaultFailureConverter, type Payload, type PayloadCodec, type SerializationContext } from '@temporalio/common';
import proto from '@temporalio/proto';
import { type PayloadKeySource } from '../../../config/app-config.js';

/** A CommonJS package: reached through its default export under native ESM. */
const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/** The workflow a payload belongs to (`namespace/workflow id`), sealed into it as associated data. */
export const BINDING_METADATA = 'encryption-bound-to';
const IV_BYTES = 12;
/** What a schedule adds to its action's workflow id for each run: `-` and the run's start, to the second, in UTC. */
const SCHEDULED_RUN_SUFFIX = /^-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const TAG_BYTES = 16;

export interface PayloadKey {
  id: string;
  key: Buffer;
}

export class PayloadKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadKeyError';
  }
}

/**
 * AES-256-GCM over each whole payload (metadata and data), so that the Temporal server stores only
 * ciphertext: workflow inputs, update and signal arguments, query results, memos and (with the
 * failure converter below) failure messages. Each payload names the id of the key that sealed it;
 * the first key encrypts and every key decrypts, so keys rotate without re-encrypting history.
 * A payload that was never encrypted passes through decoding unchanged.
 *
 * Each payload is bound to the workflow it belongs to: the SDK tells the codec which one (its
 * serialization context), and `namespace/workflow id` is sealed in as associated data and named in
 * the payload's metadata. Moved to another workflow, or its binding changed, it no longer decodes.
 * Payloads sealed before binding (or where the SDK gives no workflow, as a schedule's start
 * arguments) carry no binding and decode as they always did.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  /**
   * `options.replay`: for a replay worker, which the SDK runs in a namespace of its own (`default`):
   * a payload is then checked against the workflow id alone (its seal still covers its namespace).
   */
  constructor(
    private readonly keys: PayloadKey[],
    private readonly options: { replay?: boolean } = {},
  ) {
    if (keys.length === 0) throw new PayloadKeyError('At least one payload key is needed');
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const { id, key } = this.keys[0];
    const binding = bindingOf(context);
    return Promise.resolve().then(() =>
      payloads.map((payload) => {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        if (binding) cipher.setAAD(Buffer.from(binding));
        const sealed = Buffer.concat([iv, cipher.update(PayloadMessage.encode(payload).finish()), cipher.final(), cipher.getAuthTag()]);
        return {
          metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(id), ...(binding ? { [BINDING_METADATA]: Buffer.from(binding) } : {}) },
          data: sealed,
        };
      }),
    );
  }

  decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    // A payload that cannot be opened rejects the promise (it never throws synchronously).
    const expected = bindingOf(context);
    return Promise.resolve().then(() =>
      payloads.map((payload) => {
        if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCRYPTED_ENCODING) return payload;
        const id = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
        const key = this.byId.get(id);
        if (!key) throw new PayloadKeyError(`No payload key ${id || '(none named)'} is configured`);
        const binding = payloadBinding(payload);
        if (binding !== undefined && expected !== undefined && !this.belongs(binding, expected)) throw new PayloadBindingError(`A payload of ${binding} was given to ${expected}`);
        const sealed = Buffer.from(payload.data ?? []);
        const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
        if (binding !== undefined) decipher.setAAD(Buffer.from(binding));
        decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
        return PayloadMessage.decode(plain);
      }),
    );
  }

  /**
   * Whether a payload bound to `binding` is for the workflow `expected`: the same one, or a run a
   * schedule started (the SDK binds a schedule's action to its workflow id, and each run's id is
   * that id with `-<start time>` after it).
   */
  private belongs(binding: string, expected: string): boolean {
    const sealed = splitBinding(binding);
    const given = splitBinding(expected);
    if (!this.options.replay && sealed.namespace !== given.namespace) return false;
    if (given.workflowId === sealed.workflowId) return true;
    const run = given.workflowId.slice(sealed.workflowId.length);
    return given.workflowId.startsWith(sealed.workflowId) && SCHEDULED_RUN_SUFFIX.test(run);
  }
}

export class PayloadBindingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadBindingError';
  }
}

/** `namespace/workflow id` of the workflow a payload is for, when the SDK names one. */
function bindingOf(context: SerializationContext | undefined): string | undefined {
  return context?.workflowId ? `${context.namespace}/${context.workflowId}` : undefined;
}

/** Whether a payload was sealed by this codec (the SDK writes a few of its own in the clear). */
export const isSealed = (payload: Payload) => Buffer.from(payload.metadata?.encoding ?? []).toString() === ENCRYPTED_ENCODING;

/** The workflow an encrypted payload says it is bound to (checked when it is opened), if any. */
export function payloadBinding(payload: Payload): string | undefined {
  const bytes = payload.metadata?.[BINDING_METADATA];
  return bytes && bytes.length > 0 ? Buffer.from(bytes).toString() : undefined;
}

/** A binding's parts (a namespace's name has no `/`). */
export function splitBinding(binding: string): { namespace: string; workflowId: string } {
  const slash = binding.indexOf('/');
  return { namespace: binding.slice(0, slash), workflowId: binding.slice(slash + 1) };
}

/** The keys a configuration names: given, or (outside production) made once per data directory. */
export function loadPayloadKeys(source: PayloadKeySource): PayloadKey[] {
  if (source.kind === 'keys') return source.keys.map(({ id, key }) => ({ id, key: Buffer.from(key, 'base64') }));
  const read = () => (JSON.parse(readFileSync(source.keyFile, 'utf8')) as Array<{ id: string; key: string }>).map(({ id, key }) => ({ id, key: Buffer.from(key, 'base64') }));
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(source.keyFile), { recursive: true });
  const made = [{ id: `dev-${randomBytes(4).toString('hex')}`, key: randomBytes(32).toString('base64') }];
  try {
    writeFileSync(source.keyFile, JSON.stringify(made), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Another process of this data directory made them first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return read();
}

/** How every client and worker converts payloads: encrypted, failures included. */
export function encryptingDataConverter(source: PayloadKeySource, options: { replay?: boolean } = {}): { payloadCodecs: PayloadCodec[]; failureConverter: DefaultFailureConverter } {
  return {
    payloadCodecs: [new AesGcmPayloadCodec(loadPayloadKeys(source), options)],
    failureConverter: new DefaultFailureConverter({ encodeCommonAttributes: true }),
  };
}

