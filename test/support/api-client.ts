import { expect } from '@jest/globals';
import { ApiClient } from '../../src/cli/api-client.js';
import { type Role } from '../../src/domain/roles.js';
import { tokenFor } from './test-tokens.js';

/** A client for the API as a staff member of the test identity provider. */
export async function apiAs(baseUrl: string, role: Role, subject: string): Promise<ApiClient> {
  return new ApiClient(baseUrl, await tokenFor(role, subject));
}

/** The body of an answer that must succeed (2xx); otherwise the test fails showing the answer's body. */
export async function ok<T = Record<string, unknown>>(answer: Promise<{ status: number; body: unknown }>): Promise<T> {
  const { status, body } = await answer;
  expect([status, status < 300 ? 'ok' : body]).toEqual([status < 300 ? status : 201, 'ok']);
  return body as T;
}
