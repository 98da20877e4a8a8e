import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { Channel } from '../../src/domain/channels.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { apiAs } from '../support/api-client.js';
import { assessment } from '../support/assessments.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values: OtlpValue[] };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: Array<{ key: string; value: OtlpValue }>;
  events?: Array<{ name: string; attributes?: Array<{ key: string; value: OtlpValue }> }>;
  status?: { code?: number; message?: string };
}
interface ReceivedSpan extends OtlpSpan {
  service: string;
}

const CALLER = { name: 'Rowan Thistlewood', phone: '+44 7700 900862', email: 'rowan.thistlewood@example.org' };
const NARRATIVE = 'A neighbour has been shouting threats through the letterbox every evening';
const NOTE = 'Spoke to the caller again about the letterbox threats';

const valueText = (value: OtlpValue): string =>
  value.stringValue ?? (value.arrayValue ? value.arrayValue.values.map(valueText).join(' ') : String(value.intValue ?? value.boolValue ?? value.doubleValue ?? ''));
const attribute = (span: OtlpSpan, key: string): string | undefined => {
  const found = span.attributes?.find((entry) => entry.key === key);
  return found ? valueText(found.value) : undefined;
};

/**
 * Traces on a real stack, sent over OTLP/HTTP to a local receiver standing in for a collector: an
 * intake and a command each make one trace, from the HTTP request through the Temporal client, the
 * case's workflow and its store activity down to the SQL, with nothing personal in any attribute.
 */
