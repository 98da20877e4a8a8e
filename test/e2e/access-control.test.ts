import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { type AppConfig } from '../../src/config/app-config.js';
import { Permission, permissionInfo, rolePermissions } from '../../src/domain/permissions.js';
import { allRoles, Role } from '../../src/domain/roles.js';
import { AesGcmPayloadCodec, loadPayloadKeys } from '../../src/modules/platform/temporal/payload-codec.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { TEST_NAMESPACE, testTemporalAddress } from '../support/temporal-env.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { hostileTokens, tokenFor } from '../support/test-tokens.js';

interface Operation {
  method: string;
  path: string;
  permission: Permission | 'public';
  /** Public to tokens, but only for callers who sign the body (`platform-signature`: platform webhooks). */
  signed: boolean;
}

const SAMPLE_PATH_VALUE = '3f0b6c1e-8d2a-4c7b-9e5f-1a2b3c4d5e6f';

/**
 * Walks every route the API documents, with every role, no token and a set of hostile tokens, and
 * checks each answer against the permission matrix in code. Routes are read from the running API's
 * OpenAPI document, so a route added later is walked without touching this test.
 */
describe('access control on every route', () => {
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let operations: Operation[];

  beforeAll(async () => {
    database = await createTestDatabase();
    // Hostile tokens fail many times from one address here: lift the failure limit for this walk.
    config = testConfig(database.url, { RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '100000' });
    stack = await startStack(config, { worker: false });
    const document = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { 'x-permission'?: string; 'x-authentication'?: string }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path: path.replace(/\{[^}]+\}/g, SAMPLE_PATH_VALUE),
        permission: operation['x-permission'] as Permission | 'public',
        signed: operation['x-authentication'] === 'platform-signature',
      })),
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  const call = (operation: Operation, token?: string) =>
    fetch(`${stack.apiUrl}${operation.path}`, {
      method: operation.method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      body: ['POST', 'PUT', 'PATCH'].includes(operation.method) ? '{}' : undefined,
    });

  it('guards some route with every permission but the planned ones, and no route with a planned one', () => {
    const guarding = new Set(operations.map((operation) => operation.permission));
    const all = Object.values(Permission);
    expect(all.filter((permission) => !permissionInfo[permission].planned && !guarding.has(permission))).toEqual([]);
    expect(all.filter((permission) => permissionInfo[permission].planned && guarding.has(permission))).toEqual([]);
  });

  it('finds every documented operation declaring a known permission or public', () => {
    expect(operations.length).toBeGreaterThanOrEqual(3);
    for (const operation of operations) {
      expect([operation.method, operation.path, operation.permission]).toEqual([
        operation.method,
        operation.path,
        expect.stringMatching(new RegExp(`^(public|${Object.keys(permissionInfo).join('|')})$`)),
      ]);
    }
  });

  it('answers each role as the matrix says: 403 naming the permission where it is not granted', async () => {
    const mismatches: string[] = [];
    for (const operation of operations) {
      for (const role of allRoles) {
        const response = await call(operation, await tokenFor(role, `pc-${role}`));
        const granted = operation.permission === 'public' || rolePermissions[role].has(operation.permission);
        if (operation.signed) {
          // A bearer token of any role is no signature.
          if (response.status !== 401) mismatches.push(`${role} ${operation.method} ${operation.path}: ${response.status}, expected 401 (not signed)`);
        } else if (granted) {
          if (response.status === 401 || response.status === 403) mismatches.push(`${role} ${operation.method} ${operation.path}: ${response.status}, expected access`);
        } else {
          const body = (await response.json()) as { code?: string; message?: string };
          if (response.status !== 403 || body.code !== 'forbidden' || !body.message?.includes(operation.permission)) {
            mismatches.push(`${role} ${operation.method} ${operation.path}: ${response.status} ${body.message}, expected 403 naming ${operation.permission}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('answers 401 with no token or a hostile one on every protected route, and lets them through on public ones', async () => {
    const hostile = await hostileTokens(Role.Administrator);
    const mismatches: string[] = [];
    for (const operation of operations) {
      for (const [name, token] of [['no token', undefined] as const, ...Object.entries(hostile)]) {
        const response = await call(operation, token);
        const expected = operation.permission === 'public' && !operation.signed ? 200 : 401;
        if (response.status !== expected) mismatches.push(`${name} ${operation.method} ${operation.path}: ${response.status}, expected ${expected}`);
        if (expected === 401 && !response.headers.get('www-authenticate')?.startsWith(operation.signed ? 'Signature' : 'Bearer')) {
          mismatches.push(`${name} ${operation.method} ${operation.path}: no WWW-Authenticate header`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses a token whose roles the force does not know', async () => {
    const protectedOperation = operations.find((operation) => operation.permission !== 'public')!;
    const response = await call(protectedOperation, await tokenFor([] as Role[], 'pc-0'));
    expect(response.status).toBe(403);
  });

  it('attributes what a caller starts to that caller and the role that allowed it', async () => {
    const token = await tokenFor([Role.Auditor, Role.Administrator], 'pc-4242');
    const started = await fetch(`${stack.apiUrl}/api/v1/system-checks`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(started.status).toBe(202);
    const { workflowId } = (await started.json()) as { workflowId: string };

    // No worker runs here: read the actor from the workflow's recorded input, then end it.
    const connection = await Connection.connect({ address: testTemporalAddress() });
    try {
      const handle = new Client({ connection, namespace: TEST_NAMESPACE }).workflow.getHandle(workflowId);
      const history = await handle.fetchHistory();
      // Stored encrypted: decoded with the system's payload keys.
      const [input] = await new AesGcmPayloadCodec(loadPayloadKeys(config.codec.keys)).decode([history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0]]);
      expect(JSON.parse(Buffer.from(input.data!).toString('utf8'))).toMatchObject({ requestedBy: { subject: 'pc-4242', role: Role.Administrator } });
      await handle.terminate('test: no worker serves this task queue');
    } finally {
      await connection.close();
    }
  });
});
