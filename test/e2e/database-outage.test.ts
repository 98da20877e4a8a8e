import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type ApiClient } from '../../src/cli/api-client.js';
import { findFreePort, waitUntil } from '../../src/modules/platform/process/child-process.js';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../../src/dev/embedded-database.js';
import { Role } from '../../src/domain/roles.js';
import { apiAs } from '../support/api-client.js';
import { tokenFor } from '../support/test-tokens.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';

const OUTAGE_MS = 20_000;
const CASES = 5;

/**
 * The case store's PostgreSQL stopped for 20 s under a running system: /health says 503 naming the
 * database, then 200; commands accepted before and during the outage are written once it is back
 * (the workflows' writes retry); an intake during it is refused with a 503, not lost half-way.
 */
describe("the case store's PostgreSQL stopped for 20 s", () => {
  const dir = mkdtempSync(join(tmpdir(), 'database-outage-'));
  let port: number;
  let database: EmbeddedDatabase;
  let stack: Stack;
  let handler: ApiClient;

  const startDatabase = async () => {
    database = await startEmbeddedDatabase({ dataDir: join(dir, 'cluster'), port, maxConnections: 100, durable: false });
  };
  const query = async <Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<Row>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  const health = async () => {
    const answer = await fetch(`${stack.apiUrl}/api/v1/health/details`, { headers: { authorization: `Bearer ${await tokenFor(Role.Administrator, 'admin-outage')}` } });
    return { status: answer.status, body: (await answer.json()) as { down: string[] } };
  };

  beforeAll(async () => {
    port = await findFreePort();
    await startDatabase();
    stack = await startStack(testConfig(database.url));
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-outage');
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.discard();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 naming the database, then 200, and writes every accepted command once it is back', async () => {
    const references: string[] = [];
    for (let index = 0; index < CASES; index += 1) {
      const created = await handler.post<{ reference: string }>('/contacts', { channel: 'non-emergency-call', caller: { name: `Caller ${index}` }, narrative: 'Noise from a party' });
      expect(created.status).toBe(201);
      references.push(created.body.reference);
    }
    await waitUntil(async () => ((await query('select 1 from contact_case')).length === CASES ? true : undefined), { timeoutMs: 15_000, what: 'the cases recorded' });

    await database.stop();
    const stoppedAt = Date.now();
    const down = await waitUntil(async () => {
      const answer = await health();
      return answer.status === 503 ? answer : undefined;
    }, { timeoutMs: 10_000, what: '/health to say the database is down' });
    expect(down.body.down).toEqual(['database']);

    // Commands to running cases are accepted by their workflows; their writes wait for the store.
    const notes = references.map((reference, index) => handler.post(`/contacts/${reference}/notes`, { text: `Called back during the outage (${index})` }, { 'Idempotency-Key': `outage-note-${index}` }));
    // A new contact cannot be given a reference now: refused in words, nothing half-written.
    const refused = await handler.post<{ code: string; message: string }>('/contacts', { channel: 'non-emergency-call', caller: { name: 'Late caller' }, narrative: 'Another party' });
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('dependency_unavailable');
    expect(refused.body.message).toContain('case store');

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, stoppedAt + OUTAGE_MS - Date.now())));
    await startDatabase();
    const backAt = Date.now();
    await waitUntil(async () => ((await health()).status === 200 ? true : undefined), { timeoutMs: 30_000, what: '/health back to 200' });
    const healthyAfterMs = Date.now() - backAt;

    const answers = await Promise.all(notes);
    expect(answers.map((answer) => answer.status)).toEqual(references.map(() => 201));
    const written = await waitUntil(async () => {
      const rows = await query<{ reference: string; notes: number }>('select reference, count(*)::int as notes from case_note group by reference order by reference');
      return rows.length === CASES ? rows : undefined;
    }, { timeoutMs: 60_000, what: 'every note written' });
    const allWrittenAfterMs = Date.now() - backAt;
    expect(written).toEqual([...references].sort().map((reference) => ({ reference, notes: 1 })));
    // Each case's timeline has no gap and no entry twice.
    const timelines = await query<{ reference: string; entries: number; last: number }>('select reference, count(*)::int as entries, max(sequence)::int as last from case_event group by reference');
    for (const timeline of timelines) expect(timeline.entries).toBe(timeline.last);
    // Sent again with the same key after the outage: the same note, not a second.
    expect((await handler.post(`/contacts/${references[0]}/notes`, { text: 'Called back during the outage (0)' }, { 'Idempotency-Key': 'outage-note-0' })).status).toBe(201);
    expect((await query('select 1 from case_note where reference = $1', [references[0]])).length).toBe(1);
    // The failed writes were retried, and said so in the workers' logs: the reference and the attempt,
    // never the note's words.
    const logged = stack.processes.flatMap((running) => running.output.join('').split('\n')).filter((line) => line.includes('a case store write failed'));
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.some((line) => references.some((reference) => line.includes(reference)) && /"attempt":\d+/.test(line))).toBe(true);
    expect(logged.some((line) => line.includes('Called back during the outage'))).toBe(false);
    process.stdout.write(`[database-outage] down ${OUTAGE_MS} ms: /health 200 again ${healthyAfterMs} ms after the restart; all ${CASES} notes written ${allWrittenAfterMs} ms after it\n`);
  });
});
