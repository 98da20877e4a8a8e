import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ApiClient } from '../../src/cli/api-client.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { type Permission, rolePermissions } from '../../src/domain/permissions.js';
import { allRoles, Role } from '../../src/domain/roles.js';
import { apiAs } from '../support/api-client.js';
import { FakePlatform } from '../support/fake-platform.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { tokenFor } from '../support/test-tokens.js';

const SECRET = 'platform-secret-for-the-field-test-0123456789';

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  type?: string;
  items?: Schema;
  properties?: Record<string, Schema & { 'x-permission'?: Permission }>;
  required?: string[];
  additionalProperties?: boolean | Schema;
}
interface Operation {
  'x-permission'?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; example?: string; schema?: { enum?: string[]; example?: string } }>;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** The answers that carry no case data, or that no role reads as JSON (event streams, CSV), and why. */
const notJson = new Set(['text/event-stream', 'text/csv']);

/**
 * Field-level access, generated from the OpenAPI document: every route that answers JSON, called
 * as every role its permission lets in, must answer with exactly the fields the document gives that
 * role: each field the document names for the answer's schema (nothing undocumented), none whose
 * `x-permission` the role lacks (the table of restricted fields), and every required one it may
 * read. A new field in an answer that the document does not show, or a restricted one reaching a
 * role without its permission, fails here.
 */
