import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { loadConfig } from '../../src/config/app-config.js';
import { AesGcmPayloadCodec, BINDING_METADATA, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadBindingError, payloadBinding, PayloadKeyError } from '../../src/modules/platform/temporal/payload-codec.js';

const key = (id: string) => ({ id, key: randomBytes(32) });
const secret = { caller: { name: 'Ada Lindqvist', phone: '+44 7700 900123' }, narrative: 'He said he would hurt me' };

describe('the payload codec (AES-256-GCM)', () => {
  it('seals a payload whole, naming its key, and opens it again', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const payload = defaultPayloadConverter.toPayload(secret);
    const [sealed] = await codec.encode([payload]);
    expect(Buffer.from(sealed.metadata!.encoding).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(sealed.metadata![KEY_ID_METADATA]).toString()).toBe('k1');
    expect(Buffer.from(sealed.data!).toString('latin1')).not.toMatch(/Ada|7700|hurt|json/);
    const [opened] = await codec.decode([sealed]);
    expect(defaultPayloadConverter.fromPayload(opened)).toEqual(secret);
    // A fresh IV each time: the same value never seals to the same bytes.
    const [again] = await codec.encode([payload]);
    expect(Buffer.from(again.data!).equals(Buffer.from(sealed.data!))).toBe(false);
  });

  it('rotates keys: the first encrypts, every one decrypts, an unknown one is named', async () => {
    const old = key('2025');
    const current = key('2026');
    const [sealedWithOld] = await new AesGcmPayloadCodec([old]).encode([defaultPayloadConverter.toPayload(secret)]);
    const rotated = new AesGcmPayloadCodec([current, old]);
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([sealedWithOld]))[0])).toEqual(secret);
    const [sealedNow] = await rotated.encode([defaultPayloadConverter.toPayload(secret)]);
    expect(Buffer.from(sealedNow.metadata![KEY_ID_METADATA]).toString()).toBe('2026');
    await expect(new AesGcmPayloadCodec([current]).decode([sealedWithOld])).rejects.toThrow(new PayloadKeyError('No payload key 2025 is configured'));
  });

  it('refuses an altered payload and passes one that was never encrypted', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(secret)]);
    const altered = Buffer.from(sealed.data!);
    altered[20] ^= 1;
    await expect(codec.decode([{ ...sealed, data: altered }])).rejects.toThrow(/auth/i);
    const plain = defaultPayloadConverter.toPayload('not secret');
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('binds a payload to its workflow: moved to another, it does not decode', async () => {
    const codecKey = key('k1');
    const codec = new AesGcmPayloadCodec([codecKey]);
    const of = (workflowId: string) => ({ type: 'workflow' as const, namespace: 'police-contact', workflowId });
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(secret)], of('contact-XP-20261205-000001'));
    expect(payloadBinding(sealed)).toBe('police-contact/contact-XP-20261205-000001');
    // Its own workflow opens it, as does a reader that names none (an archive, the codec endpoint).
    expect(defaultPayloadConverter.fromPayload((await codec.decode([sealed], of('contact-XP-20261205-000001')))[0])).toEqual(secret);
    expect(defaultPayloadConverter.fromPayload((await codec.decode([sealed]))[0])).toEqual(secret);
    // An activity of that workflow opens it too; the same workflow id in another namespace does not.
    expect(defaultPayloadConverter.fromPayload((await codec.decode([sealed], { type: 'activity', namespace: 'police-contact', workflowId: 'contact-XP-20261205-000001', isLocal: false }))[0])).toEqual(secret);
    await expect(codec.decode([sealed], { type: 'workflow', namespace: 'elsewhere', workflowId: 'contact-XP-20261205-000001' })).rejects.toThrow(PayloadBindingError);
    // Given to another workflow: refused for its binding, and with the binding rewritten to match, refused by the seal.
    await expect(codec.decode([sealed], of('contact-XP-20261205-000002'))).rejects.toThrow(PayloadBindingError);
    const rebound = { ...sealed, metadata: { ...sealed.metadata, [BINDING_METADATA]: Buffer.from('police-contact/contact-XP-20261205-000002') } };
    await expect(codec.decode([rebound], of('contact-XP-20261205-000002'))).rejects.toThrow(/auth/i);
    await expect(codec.decode([rebound])).rejects.toThrow(/auth/i);
    // Its binding removed, it is refused too (the seal covers it).
    const unbound = { ...sealed, metadata: Object.fromEntries(Object.entries(sealed.metadata!).filter(([name]) => name !== BINDING_METADATA)) };
    await expect(codec.decode([unbound], of('contact-XP-20261205-000002'))).rejects.toThrow(/auth/i);
    // A schedule's action is bound to its workflow id; each run the schedule starts adds its start time.
    const [scheduled] = await codec.encode([defaultPayloadConverter.toPayload(secret)], of('store-reconciliation-q1'));
    expect(defaultPayloadConverter.fromPayload((await codec.decode([scheduled], of('store-reconciliation-q1-2026-12-05T03:30:00Z')))[0])).toEqual(secret);
    await expect(codec.decode([scheduled], of('store-reconciliation-q1-other'))).rejects.toThrow(PayloadBindingError);
    await expect(codec.decode([scheduled], of('store-reconciliation-q10-2026-12-05T03:30:00Z'))).rejects.toThrow(PayloadBindingError);
    // A replay worker runs in a namespace of its own: it checks the workflow id alone.
    const replaying = new AesGcmPayloadCodec([codecKey], { replay: true });
    expect(defaultPayloadConverter.fromPayload((await replaying.decode([sealed], { type: 'workflow', namespace: 'default', workflowId: 'contact-XP-20261205-000001' }))[0])).toEqual(secret);
    await expect(replaying.decode([sealed], { type: 'workflow', namespace: 'default', workflowId: 'contact-XP-20261205-000002' })).rejects.toThrow(PayloadBindingError);
    // A payload sealed before binding (no workflow named) still opens, anywhere.
    const [legacy] = await codec.encode([defaultPayloadConverter.toPayload(secret)]);
    expect(payloadBinding(legacy)).toBeUndefined();
    expect(defaultPayloadConverter.fromPayload((await codec.decode([legacy], of('contact-XP-20261205-000002')))[0])).toEqual(secret);
  });

  it('takes its keys from configuration, and insists on them in production', () => {
    const k = randomBytes(32).toString('base64');
    expect(loadConfig({ NODE_ENV: 'test', PAYLOAD_KEYS: `new:${k},old:${k}` }).codec.keys).toEqual({ kind: 'keys', keys: [{ id: 'new', key: k }, { id: 'old', key: k }] });
    expect(() => loadConfig({ NODE_ENV: 'test', PAYLOAD_KEYS: 'k1:c2hvcnQ=' })).toThrow(/PAYLOAD_KEYS: key k1 must be 32 bytes/);
    expect(() => loadConfig({ NODE_ENV: 'test', PAYLOAD_KEYS: `a:${k},a:${k}` })).toThrow(/key ids must be unique/);
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example/jwks' })).toThrow(/PAYLOAD_KEYS: production needs payload encryption keys/);
    expect(loadConfig({ NODE_ENV: 'test' }).codec.keys.kind).toBe('development');
  });
});
