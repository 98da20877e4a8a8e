import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { findFreePort } from '../../src/modules/platform/process/child-process.js';
import { signBody } from '../../src/modules/platform/common/signed-post.js';

/** A message the fake platform took: a reply to a conversation, a post, or a survey invitation by text or e-mail. */
export interface PlatformMessage {
  kind: 'reply' | 'post' | 'survey';
  conversationId: string | null;
  /** A survey invitation's route (`sms`, `email`) and address. */
  route?: string;
  to?: string;
  platform: string;
  text: string;
  idempotencyKey: string;
  platformId: string;
}

/** Signs a body as the platform adapter and connectors do (for the signed webhook). */
export const signPlatformBody = (secret: string, body: string, timestampSeconds = Math.floor(Date.now() / 1_000)) => signBody(secret, timestampSeconds, body);

function verifies(secret: string, signature: string, body: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${body}`).digest();
  return Math.abs(Date.now() / 1_000 - Number(match[1])) < 300 && timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}

/**
 * A stand-in for a social media platform's API, at the one true external boundary: it takes replies
 * (`POST /conversations/:id/messages`), posts (`POST /posts`) and survey invitations by text or
 * e-mail (`POST /surveys`) signed with the shared key, treats
 * a repeated idempotency key as the same message (as real platforms do), and can be taken down.
 */
export class FakePlatform {
  /** Every message taken, once each. */
  readonly taken: PlatformMessage[] = [];
  /** Every request that reached it, including those refused while down and repeats. */
  readonly attempts: Array<{ path: string; status: number; at: number }> = [];
  private downUntil = 0;
  private server?: Server;
  url = '';

  constructor(private readonly secret: string) {}

  async start(): Promise<void> {
    const port = await findFreePort();
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const path = request.url ?? '';
        const answer = (status: number, json?: unknown) => {
          this.attempts.push({ path, status, at: Date.now() });
          response.writeHead(status, { 'content-type': 'application/json' }).end(json === undefined ? '' : JSON.stringify(json));
        };
        if (Date.now() < this.downUntil) return answer(503, { error: 'down for maintenance' });
        if (!verifies(this.secret, String(request.headers['x-platform-signature'] ?? ''), body)) return answer(401, { error: 'bad signature' });
        const key = String(request.headers['idempotency-key'] ?? '');
        const seen = this.taken.find((message) => message.idempotencyKey === key);
        if (seen) return answer(200, { id: seen.platformId });
        const parsed = JSON.parse(body) as { platform?: string; text: string; conversationId?: string; route?: string; to?: string };
        const reply = /^\/conversations\/([^/]+)\/messages$/.exec(path);
        if (!reply && path !== '/posts' && path !== '/surveys') return answer(404, { error: 'no such route' });
        const message: PlatformMessage = {
          kind: reply ? 'reply' : path === '/surveys' ? 'survey' : 'post',
          conversationId: reply ? decodeURIComponent(reply[1]) : null,
          ...(path === '/surveys' ? { route: parsed.route, to: parsed.to } : {}),
          platform: parsed.platform ?? parsed.route ?? '',
          text: parsed.text,
          idempotencyKey: key,
          platformId: `fp-${this.taken.length + 1}`,
        };
        this.taken.push(message);
        answer(201, { id: message.platformId });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${port}`;
  }

  /** Refuses everything (503) for the next `ms` milliseconds. */
  goDownFor(ms: number): void {
    this.downUntil = Date.now() + ms;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }
}
