import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { Role } from '../../src/domain/roles.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { apiAs } from '../support/api-client.js';
import { assessment } from '../support/assessments.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const REF = 'XP-20261123-000001';
const contact = { channel: 'non-emergency-call', caller: { name: 'D. Caller' }, narrative: 'My shed was broken into' };
const good = assessment({}, 3);
const without = <T extends object>(value: T, key: keyof T) => Object.fromEntries(Object.entries(value).filter(([name]) => name !== key));

/** [what, method, path, body, the field the answer must name, headers] */
const table: Array<[string, string, string, unknown, string, Record<string, string>?]> = [
  ['no channel', 'POST', '/contacts', without(contact, 'channel'), 'channel'],
  ['unknown channel', 'POST', '/contacts', { ...contact, channel: 'carrier-pigeon' }, 'channel'],
  ['no narrative', 'POST', '/contacts', without(contact, 'narrative'), 'narrative'],
  ['empty narrative', 'POST', '/contacts', { ...contact, narrative: '' }, 'narrative'],
  ['narrative too long', 'POST', '/contacts', { ...contact, narrative: 'x'.repeat(10_001) }, 'narrative'],
  ['no caller', 'POST', '/contacts', without(contact, 'caller'), 'caller'],
  ['bad phone', 'POST', '/contacts', { ...contact, caller: { phone: 'call me' } }, 'caller.phone'],
  ['bad e-mail', 'POST', '/contacts', { ...contact, caller: { email: 'nobody' } }, 'caller.email'],
  ['bad date of birth', 'POST', '/contacts', { ...contact, caller: { dateOfBirth: '31/02/1990' } }, 'caller.dateOfBirth'],
  ['date of birth on a day that does not exist', 'POST', '/contacts', { ...contact, caller: { dateOfBirth: '1990-02-30' } }, 'caller.dateOfBirth'],
  ['phone with a line break after it', 'POST', '/caller-lookups', { phone: '+44 7700 900123\n' }, 'phone'],
  ['e-mail longer than 64 characters before the @', 'POST', '/caller-lookups', { email: `${'a'.repeat(65)}@example.org` }, 'email'],
  ['platform without its handle', 'POST', '/caller-lookups', { platform: 'x' }, 'handle'],
  ['unknown flag', 'POST', '/contacts', { ...contact, flags: ['spooky'] }, 'flags.0'],
  ['flags not a list', 'POST', '/contacts', { ...contact, flags: 'weapon' }, 'flags'],
  ['bad postcode', 'POST', '/contacts', { ...contact, location: { postcode: 'NOT A CODE' } }, 'location.postcode'],
  ['bad area', 'POST', '/contacts', { ...contact, location: { area: 'suburban' } }, 'location.area'],
  ['bad receivedAt', 'POST', '/contacts', { ...contact, receivedAt: 'yesterday' }, 'receivedAt'],
  ['receivedAt outside the years a case can have', 'POST', '/contacts', { ...contact, receivedAt: '0031-06-05T02:26:15.037Z' }, 'receivedAt'],
  ['a NUL in the narrative', 'POST', '/contacts', { ...contact, narrative: 'broken\u0000in' }, 'narrative'],
  ['a control character in a caller name', 'POST', '/contacts', { ...contact, caller: { name: 'D.\u0007Caller' } }, 'caller.name'],
  ['a NUL in a rationale', 'POST', `/contacts/${REF}/downgrade-approvals`, { approve: true, rationale: 'a long enough\u0000 rationale' }, 'rationale'],
  ['web form without its details', 'POST', '/contacts', { ...contact, channel: 'web-form' }, 'channelDetails'],
  ['web form without title', 'POST', '/contacts', { ...contact, channel: 'web-form', channelDetails: {} }, 'channelDetails.title'],
  ['detail another channel takes', 'POST', '/contacts', { ...contact, channel: 'web-form', channelDetails: { title: 'Theft', station: 'Central' } }, 'channelDetails.station'],
  ['social media without handle', 'POST', '/contacts', { ...contact, channel: 'social-media', channelDetails: { platform: 'x' } }, 'channelDetails.handle'],
  ['unknown platform', 'POST', '/contacts', { ...contact, channel: 'social-media', channelDetails: { platform: 'myspace', handle: '@a' } }, 'channelDetails.platform'],
  ['station on a 999 call', 'POST', '/contacts', { ...contact, channel: 'emergency-call', channelDetails: { station: 'Central' } }, 'channelDetails.station'],
  ['unknown field', 'POST', '/contacts', { ...contact, shoeSize: 9 }, 'shoeSize'],
  ['bad Idempotency-Key', 'POST', '/contacts', contact, 'Idempotency-Key', { 'Idempotency-Key': 'no spaces allowed!' }],
  ['bad reference', 'POST', '/contacts/not-a-ref/notes', { text: 'hello' }, 'reference'],
  ['no factors', 'POST', `/contacts/${REF}/assessments`, { proposedGrade: 3 }, 'factors'],
  ['missing safeguarding', 'POST', `/contacts/${REF}/assessments`, { ...good, factors: without(good.factors, 'safeguarding') }, 'factors.safeguarding'],
  ['short rationale', 'POST', `/contacts/${REF}/assessments`, { ...good, factors: { ...good.factors, threat: { level: 'low', rationale: 'meh' } } }, 'factors.threat.rationale'],
  ['unknown level', 'POST', `/contacts/${REF}/assessments`, { ...good, factors: { ...good.factors, harm: { level: 'extreme', rationale: 'a long enough rationale' } } }, 'factors.harm.level'],
  ['grade 5', 'POST', `/contacts/${REF}/assessments`, { ...good, proposedGrade: 5 }, 'proposedGrade'],
  ['approve not boolean', 'POST', `/contacts/${REF}/downgrade-approvals`, { approve: 'yes', rationale: 'a long enough rationale' }, 'approve'],
  ['no rationale', 'POST', `/contacts/${REF}/downgrade-approvals`, { approve: true }, 'rationale'],
  ['unknown category', 'POST', `/contacts/${REF}/incident`, { openingCategory: 'alien-landing', qualifiers: [] }, 'openingCategory'],
  ['unknown qualifier', 'POST', `/contacts/${REF}/incident`, { openingCategory: 'crime-theft', qualifiers: ['sparkly'] }, 'qualifiers.0'],
  ['unknown classification', 'POST', `/contacts/${REF}/crime-decision`, { crimeRecorded: true, classification: 'jaywalking' }, 'classification'],
  ['unknown attendance event', 'POST', `/contacts/${REF}/attendance`, { event: 'left' }, 'event'],
  ['unknown referral kind', 'POST', `/contacts/${REF}/referrals`, { agency: 'Council', kind: 'other', reason: 'a reason here' }, 'kind'],
  ['no agency', 'POST', `/contacts/${REF}/referrals`, { kind: 'partner', reason: 'a reason here' }, 'agency'],
  ['empty note', 'POST', `/contacts/${REF}/notes`, { text: '' }, 'text'],
  ['note too long', 'POST', `/contacts/${REF}/notes`, { text: 'x'.repeat(5001) }, 'text'],
  ['unknown outcome', 'POST', `/contacts/${REF}/resolution`, { outcome: 'done', closingCategory: 'advice' }, 'outcome'],
  ['no closing category', 'POST', `/contacts/${REF}/resolution`, { outcome: 'signposted', signpostedTo: 'Citizens Advice' }, 'closingCategory'],
  ['bad appointment time', 'POST', `/contacts/${REF}/resolution`, { outcome: 'appointment', closingCategory: 'advice', appointmentAt: 'soon' }, 'appointmentAt'],
  ['queue grade 7', 'GET', '/contacts?grade=7', undefined, 'grade'],
  ['queue limit 0', 'GET', '/contacts?limit=0', undefined, 'limit'],
  ['queue offset past any page (was a 500 from the database)', 'GET', '/contacts?offset=830991925950674903236608', undefined, 'offset'],
  ['alerts offset past any page', 'GET', '/alerts?offset=830991925950674903236608', undefined, 'offset'],
  ['null for an optional e-mail', 'POST', '/contacts', { ...contact, caller: { email: null } }, 'caller.email'],
  ['null channel details', 'POST', '/contacts', { ...contact, channelDetails: null }, 'channelDetails'],
  ['a lower-case t in receivedAt', 'POST', '/contacts', { ...contact, receivedAt: '2026-11-01t10:00:00Z' }, 'receivedAt'],
  ['queue unknown stage', 'GET', '/contacts?stage=open', undefined, 'stage'],
];

