// Who is signed in, and how: the force's identity provider (authorization code with PKCE), or the
// development sign-in where this installation allows it. The token lives in this tab's session
// storage only; the API checks it on every request.
import { Permission, rolePermissions } from '../../src/domain/permissions.js';
import { isRole, type Role } from '../../src/domain/roles.js';

const TOKEN = 'desk.token';
const PKCE = 'desk.pkce';

export type SignInMode =
  | { mode: 'oidc'; authorizationUrl: string; tokenUrl: string; clientId: string; scope: string; rolesClaim: string }
  | { mode: 'development'; roles: Role[]; rolesClaim: string }
  | { mode: 'none' };

export interface Person {
  token: string;
  subject: string;
  roles: Role[];
  expiresAtMs: number;
  can(permission: Permission): boolean;
}

const redirectUri = () => `${location.origin}/desk`;

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export async function signInMode(): Promise<SignInMode> {
  const response = await fetch('/desk/sign-in');
  if (!response.ok) throw new Error(`The sign-in settings did not load (${response.status})`);
  return (await response.json()) as SignInMode;
}

export async function startOidc(mode: Extract<SignInMode, { mode: 'oidc' }>): Promise<void> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state }));
  const url = new URL(mode.authorizationUrl);
  for (const [key, value] of Object.entries({ response_type: 'code', client_id: mode.clientId, redirect_uri: redirectUri(), scope: mode.scope, state, code_challenge: challenge, code_challenge_method: 'S256' })) {
    url.searchParams.set(key, value);
  }
  location.assign(url);
}

/** Back from the identity provider with a code: exchanged for a token if the state is the one sent. */
export async function finishOidc(mode: Extract<SignInMode, { mode: 'oidc' }>, parameters: URLSearchParams): Promise<void> {
  const saved = JSON.parse(sessionStorage.getItem(PKCE) ?? 'null') as { verifier: string; state: string } | null;
  sessionStorage.removeItem(PKCE);
  history.replaceState(null, '', '/desk');
  if (parameters.get('error')) throw new Error(`The identity provider refused the sign-in (${parameters.get('error')})`);
  if (!saved || saved.state !== parameters.get('state')) throw new Error('The sign-in did not come back as it went out: start again');
  const response = await fetch(mode.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: parameters.get('code') ?? '', redirect_uri: redirectUri(), client_id: mode.clientId, code_verifier: saved.verifier }),
  });
  if (!response.ok) throw new Error('The identity provider did not give a token: start again');
  sessionStorage.setItem(TOKEN, ((await response.json()) as { access_token: string }).access_token);
}

export async function developmentSignIn(role: Role, subject: string): Promise<void> {
  const response = await fetch('/desk/sign-in/development', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role, subject }) });
  const body = (await response.json()) as { accessToken?: string; message?: string };
  if (!response.ok || !body.accessToken) throw new Error(body.message ?? `Sign-in refused (${response.status})`);
  sessionStorage.setItem(TOKEN, body.accessToken);
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN);
}

/** The person the stored token names, or null. The roles are read only to show what they may press. */
export function currentPerson(rolesClaim: string): Person | null {
  const token = sessionStorage.getItem(TOKEN);
  if (!token) return null;
  try {
    const claims = JSON.parse(atob(token.split('.')[1].replaceAll('-', '+').replaceAll('_', '/'))) as Record<string, unknown>;
    const listed = claims[rolesClaim];
    const roles = (Array.isArray(listed) ? listed : typeof listed === 'string' ? listed.split(' ') : []).filter(isRole);
    const expiresAtMs = typeof claims.exp === 'number' ? claims.exp * 1000 : Number.POSITIVE_INFINITY;
    if (expiresAtMs <= Date.now()) {
      signOut();
      return null;
    }
    return { token, subject: String(claims.sub), roles, expiresAtMs, can: (permission) => roles.some((role) => rolePermissions[role].has(permission)) };
  } catch {
    signOut();
    return null;
  }
}

export { Permission };
