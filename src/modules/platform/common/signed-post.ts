import { createHmac } from 'node:crypto';

/**
 * Signs a body for a receiver outside the system: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">`, so that the receiver can check who sent it and refuse an old one replayed.
 */
export function signBody(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/** What a signed POST came to: the receiver's answer, or why there was none worth having. */
export type SignedPostResult = { ok: true; response: Response } | { ok: false; failure: string };

/**
 * POSTs a JSON body, signed in `signatureHeader` and carrying `idempotencyKey`, within 10 s. A
 * refusal (non-2xx) or an unreachable receiver is a `failure` in words; the caller records it and
 * throws, so that Temporal tries again. A successful answer's body is the caller's to read.
 */
export async function postSigned(url: string, body: string, options: { secret: string; signatureHeader: string; idempotencyKey: string; userAgent: string }): Promise<SignedPostResult> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': options.idempotencyKey,
        [options.signatureHeader]: signBody(options.secret, Math.floor(Date.now() / 1_000), body),
        'user-agent': options.userAgent,
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (response.ok) return { ok: true, response };
    await response.body?.cancel();
    return { ok: false, failure: `the receiver answered ${response.status}` };
  } catch (error) {
    return { ok: false, failure: `the receiver could not be reached: ${(error as Error).message}` };
  }
}