// Every row with its headers: Jest would take a missing last argument for a `done` callback.
const cases = table.map(([what, method, path, body, field, headers]) => [what, method, path, body, field, headers ?? {}] as const);

describe('invalid input: a 400 naming the field, never a 5xx', () => {
  let database: TestDatabase;
  let stack: Stack;
  let supervisor: ApiClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startStack(testConfig(database.url), { worker: false });
    supervisor = await apiAs(stack.apiUrl, Role.TeamLeader, 'sgt-1');
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  it.each(cases)('%s', async (_what, method, path, body, field, headers) => {
    const answer = await supervisor.request<{ code: string; fields?: Array<{ field: string }> }>(method, path, body, headers);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_input');
    expect(answer.body.fields?.map((problem) => problem.field)).toContain(field);
  });

  it('refuses a contact received in the future with a 422 naming receivedAt (a rule the document cannot state)', async () => {
    const answer = await supervisor.request<{ code: string; fields?: Array<{ field: string }> }>('POST', '/contacts', { ...contact, receivedAt: '2999-01-01T00:00:00Z' });
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('rule_refused');
    expect(answer.body.fields?.map((problem) => problem.field)).toEqual(['receivedAt']);
  });

  it('answers a known path asked with another method with 405 and Allow', async () => {
    for (const [method, path, allow] of [
      ['PATCH', '/contacts', 'GET, POST, HEAD, OPTIONS'],
      ['DELETE', `/contacts/${REF}`, 'GET, HEAD, OPTIONS'],
      ['PUT', '/alerts/stream', 'GET, HEAD, OPTIONS'],
    ] as const) {
      const answer = await supervisor.request<{ code: string }>(method, path);
      expect([method, path, answer.status, answer.headers.get('allow')]).toEqual([method, path, 405, allow]);
      expect(answer.body.code).toBe('method_not_allowed');
    }
    expect((await supervisor.request('PATCH', '/no-such-thing')).status).toBe(404);
    // fetch will not send TRACE, which the fuzzer tries: a plain HTTP request does.
    const trace = await new Promise<{ status?: number; allow?: string }>((resolve, reject) => {
      const request = httpRequest(`${stack.apiUrl}/api/v1/contacts`, { method: 'TRACE' }, (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode, allow: response.headers.allow }));
      });
      request.on('error', reject);
      request.end();
    });
    expect(trace).toEqual({ status: 405, allow: 'GET, POST, HEAD, OPTIONS' });
  });

  it('states in its document the rules it enforces: patterns, lengths, unknown fields, rules across fields, the error body', async () => {
    const document = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; required?: boolean; schema: Record<string, unknown> }>; responses: Record<string, { content?: unknown }> }>>;
      components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; additionalProperties?: boolean; oneOf?: Array<{ properties: Record<string, Record<string, unknown>>; additionalProperties?: boolean; required: string[] }>; required?: string[] }> };
    };
    // A new contact is a union on its channel: each branch states the details its channels need.
    const branches = document.components.schemas.CreateContactDto.oneOf ?? [];
    expect(branches.length).toBeGreaterThan(1);
    for (const branch of branches) {
      expect(branch.additionalProperties).toBe(false);
      expect(branch.properties.narrative).toMatchObject({ minLength: 1, maxLength: 10_000, pattern: expect.any(String) });
      expect(branch.properties.interpreterLanguage).toMatchObject({ minLength: 2, maxLength: 64 });
    }
    const webForm = branches.find((branch) => (branch.properties.channel.enum as string[]).includes('web-form'));
    expect(webForm?.required).toContain('channelDetails');
    expect(webForm?.properties.channelDetails).toMatchObject({ required: ['title'], additionalProperties: false });
    expect(document.components.schemas.CallerDto.properties.email).toMatchObject({ format: 'email' });
    // A final `$` is written so that Python's regular expressions read it as ECMA-262 does.
    expect(document.components.schemas.AssignmentDto.properties.assignee).toMatchObject({ pattern: '^[A-Za-z0-9._@-]{1,128}(?!\\n)$' });
    const notes = document.paths['/api/v1/contacts/{reference}/notes'].post;
    const reference = notes.parameters?.find((parameter) => parameter.name === 'reference');
    expect(new RegExp(String(reference?.schema.pattern)).test('0')).toBe(false);
    expect(new RegExp(String(reference?.schema.pattern)).test(REF)).toBe(true);
    expect(notes.parameters?.filter((parameter) => parameter.in === 'header').map((parameter) => [parameter.name, parameter.required])).toEqual([['Idempotency-Key', false]]);
    for (const status of ['400', '401', '403', '404', '409', '422', '429']) {
      expect([status, notes.responses[status]?.content]).toEqual([status, { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBodyDto' } } }]);
    }
  });

  it('answers malformed JSON with a 400', async () => {
    const answer = await supervisor.request('POST', '/contacts', '{"channel": ');
    expect(answer.status).toBe(400);
  });
});
