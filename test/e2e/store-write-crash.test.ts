import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { type AppConfig } from '../../src/config/app-config.js';
import { findFreePort, waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { apiAs } from '../support/api-client.js';
import { shortClockPolicy, writePolicyFile } from '../support/policies.js';
import { type RunningProcess, startProcess, startStack, type Stack, stackReplicas } from '../support/stack.js';
import { reconcile } from '../support/store-tools.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const SECRET = 'webhook-secret-for-the-store-crash-test-0123456789';
const NOTES = 6;
/** The worker dies right after its second store write has committed: the case's intake, then its first note. */
const KILL_AFTER_WRITES = 2;
/**
 * With one worker, a new one starts this long after the kill (past the web form's 6 s clock); under
 * the cluster profile, the second worker starts at once.
 */
const REPLACEMENT_AFTER_MS = 9_000;

/**
 * A worker SIGKILLed right after a case store write has committed and before the write's activity
 * reports it (FAULT_KILL_WORKER_AFTER_STORE_WRITES makes the moment exact), with commands on the
 * case waiting and its clock falling due while the worker is gone. The write is taken again (by a
 * second worker started at the kill under the cluster profile, or by a new one after the clock falls
 * due), finds itself written, and the store ends
 * exactly as the workflow: `audit:reconcile` finds nothing, every alert is written once and reaches
 * the role the workflow chose.
 */
describe('a worker killed right after a store write, before its task completes', () => {
  const policy = shortClockPolicy('test-store-crash', { digital: 6, repeat: 3_600 });
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let receiver: Server;
  let doomed: RunningProcess;
  const others: RunningProcess[] = [];
  const deliveries: Array<{ role: string; alert: string }> = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await findFreePort();
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        deliveries.push({ role: String(request.url).split('/').pop()!, alert: String(request.headers['idempotency-key']) });
        response.writeHead(204).end();
      });
    }).listen(port, '127.0.0.1');
    const hook = (role: string) => `http://127.0.0.1:${port}/hooks/${role}`;
    config = testConfig(database.url, {
      POLICY_FILE: writePolicyFile(policy),
      ALERT_WEBHOOKS: JSON.stringify({ 'contact-handler': hook('contact-handler'), 'team-leader': hook('team-leader'), 'duty-inspector': hook('duty-inspector') }),
      ALERT_WEBHOOK_SECRET: SECRET,
    });
    stack = await startStack(config, { worker: false });
    const shared = { ...config, database: { ...config.database, migrateOnStart: false } };
    doomed = startProcess('worker.js', { ...shared, store: { ...shared.store, killWorkerAfterWrites: KILL_AFTER_WRITES } });
  });

  afterAll(async () => {
    await Promise.all([doomed, ...others].map((worker) => worker?.stop()));
    await stack?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    await database?.drop();
  });

  it('ends with the store equal to the workflow, every alert written once and delivered to its role', async () => {
    const handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-6201');
    const created = await handler.post<{ reference: string }>('/contacts', { channel: 'web-form', channelDetails: { title: 'Noise' }, caller: { name: 'Robin Caller' }, narrative: 'Loud music every night from next door' });
    expect(created.status).toBe(201);
    const reference = created.body.reference;
    const started = Date.now();
    // Commands at once: the first written is the worker's last; the rest wait for the case.
    const answers = Promise.all(Array.from({ length: NOTES }, (_, index) => handler.post(`/contacts/${reference}/notes`, { text: `Call back ${index}` }, { 'Idempotency-Key': `crash-note-${index}` })));
    const killedAt = await waitUntil(() => (doomed.child.signalCode === 'SIGKILL' ? Date.now() - started : undefined), { timeoutMs: 30_000, intervalMs: 20, what: 'the worker to kill itself after its second write' });
    // The second worker starts only now: were it polling from the start, it could take every write
    // and leave the doomed worker short of its second.
    const replacement = () => others.push(startProcess('worker.js', { ...config, database: { ...config.database, migrateOnStart: false } }));
    if (stackReplicas() > 1) replacement();
    else setTimeout(replacement, REPLACEMENT_AFTER_MS);
    // The killed worker's write is in the store, and the case's clock (6 s) falls due while it is gone.
    const [{ n: writtenAtKill }] = await database.query<{ n: number }>('select count(*)::int as n from case_change where reference = $1', [reference]);
    expect(writtenAtKill).toBeGreaterThanOrEqual(KILL_AFTER_WRITES);
    expect(writtenAtKill).toBeLessThan(NOTES + 1);

    expect((await answers).map((answer) => answer.status)).toEqual(Array(NOTES).fill(201));
    const answeredMs = Date.now() - started;
    // The clock's breach (its warning too, if a worker was there to raise it before the breach fell
    // due: a late worker raises only the breach) is written and delivered.
    await waitUntil(
      async () => {
        const rows = await database.query<{ breaches: number; undelivered: number }>(
          "select count(*) filter (where kind = 'breach')::int as breaches, count(*) filter (where delivery_state <> 'delivered')::int as undelivered from case_alert where reference = $1",
          [reference],
        );
        if (rows[0].breaches === 1 && rows[0].undelivered === 0) return true;
        const seen = await database.query('select id, role, delivery_state, delivery_attempts from case_alert where reference = $1', [reference]);
        const [store] = await database.query<{ version: number }>('select version from contact_case where reference = $1', [reference]);
        throw new Error(`store at version ${store?.version}; alerts ${JSON.stringify(seen)}; deliveries ${JSON.stringify(deliveries)}`);
      },
      { timeoutMs: 60_000, what: 'the breach (and any warning) delivered' },
    );
    const reconciled = await reconcile(config, [reference]);
    expect({ status: reconciled.status, stdout: reconciled.stdout }).toEqual({ status: 0, stdout: expect.stringContaining('1 case compared: 0 divergences') });

    expect(await database.query('select count(*)::int as n from case_note where reference = $1', [reference])).toEqual([{ n: NOTES }]);
    const alerts = await database.query<{ id: string; role: string; kind: string }>('select id, role, kind from case_alert where reference = $1 order by created_at, id', [reference]);
    const escalations = await database.query<{ id: string; role: string }>("select id, details->>'role' as role from case_event where reference = $1 and type = 'escalated' order by sequence", [reference]);
    expect(alerts.map(({ id, role }) => ({ id, role }))).toEqual(escalations);
    expect(alerts.map((alert) => alert.kind).filter((kind) => kind !== 'warning')).toEqual(['breach']);
    // Each delivered to the webhook of the role the workflow chose (a retried post repeats its key).
    expect([...new Set(deliveries.map((delivery) => `${delivery.role} ${delivery.alert}`))].sort()).toEqual(alerts.map((alert) => `${alert.role} ${alert.id}`).sort());
    process.stdout.write(`[store-write-crash] ${stackReplicas()} worker(s): killed after its ${KILL_AFTER_WRITES}nd write, ${killedAt} ms in; ${NOTES} notes answered in ${answeredMs} ms; ${alerts.length} alerts written and delivered once each; reconcile clean\n`);
  }, 180_000);
});