describe('field-level access: each role gets exactly the fields the document gives it', () => {
  let database: TestDatabase;
  let stack: Stack;
  let platform: FakePlatform;
  let document: Document;
  const values: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    platform = new FakePlatform(SECRET);
    await platform.start();
    stack = await startStack(testConfig(database.url, { CHANNEL_PLATFORM_URL: platform.url, CHANNEL_PLATFORM_SECRET: SECRET, RATE_LIMIT_INTAKE_PER_MINUTE: '100000' }));
    document = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as Document;
    // Something for every route to show: two contacts from one caller, a conversation, an alert, a note, a system check.
    const handler: ApiClient = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-fields');
    const caller = { name: 'Morwenna Tallis', phone: '+447700900612' };
    const first = await handler.post<{ reference: string }>('/contacts', { channel: 'non-emergency-call', caller, narrative: 'Graffiti on the underpass again' });
    expect(first.status).toBe(201);
    values.reference = first.body.reference;
    expect((await handler.post('/contacts', { channel: 'non-emergency-call', caller, narrative: 'More graffiti tonight' })).status).toBe(201);
    expect((await handler.post(`/contacts/${values.reference}/notes`, { text: 'Council informed' })).status).toBe(201);
    expect((await handler.post(`/contacts/${values.reference}/escalations`, { reason: 'risk-increased' })).status).toBe(201);
    const connector = await apiAs(stack.apiUrl, Role.ChannelConnector, 'connector-fields');
    const dm = { platform: 'x', conversationId: 'dm-fields-1', messageId: 'dm-fields-1-1', handle: '@fields_test', text: 'Is anyone reading this?', sentAt: new Date(Date.now() - 60_000).toISOString() };
    expect((await connector.post('/channels/social-media/messages', dm)).status).toBe(201);
    const [alert] = await waitUntil(async () => {
      const rows = await database.query<{ id: string }>('select id from case_alert where reference = $1', [values.reference]);
      return rows.length > 0 ? rows : undefined;
    }, { timeoutMs: 15_000, what: 'the alert written' });
    values.id = alert.id;
    const admin = await apiAs(stack.apiUrl, Role.Administrator, 'admin-fields');
    const check = await admin.post<{ checkId: string }>('/system-checks', {});
    expect(check.status).toBe(202);
    values.checkId = check.body.checkId;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await platform?.stop();
    await database?.drop();
  });

  const resolve = (schema: Schema): Schema => {
    if (schema.$ref) return resolve(document.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf?.length === 1 && !schema.properties) return resolve(schema.allOf[0]);
    return schema;
  };
  const holds = (role: Role, permission: string) => rolePermissions[role].has(permission as Permission);

  /** Where an answer departs from what the document gives `role`. */
  function departures(value: unknown, given: Schema, role: Role, at: string): string[] {
    if (value === null || value === undefined) return [];
    const schema = resolve(given);
    const options = schema.oneOf ?? schema.anyOf;
    if (options) return options.map((option) => departures(value, option, role, at)).reduce((fewest, next) => (next.length < fewest.length ? next : fewest));
    if (Array.isArray(value)) return schema.items ? value.flatMap((item, index) => departures(item, schema.items!, role, `${at}[${index}]`)) : [];
    if (typeof value !== 'object' || !schema.properties) return [];
    const found: string[] = [];
    const record = value as Record<string, unknown>;
    for (const [field, inner] of Object.entries(record)) {
      const property = schema.properties[field];
      if (!property) {
        if (!schema.additionalProperties) found.push(`${at}.${field} is not in the document`);
        continue;
      }
      if (property['x-permission'] && !holds(role, property['x-permission'])) found.push(`${at}.${field} reached ${role}, which lacks ${property['x-permission']}`);
      found.push(...departures(inner, property, role, `${at}.${field}`));
    }
    for (const field of schema.required ?? []) {
      const permission = schema.properties[field]?.['x-permission'];
      if (!(field in record) && (!permission || holds(role, permission))) found.push(`${at}.${field} is missing`);
    }
    for (const [field, property] of Object.entries(schema.properties)) {
      if (property['x-permission'] && holds(role, property['x-permission']) && !(field in record)) found.push(`${at}.${field} did not reach ${role}, which holds ${property['x-permission']}`);
    }
    return found;
  }

  /** A value for each required query parameter: the document's example, or its first allowed value. */
  const queryFor = (operation: Operation) =>
    (operation.parameters ?? [])
      .filter((parameter) => parameter.in === 'query' && parameter.required)
      .map((parameter) => `${parameter.name}=${encodeURIComponent(parameter.example ?? parameter.schema?.example ?? parameter.schema?.enum?.[0] ?? '1')}`)
      .join('&');

  it('answers every JSON read, to every role its permission admits, with exactly the fields the document gives that role', async () => {
    const departed: string[] = [];
    const exercised: string[] = [];
    const notExercised: string[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      const operation = methods.get;
      if (!operation) continue;
      const permission = operation['x-permission'];
      const ok = operation.responses['200'];
      const types = Object.keys(ok?.content ?? {});
      if (!permission || permission === 'public' || types.length === 0 || types.every((type) => notJson.has(type))) continue;
      const schema = ok.content!['application/json']?.schema;
      if (!schema) continue;
      const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'unknown'));
      const query = queryFor(operation);
      let answered = 0;
      for (const role of allRoles.filter((candidate) => holds(candidate, permission))) {
        const response = await fetch(`${stack.apiUrl}${filled}${query ? `?${query}` : ''}`, { headers: { authorization: `Bearer ${await tokenFor(role, `${role}-fields`)}` } });
        if (response.status !== 200) continue;
        answered += 1;
        departed.push(...departures(await response.json(), schema, role, `GET ${path} as ${role}:`));
      }
      (answered > 0 ? exercised : notExercised).push(path);
    }
    process.stdout.write(`[field-access] ${exercised.length} JSON reads checked for every role they admit; not answered 200 here: ${notExercised.join(', ') || 'none'}\n`);
    expect(departed).toEqual([]);
    // Every read with a case to show was exercised: only those about what this stack has none of (a drill) may not be.
    expect(notExercised.filter((path) => !path.includes('drill'))).toEqual([]);
    expect(exercised.length).toBeGreaterThan(10);
  }, 180_000);

  it('answers an intake, and a reply from the hub, with exactly the fields each role that may send them is given', async () => {
    const departed: string[] = [];
    const caller = { name: 'Morwenna Tallis', phone: '+447700900612' };
    const intake = resolve(document.paths['/api/v1/contacts'].post.responses['201'].content!['application/json'].schema!);
    for (const role of allRoles.filter((candidate) => holds(candidate, 'contact:create'))) {
      const client = await apiAs(stack.apiUrl, role, `${role}-intake`);
      const answer = await client.post('/contacts', { channel: 'non-emergency-call', caller, narrative: 'Graffiti once more' });
      expect(answer.status).toBe(201);
      departed.push(...departures(answer.body, intake, role, `POST /contacts as ${role}:`));
    }
    const reply = resolve(document.paths['/api/v1/social-media/inbox/{reference}/replies'].post.responses['201'].content!['application/json'].schema!);
    const [conversation] = await database.query<{ reference: string }>('select reference from conversation limit 1');
    for (const role of allRoles.filter((candidate) => holds(candidate, 'social-media:respond'))) {
      const client = await apiAs(stack.apiUrl, role, `${role}-reply`);
      const answer = await client.post(`/social-media/inbox/${conversation.reference}/replies`, { text: `A reply from ${role}` });
      expect(answer.status).toBe(201);
      departed.push(...departures(answer.body, reply, role, `POST replies as ${role}:`));
    }
    expect(departed).toEqual([]);
  }, 120_000);
});
