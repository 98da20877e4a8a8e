import { ApiClient } from '../../src/cli/api-client.js';
import { type Role } from '../../src/domain/roles.js';
import { tokenFor } from './test-tokens.js';


/** A client for the API as a staff member of the test identity provider. */
export async function apiAs(baseUrl: string, role: Role, subject: string): Promise<ApiClient> {
  return new ApiClient(baseUrl, await tokenFor(role, subject));
}
