import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { type AppConfig } from '../../src/config/app-config.js';
import { Channel } from '../../src/domain/channels.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { encryptingDataConverter } from '../../src/modules/platform/temporal/payload-codec.js';
import { contactCaseWorkflowId } from '../../src/workflows/contact-case.messages.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { apiAs } from '../support/api-client.js';
import { assessment } from '../support/assessments.js';
import { startStack, type Stack } from '../support/stack.js';
import { TEST_NAMESPACE, testTemporalAddress } from '../support/temporal-env.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { tokenFor } from '../support/test-tokens.js';
import { type JsonPayload, payloadsIn, payloadText as text, withoutPath } from '../support/payloads.js';

const caller = { name: 'Bernadette Quiller', phone: '+44 7700 900461', email: 'b.quiller@example.org', address: '14 Larkspur Close, Dudley' };
const narrative = 'Bernadette says her neighbour Mr Oswin Trebble threatened her over the fence on Larkspur Close';
const location = { description: 'outside number 14 Larkspur Close', postcode: 'DY1 4QX' };
/** Every piece of personal data in the intake: none may leave the case store unencrypted. */
const personal = [caller.name, 'Bernadette', 'Quiller', caller.phone, '7700 900461', caller.email, caller.address, 'Larkspur', 'Trebble', 'Oswin', 'DY1 4QX', 'threatened her'];

/**
 * Personal data stays in the case store and in encrypted payloads: the Temporal server sees only
 * ciphertext, the codec endpoint gives it back to supervisors and auditors alone, and no workflow
 * id, search attribute or UI summary carries it.
 */
