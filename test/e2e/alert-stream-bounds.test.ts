import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AlertStreamClient, openAlertStream } from '../../src/cli/alert-stream-client.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { type AlertView } from '../../src/modules/alerts/alert-queries.service.js';
import { apiAs } from '../support/api-client.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { tokenFor } from '../support/test-tokens.js';

const PER_SUBJECT = 3;
const PER_PROCESS = 5;
const ROLES = [Role.ContactHandler, Role.TeamLeader, Role.DutyInspector];

/**
 * The alert stream within bounds: a limit of open streams per person and per API process (429 with
 * Retry-After past it), and a stream that ends when its token expires and resumes, with a fresh
 * token and its Last-Event-ID, missing nothing and repeating nothing.
 */
describe('alert streams within bounds', () => {
  let database: TestDatabase;
  let stack: Stack;
  let handler: ApiClient;
  const streams: Array<AlertStreamClient<AlertView>> = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startStack(testConfig(database.url, { ALERT_STREAMS_PER_SUBJECT: String(PER_SUBJECT), ALERT_STREAMS_PER_PROCESS: String(PER_PROCESS), ALERT_STREAM_HEARTBEAT_SECONDS: '1' }));
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-bounds');
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await stack?.stop();
    await database?.drop();
  });

  const open = async (subject: string, lastEventId?: string, ttlSeconds?: number) => {
    const stream = await openAlertStream<AlertView>(stack.apiUrl, await tokenFor(ROLES, subject, { ttlSeconds }), lastEventId);
    streams.push(stream);
    return stream;
  };
  const refusal = async (subject: string) => {
    const response = await fetch(`${stack.apiUrl}/api/v1/alerts/stream`, { headers: { authorization: `Bearer ${await tokenFor(ROLES, subject)}` } });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { message: string } };
  };
  const escalate = async () => {
    const created = await handler.post<{ reference: string }>('/contacts', { channel: 'non-emergency-call', caller: { name: 'Tamsin Reed' }, narrative: 'A window smashed at the community hall' });
    expect(created.status).toBe(201);
    expect((await handler.post(`/contacts/${created.body.reference}/escalations`, { reason: 'risk-increased' })).status).toBe(201);
    return created.body.reference;
  };

  it('refuses streams past the limit for one person, and past the limit for the process', async () => {
    const first = await Promise.all(Array.from({ length: PER_SUBJECT }, () => open('sgt-many')));
    expect(first.map((stream) => stream.status)).toEqual(Array(PER_SUBJECT).fill(200));
    // Asked for at once, past the limit: each refused, none opened.
    const more = await Promise.all(Array.from({ length: 20 }, () => refusal('sgt-many')));
    for (const answer of more) expect(answer).toMatchObject({ status: 429, retryAfter: '10', body: { message: expect.stringContaining(`At most ${PER_SUBJECT} alert streams`) } });

    // Another person may open theirs, up to the process's limit.
    const others = await Promise.all([open('sgt-other'), open('sgt-other')]);
    expect(others.map((stream) => stream.status)).toEqual([200, 200]);
    expect(await refusal('sgt-third')).toMatchObject({ status: 429, body: { message: expect.stringContaining(`its ${PER_PROCESS} alert streams open`) } });

    // Closing one makes room for one more.
    first[0].close();
    const again = await waitUntil(
      async () => {
        const stream = await open('sgt-many');
        if (stream.status === 200) return stream;
        return undefined;
      },
      { timeoutMs: 10_000, what: 'room for a stream once one closed' },
    );
    expect(again.status).toBe(200);
    // The open streams still carry every alert.
    const reference = await escalate();
    for (const stream of [again, ...others]) await stream.waitFor((event) => event.alert.reference === reference, 15_000);
    for (const stream of streams) stream.close();
  });

  it('ends a stream when its token expires; opened again with a fresh token and Last-Event-ID, it misses nothing', async () => {
    const ttlSeconds = 6;
    // (Once the server has seen the last test's streams close: it learns of each as its connection ends.)
    const first = await waitUntil(
      async () => {
        const stream = await open('sgt-expiry', undefined, ttlSeconds);
        return stream.status === 200 ? stream : undefined;
      },
      { timeoutMs: 10_000, what: 'room for a stream' },
    );
    const openedAt = Date.now();
    const before = await escalate();
    await first.waitFor((event) => event.alert.reference === before, 15_000);
    await first.ended;
    const endedAfterMs = Date.now() - openedAt;
    expect(first.tokenExpired).toBe(true);
    expect(endedAfterMs).toBeLessThan((ttlSeconds + 3) * 1_000);

    const whileAway = await escalate();
    await waitUntil(async () => ((await database.query('select 1 from case_alert where reference = $1', [whileAway])).length > 0 ? true : undefined), { timeoutMs: 15_000, what: 'the alert written while no stream was open' });
    const resumed = await open('sgt-expiry', first.events.at(-1)!.eventId);
    expect(resumed.status).toBe(200);
    await resumed.waitFor((event) => event.alert.reference === whileAway, 15_000);
    const received = [...first.events, ...resumed.events].filter((event) => [before, whileAway].includes(event.alert.reference)).map((event) => event.alert.id);
    const written = await database.query<{ id: string }>('select id from case_alert where reference = any($1) and role = any($2) order by id', [[before, whileAway], ROLES]);
    expect([...received].sort()).toEqual(written.map((row) => row.id).sort());
    expect(new Set(received).size).toBe(received.length);
  });
});