describe('tracing: one trace from the request to the SQL', () => {
  let database: TestDatabase;
  let stack: Stack;
  let collector: Server;
  let handler: ApiClient;
  const received: ReceivedSpan[] = [];

  beforeAll(async () => {
    collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        let body = Buffer.concat(chunks);
        if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        if (request.url !== '/v1/traces' || !String(request.headers['content-type']).includes('json')) {
          response.writeHead(415).end();
          return;
        }
        const payload = JSON.parse(body.toString('utf8')) as {
          resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: OtlpValue }> }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
        };
        for (const resourceSpans of payload.resourceSpans) {
          const service = valueText(resourceSpans.resource.attributes.find((entry) => entry.key === 'service.name')?.value ?? {});
          for (const scope of resourceSpans.scopeSpans) for (const span of scope.spans) received.push({ ...span, service });
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    database = await createTestDatabase();
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
    stack = await startStack(testConfig(database.url, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint, LOG_LEVEL: 'info' }), { replicas: 1 });
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-8801');
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
    await new Promise((resolve) => collector?.close(resolve));
  });

  /** The trace whose root is the API's span for `route`, once its store write's SQL has arrived. */
  async function traceOf(method: string, route: string, activity: string): Promise<ReceivedSpan[]> {
    return waitUntil(
      () => {
        const root = received.find((span) => span.service === 'api' && span.name === `${method} ${route}` && !span.parentSpanId);
        if (!root) return undefined;
        const spans = received.filter((span) => span.traceId === root.traceId);
        const run = spans.find((span) => span.name === `RunActivity:${activity}`);
        const sql = run && spans.some((span) => span.parentSpanId === run.spanId && attribute(span, 'db.query.text') !== undefined);
        return sql ? spans : undefined;
      },
      { timeoutMs: 30_000, what: `the trace of ${method} ${route} down to the SQL of ${activity}` },
    );
  }

  /** Each span's chain of parents, up to the root: every parent is in the same trace. */
  function chain(spans: ReceivedSpan[], span: ReceivedSpan): string[] {
    const names = [span.name];
    for (let at = span; at.parentSpanId; ) {
      const parent = spans.find((candidate) => candidate.spanId === at.parentSpanId);
      if (!parent) throw new Error(`${at.name}'s parent ${at.parentSpanId} is not in the trace`);
      names.push(parent.name);
      at = parent;
    }
    return names.reverse();
  }

  let reference: string;

  it('traces an intake from the request through the Temporal client and its activity to the SQL', async () => {
    const created = await handler.post<{ reference: string }>('/contacts', { channel: Channel.WebForm, channelDetails: { title: 'Report a concern' }, caller: CALLER, narrative: NARRATIVE });
    expect(created.status).toBe(201);
    reference = created.body.reference;
    const spans = await traceOf('POST', '/api/v1/contacts', 'recordCaseIntake');
    const run = spans.find((span) => span.name === 'RunActivity:recordCaseIntake')!;
    const sql = spans.find((span) => span.parentSpanId === run.spanId && attribute(span, 'db.query.text') !== undefined)!;
    const start = spans.find((span) => span.name === 'StartWorkflow:contactCaseWorkflow')!;
    expect(chain(spans, start)).toEqual(['POST /api/v1/contacts', 'StartWorkflow:contactCaseWorkflow']);
    // The activity's span is the workflow's child, under its run: that span ends when the case
    // closes (the next test), so for now the chain goes from the SQL up to the workflow's request for it.
    const scheduled = spans.find((span) => span.spanId === run.parentSpanId)!;
    expect(scheduled).toMatchObject({ name: 'StartActivity:recordCaseIntake', service: 'worker' });
    expect(sql.service).toBe('worker');
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['api', 'worker']));
    expect(attribute(spans.find((span) => span.name === 'POST /api/v1/contacts')!, 'http.route')).toBe('/api/v1/contacts');
    expect(attribute(sql, 'db.query.text')).toMatch(/\$1/);
    // The API's own reads (the queue position, the caller's history) are in it too.
    expect(spans.filter((span) => span.service === 'api' && attribute(span, 'db.system.name') === 'postgresql').length).toBeGreaterThan(0);
  });

  it('traces a command through its update to the SQL of its store write', async () => {
    const noted = await handler.post(`/contacts/${reference}/notes`, { text: NOTE });
    expect(noted.status).toBe(201);
    const spans = await traceOf('POST', '/api/v1/contacts/:reference/notes', 'writeCaseChange');
    const run = spans.find((span) => span.name === 'RunActivity:writeCaseChange')!;
    const sql = spans.find((span) => span.parentSpanId === run.spanId && attribute(span, 'db.query.text') !== undefined)!;
    const names = chain(spans, sql);
    expect(names[0]).toBe('POST /api/v1/contacts/:reference/notes');
    expect(names).toEqual(expect.arrayContaining(['StartWorkflowUpdate:addNote', 'HandleUpdate:addNote', 'StartActivity:writeCaseChange', 'RunActivity:writeCaseChange']));
  });

  it('joins the workflow run into the intake\'s trace when the case closes: request, workflow, activity, SQL', async () => {
    const path = `/contacts/${reference}`;
    for (const [step, body] of [
      ['assessments', assessment({}, 4)],
      ['incident', { openingCategory: 'advice', qualifiers: [] }],
      ['resolution', { outcome: 'signposted', closingCategory: 'advice', signpostedTo: 'Citizens Advice' }],
    ] as const) {
      const answer = await handler.post(`${path}/${step}`, body);
      expect({ step, status: answer.status }).toEqual({ step, status: 201 });
    }
    const spans = await waitUntil(
      () => {
        const root = received.find((span) => span.name === 'POST /api/v1/contacts' && !span.parentSpanId);
        const all = received.filter((span) => span.traceId === root?.traceId);
        return all.some((span) => span.name === 'RunWorkflow:contactCaseWorkflow') ? all : undefined;
      },
      { timeoutMs: 30_000, what: 'the workflow run span of the closed case' },
    );
    const run = spans.find((span) => span.name === 'RunActivity:recordCaseIntake')!;
    const sql = spans.find((span) => span.parentSpanId === run.spanId && attribute(span, 'db.query.text') !== undefined)!;
    expect(chain(spans, sql)).toEqual(['POST /api/v1/contacts', 'StartWorkflow:contactCaseWorkflow', 'RunWorkflow:contactCaseWorkflow', 'StartActivity:recordCaseIntake', 'RunActivity:recordCaseIntake', sql.name]);
    expect(attribute(spans.find((span) => span.name === 'StartWorkflow:contactCaseWorkflow')!, 'temporalWorkflowId')).toContain(reference);
    expect(attribute(sql, 'db.system.name')).toBe('postgresql');
  });

  it('puts nothing personal in any attribute, and the trace id in the log lines written inside it', () => {
    // The caller's details, and the words of the contact and the note no SQL or span name uses.
    const words = [CALLER.name, ...CALLER.name.split(' '), CALLER.phone, CALLER.phone.replace(/\s/g, ''), CALLER.email, NARRATIVE, NOTE, 'neighbour', 'shouting', 'threats', 'letterbox', 'evening', 'Spoke'];
    const texts = received.flatMap((span) => [
      span.name,
      span.status?.message ?? '',
      ...(span.attributes ?? []).map((entry) => `${entry.key}=${valueText(entry.value)}`),
      ...(span.events ?? []).flatMap((event) => (event.attributes ?? []).map((entry) => `${entry.key}=${valueText(entry.value)}`)),
    ]);
    expect(received.length).toBeGreaterThan(20);
    for (const text of texts) for (const word of words) expect({ text, word, found: text.toLowerCase().includes(word.toLowerCase()) }).toEqual({ text, word, found: false });
    // No client address, user agent or query string leaves the process.
    expect(received.flatMap((span) => (span.attributes ?? []).map((entry) => entry.key)).filter((key) => /client\.address|user_agent|url\.query|http\.target|peer\.address/.test(key))).toEqual([]);

    const traceIds = new Set(received.map((span) => span.traceId));
    const logged = stack.processes
      .flatMap((process) => process.output.join('').split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { traceId?: string; msg?: string });
    const request = logged.find((line) => line.msg === 'request' && line.traceId !== undefined);
    expect(request?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIds.has(request!.traceId!)).toBe(true);
  });
});