describe('personal data and the Temporal server', () => {
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let handler: ApiClient;
  let connection: Connection;
  let handle: WorkflowHandle;
  let reference: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url);
    stack = await startStack(config);
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-5150');
    const created = await handler.post<{ reference: string }>('/contacts', {
      channel: Channel.WebForm,
      channelDetails: { title: 'Threats from a neighbour' },
      caller,
      location,
      narrative,
      flags: ['vulnerable-person'],
    });
    expect(created.status).toBe(201);
    reference = created.body.reference;
    expect((await handler.post(`/contacts/${reference}/notes`, { text: `Spoke to ${caller.name} on ${caller.phone}` })).status).toBe(201);
    expect((await handler.post(`/contacts/${reference}/assessments`, assessment({ threat: 'medium', vulnerability: 'medium' }, 2))).status).toBe(201);
    // A refused command: its failure message travels through Temporal too.
    expect((await handler.post(`/contacts/${reference}/resolution`, { outcome: 'signposted', closingCategory: 'advice', signpostedTo: caller.address })).status).toBe(409);
    connection = await Connection.connect({ address: testTemporalAddress() });
    // A client without the payload keys: what the Temporal server holds, as it holds it.
    handle = new Client({ connection, namespace: TEST_NAMESPACE }).workflow.getHandle(contactCaseWorkflowId(reference));
    await waitUntil(async () => ((await handle.fetchHistory()).events!.some((event) => event.upsertWorkflowSearchAttributesEventAttributes) ? true : undefined), {
      timeoutMs: 15_000,
      what: 'the workflow to act on the assessment',
    });
  });

  afterAll(async () => {
    await handle?.terminate('test finished').catch(() => undefined);
    await connection?.close();
    await stack?.stop();
    await database?.drop();
  });

  it('stores none of a case’s personal data in the event history, only ciphertext', async () => {
    const history = await handle.fetchHistory();
    const payloads = payloadsIn(history);
    expect(payloads.length).toBeGreaterThan(5);
    const plain = payloads.filter((payload) => Buffer.from(payload.metadata?.encoding ?? '', 'base64').toString() !== 'binary/encrypted');
    // The one exception is the SDK's own bookkeeping for a patch (which patch the code took), which
    // the SDK writes without the codec; everything from the case is sealed.
    expect(plain.filter((payload) => !/^\.events\.\d+\.markerRecordedEventAttributes\.details\.patch-data\./.test(payload.path!))).toEqual([]);
    for (const payload of plain) expect(JSON.parse(Buffer.from(payload.data!, 'base64').toString())).toEqual({ id: expect.stringMatching(/^[a-z0-9-]+$/), deprecated: false });
    // Each sealed payload is bound to this case's workflow (its inputs, updates, activities and results alike).
    const sealed = payloads.filter((payload) => !plain.includes(payload));
    const bindings = new Set(sealed.map((payload) => Buffer.from(payload.metadata?.['encryption-bound-to'] ?? '', 'base64').toString()));
    expect(bindings).toEqual(new Set([`${TEST_NAMESPACE}/${contactCaseWorkflowId(reference)}`]));
    const raw = `${JSON.stringify(history)}\n${text(payloads)}`;
    for (const fragment of personal) expect(raw).not.toContain(fragment);
  });

  it('gives the payloads back through the codec endpoint to a supervisor or an auditor, and to no one else', async () => {
    const payloads = payloadsIn(await handle.fetchHistory());
    const decode = (token?: string) =>
      fetch(`${stack.apiUrl}/codec/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-namespace': TEST_NAMESPACE, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ payloads: withoutPath(payloads) }),
      });
    for (const role of [Role.TeamLeader, Role.DutyInspector, Role.Auditor]) {
      const answer = await decode(await tokenFor(role, `${role}-1`));
      expect(answer.status).toBe(200);
      const decoded = text(((await answer.json()) as { payloads: JsonPayload[] }).payloads);
      for (const fragment of [caller.name, caller.phone, narrative, caller.address]) expect(decoded).toContain(fragment);
    }
    // Each decode is a read of the case whose payloads it opened.
    expect(await database.query("select reference, subject, role from case_access_log where action = 'payload-decode' order by id")).toEqual(
      [Role.TeamLeader, Role.DutyInspector, Role.Auditor].map((role) => ({ reference, subject: `${role}-1`, role })),
    );
    // No one encodes through the API: payloads are sealed by the system's own processes only.
    const encode = await fetch(`${stack.apiUrl}/codec/encode`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(Role.Auditor, 'aud-1')}` }, body: JSON.stringify({ payloads: [] }) });
    expect(encode.status).toBe(404);
    expect((await decode()).status).toBe(401);
    const refused = await decode(await tokenFor(Role.ContactHandler, 'pc-5150'));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toContain('payload:decode');

    // A payload altered in the server's store is refused, naming it, not decoded to garbage.
    const altered = { ...payloads[0], data: Buffer.from(Buffer.from(payloads[0].data!, 'base64').map((byte, index) => (index === 20 ? byte ^ 1 : byte))).toString('base64') };
    const tampered = await fetch(`${stack.apiUrl}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(Role.Auditor, 'aud-1')}` },
      body: JSON.stringify({ payloads: withoutPath([payloads[1], altered]) }),
    });
    expect(tampered.status).toBe(422);
    expect(await tampered.json()).toMatchObject({ fields: [{ field: 'payloads.1' }] });
  });

  it('lets only the Temporal UI’s origin call the codec endpoint from a browser', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.apiUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
      });
    const uiOrigin = config.codec.corsOrigins[0];
    const allowed = await preflight(uiOrigin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('puts no personal data in the workflow id, search attributes, summary or details', async () => {
    const description = await handle.describe();
    const decoding = new Client({ connection, namespace: TEST_NAMESPACE, dataConverter: encryptingDataConverter(config.codec.keys) });
    const decoded = await decoding.workflow.getHandle(handle.workflowId).describe();
    const summary = await decoded.staticSummary();
    const details = await decoded.staticDetails();
    const metadata = await decoding.workflow.getHandle(handle.workflowId).query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(summary).toBe(`${reference} · web-form · IR · ungraded`);
    expect(metadata.currentDetails).toContain('**Grade 2**');
    const visible = JSON.stringify({
      id: description.workflowId,
      searchAttributes: description.raw.workflowExecutionInfo?.searchAttributes,
      typed: description.typedSearchAttributes,
      summary,
      details,
      currentDetails: metadata.currentDetails,
    });
    for (const fragment of personal) expect(visible).not.toContain(fragment);
    // The SDK's own list of the patches a workflow took: patch names, nothing of the case.
    const patches = description.typedSearchAttributes.getAll().find((pair) => pair.key.name === 'TemporalChangeVersion');
    expect(patches?.value).toEqual(['commands-per-run-100', 'exact-store-writes']);
    const custom = description.typedSearchAttributes.getAll().map((pair) => pair.key.name).filter((name) => name !== 'BuildIds' && name !== 'TemporalChangeVersion');
    expect(custom.sort()).toEqual(
      ['CaseBreached', 'CaseChannel', 'CaseEscalationLevel', 'CaseGrade', 'CaseNextDueAt', 'CaseOpenAlert', 'CaseOpenClocks', 'CasePolicyVersion', 'CaseRiskMarker', 'CaseStage', 'CaseTeam', 'CaseVulnerable'].sort(),
    );
  });
});
