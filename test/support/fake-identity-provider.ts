import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Role } from '../../src/domain/roles.js';
import { tokenFor } from './test-tokens.js';

/**
 * A stand-in for the force's identity provider, for a browser's sign-in (authorization code with
 * PKCE): the one external boundary the management information page crosses. `/authorize` signs in
 * whoever `signInAs` named and sends the browser back with a code; `/token` gives an access token
 * for the code only with the verifier whose S256 hash came with it, once. Loopback only.
 */
export interface FakeIdentityProvider {
  url: string;
  authorizationUrl: string;
  tokenUrl: string;
  clientId: string;
  signInAs(role: Role, subject: string): void;
  /** Every token request, and whether it was honoured. */
  exchanges: Array<{ status: number; reason: string }>;
  stop(): Promise<void>;
}

const read = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

export async function startFakeIdentityProvider(clientId = 'mi-dashboard'): Promise<FakeIdentityProvider> {
  let user: { role: Role; subject: string } | undefined;
  const codes = new Map<string, { challenge: string; redirectUri: string; user: { role: Role; subject: string } }>();
  const exchanges: FakeIdentityProvider['exchanges'] = [];

  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const origin = request.headers.origin;
      if (origin) response.setHeader('Access-Control-Allow-Origin', origin);
      if (url.pathname === '/authorize' && request.method === 'GET') {
        const p = url.searchParams;
        const redirectUri = p.get('redirect_uri') ?? '';
        const fail = (error: string) => {
          response.writeHead(302, { location: `${redirectUri}?error=${error}&state=${p.get('state') ?? ''}` }).end();
        };
        if (p.get('client_id') !== clientId || p.get('response_type') !== 'code') return fail('unauthorized_client');
        if (p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge')) return fail('invalid_request');
        if (!user) return fail('access_denied');
        const code = randomBytes(16).toString('base64url');
        codes.set(code, { challenge: p.get('code_challenge')!, redirectUri, user });
        response.writeHead(302, { location: `${redirectUri}?code=${code}&state=${encodeURIComponent(p.get('state') ?? '')}` }).end();
        return;
      }
      if (url.pathname === '/token' && request.method === 'POST') {
        const form = new URLSearchParams(await read(request));
        const code = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const refuse = (reason: string) => {
          exchanges.push({ status: 400, reason });
          response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: reason }));
        };
        if (form.get('grant_type') !== 'authorization_code' || form.get('client_id') !== clientId) return refuse('wrong grant or client');
        if (!code) return refuse('unknown or used code');
        if (form.get('redirect_uri') !== code.redirectUri) return refuse('redirect_uri differs');
        const hashed = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
        if (hashed !== code.challenge) return refuse('the verifier does not match the challenge');
        exchanges.push({ status: 200, reason: 'ok' });
        const accessToken = await tokenFor(code.user.role, code.user.subject);
        response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: 600 }));
        return;
      }
      response.writeHead(404).end();
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    authorizationUrl: `${url}/authorize`,
    tokenUrl: `${url}/token`,
    clientId,
    signInAs: (role, subject) => {
      user = { role, subject };
    },
    exchanges,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
