import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Channel } from '../../src/domain/channels.js';
import { findFreePort, waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { type AlertView } from '../../src/modules/alerts/alert-queries.service.js';
import { apiAs } from '../support/api-client.js';
import { shortClockPolicy, writePolicyFile } from '../support/policies.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const SECRET = 'webhook-secret-for-the-test-receiver-0123456789';
const DOWN_FOR_MS = 30_000;

interface Received {
  key: string;
  signature: string;
  body: string;
}

/** What a receiver does with a delivery: checks the signature over the timestamp and the body. */
function verifies(signature: string, body: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
  if (!match) return false;
  const expected = createHmac('sha256', SECRET).update(`${match[1]}.${body}`).digest();
  return Math.abs(Date.now() / 1_000 - Number(match[1])) < 300 && timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}

/**
 * Alerts posted to webhooks, against a local receiver (the one true external boundary here) that
 * is down for the first 30 s: every alert arrives once it is back, each once, signed.
 */
describe('alert webhooks', () => {
  const policy = shortClockPolicy('test-webhooks', { digital: 3, repeat: 3_600 });
  let database: TestDatabase;
  let stack: Stack;
  let receiver: Server | undefined;
  const received: Received[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}/hooks/alerts`;
    const config = testConfig(database.url, {
      POLICY_FILE: writePolicyFile(policy),
      ALERT_WEBHOOKS: JSON.stringify({ 'contact-handler': url, 'team-leader': url }),
      ALERT_WEBHOOK_SECRET: SECRET,
    });
    stack = await startStack(config);
    // The receiver comes up only after 30 s: until then every delivery is refused at the door.
    setTimeout(() => {
      receiver = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          received.push({ key: String(request.headers['idempotency-key']), signature: String(request.headers['x-alert-signature']), body: Buffer.concat(chunks).toString('utf8') });
          response.writeHead(204).end();
        });
      }).listen(port, '127.0.0.1');
    }, DOWN_FOR_MS).unref();
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
    await database?.drop();
  });

  it('delivers every alert once the endpoint is back, each once, with a signature that verifies', async () => {
    const handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-5');
    const references: string[] = [];
    for (let index = 0; index < 2; index += 1) {
      const created = await handler.post<{ reference: string }>('/contacts', { channel: Channel.WebForm, channelDetails: { title: 'Report abuse' }, caller: { name: 'P. Caller' }, narrative: 'He hit me again' });
      expect(created.status).toBe(201);
      references.push(created.body.reference);
    }
    // A warning (to the handler) and a breach (to the team leader) for each case.
    const alertIds = async () =>
      (await database.query<{ id: string }>('select id from case_alert where reference = any($1) order by id', [references])).map((row) => row.id);
    await waitUntil(async () => ((await alertIds()).length === 4 ? true : undefined), { timeoutMs: 20_000, what: 'four alerts' });
    // While the endpoint is down, deliveries fail and are retried; the cases go on regardless.
    await sleep(5_000);
    const waiting = await database.query<{ delivery_state: string; delivery_attempts: number }>('select delivery_state, delivery_attempts from case_alert where reference = any($1)', [references]);
    expect(waiting.every((row) => row.delivery_state === 'retrying' && row.delivery_attempts >= 1)).toBe(true);
    expect(received).toEqual([]);

    const expected = await alertIds();
    await waitUntil(() => Promise.resolve(new Set(received.map((delivery) => delivery.key)).size === expected.length ? true : undefined), {
      timeoutMs: DOWN_FOR_MS + 40_000,
      what: 'every alert delivered after the endpoint came back',
    });
    await sleep(2_000);
    expect(received.map((delivery) => delivery.key).sort()).toEqual(expected);
    for (const delivery of received) {
      expect(verifies(delivery.signature, delivery.body)).toBe(true);
      expect((JSON.parse(delivery.body) as { alert: AlertView }).alert.id).toBe(delivery.key);
      expect(delivery.body).not.toContain('P. Caller');
    }
    // A body changed in transit no longer verifies.
    expect(verifies(received[0].signature, received[0].body.replace('"level":', '"level": '))).toBe(false);

    const teamLeader = await apiAs(stack.apiUrl, Role.TeamLeader, 'sgt-5');
    const inbox = await teamLeader.get<{ items: AlertView[] }>(`/alerts?reference=${references[0]}`);
    expect(inbox.body.items).toEqual([expect.objectContaining({ kind: 'breach', delivery: expect.objectContaining({ state: 'delivered', attempts: expect.any(Number) }) })]);
    expect(inbox.body.items[0].delivery.attempts).toBeGreaterThan(1);
  });
});
