import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '../../src/modules/access/roles.js';
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
  ['unknown flag', 'POST', '/contacts', { ...contact, flags: ['spooky'] }, 'flags'],
  ['flags not a list', 'POST', '/contacts', { ...contact, flags: 'weapon' }, 'flags'],
  ['bad postcode', 'POST', '/contacts', { ...contact, location: { postcode: 'NOT A CODE' } }, 'location.postcode'],
  ['bad area', 'POST', '/contacts', { ...contact, location: { area: 'suburban' } }, 'location.area'],
  ['bad receivedAt', 'POST', '/contacts', { ...contact, receivedAt: 'yesterday' }, 'receivedAt'],
  ['future receivedAt', 'POST', '/contacts', { ...contact, receivedAt: '2999-01-01T00:00:00Z' }, 'receivedAt'],
  ['web form without title', 'POST', '/contacts', { ...contact, channel: 'web-form' }, 'channelDetails.title'],
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
  ['unknown qualifier', 'POST', `/contacts/${REF}/incident`, { openingCategory: 'crime-theft', qualifiers: ['sparkly'] }, 'qualifiers'],
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

  it('answers malformed JSON with a 400', async () => {
    const answer = await supervisor.request('POST', '/contacts', '{"channel": ');
    expect(answer.status).toBe(400);
  });
});
