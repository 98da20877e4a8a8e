import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig } from '../../src/config/app-config.js';
import { Channel } from '../../src/domain/channels.js';
import { screenContact } from '../../src/domain/risk-screening.js';
import { findFreePort, waitUntil } from '../../src/modules/platform/process/child-process.js';
import { ensureNamespace, registerSearchAttributes } from '../../src/modules/platform/temporal/search-attribute-registration.js';
import { startTemporalServer, type TemporalServer } from '../../src/dev/temporal-server.js';
import { clusterProfile, temporalServerDir, testDatabaseServerVariable } from '../support/global-setup.js';
import { resolveTemporalCli } from '../../src/dev/temporal-cli.js';
import { startTemporalDevServer, type TemporalDevServer } from '../../src/dev/temporal-dev-server.js';
import { caseStartOptions } from '../../src/modules/contact-cases/contact-cases.service.js';
import { migrateDatabase } from '../../src/modules/platform/database/migrate.js';
import { encryptingDataConverter } from '../../src/modules/platform/temporal/payload-codec.js';
import { type ContactIntake } from '../../src/domain/case-records.js';
import { contactCaseWorkflowId, contactCaseWorkflowType } from '../../src/workflows/contact-case.messages.js';
import { shortClockPolicy } from '../support/policies.js';
import { type RunningProcess, startProcess } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const CASES = 12;
const CLOCK_SECONDS = 15;
const NAMESPACE = 'police-contact';

/**
 * Clocks must survive any restart: on a real dev server (with its SQLite file) and a real worker
 * process, clocks fall due while the worker, or the server itself, is down. When it is back, every
 * overdue clock fires within seconds, and once only.
 */
describe('overdue clocks after a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clock-restarts-'));
  const dbFile = join(dataDir, 'temporal.db');
  const policy = shortClockPolicy('test-short-clocks', { digital: CLOCK_SECONDS, repeat: 3_600 });
  let port: number;
  let server: TemporalDevServer;
  let database: TestDatabase;
  let config: AppConfig;
  let worker: RunningProcess | undefined;
  let connection: Connection;
  let client: Client;
  let sequence = 0;
  const started: string[] = [];

  let real: TemporalServer | undefined;
  /**
   * The dev server on its SQLite file; under the cluster profile, the real Temporal server on
   * PostgreSQL (its own databases), its namespace set up as temporal:setup does.
   */
  const startServer = async () => {
    if (!clusterProfile()) {
      server = await startTemporalDevServer({ cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI, process.env), port, headless: true, namespace: NAMESPACE, dbFile });
      return;
    }
    if (real) {
      await real.start();
    } else {
      const databaseUrl = process.env.TEST_DATABASE_URL ?? process.env[testDatabaseServerVariable]!;
      real = await startTemporalServer({ binDir: temporalServerDir(), databaseUrl, databasePrefix: `temporal_restarts_${process.pid}`, workDir: join(dataDir, 'temporal'), port });
      const setup = await Connection.connect({ address: real.address });
      await ensureNamespace(setup, NAMESPACE, 1);
      await registerSearchAttributes(setup, NAMESPACE);
      await setup.close();
    }
    const running = real;
    server = { address: running.address, process: running.process, stop: () => running.stop() };
  };

  beforeAll(async () => {
    port = await findFreePort();
    await startServer();
    database = await createTestDatabase();
    config = testConfig(database.url, { TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: NAMESPACE, DATABASE_MIGRATE_ON_START: 'false' });
    await migrateDatabase(config.database);
    connection = await Connection.connect({ address: server.address });
    client = new Client({ connection, namespace: NAMESPACE, dataConverter: encryptingDataConverter(config.codec.keys) });
    worker = startProcess('worker.js', config);
  });

  afterAll(async () => {
    await Promise.all(started.map((id) => client?.workflow.getHandle(id).terminate('test finished').catch(() => undefined)));
    await worker?.stop();
    await connection?.close();
    await server?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Web submissions, each with a clock of CLOCK_SECONDS; resolves once the worker has recorded them all. */
  async function openCases(): Promise<{ references: string[]; dueBy: number }> {
    const references: string[] = [];
    for (let index = 0; index < CASES; index += 1) {
      sequence += 1;
      const narrative = 'Bike stolen from outside the library';
      const intake: ContactIntake = {
        reference: `${config.force.code}-20261123-${String(sequence).padStart(6, '0')}`,
        channel: Channel.WebForm,
        receivedAt: new Date().toISOString(),
        policy,
        team: 'contact-centre',
        area: 'urban',
        actor: { subject: 'pc-1', role: 'contact-handler' },
        flags: [],
        screening: screenContact({ channel: Channel.WebForm, flags: [], narrative }, policy),
        details: { caller: { anonymous: true }, narrative },
      };
      await client.workflow.start(contactCaseWorkflowType, caseStartOptions(intake, config.temporal.taskQueue));
      started.push(contactCaseWorkflowId(intake.reference));
      references.push(intake.reference);
    }
    const dueBy = Date.now() + CLOCK_SECONDS * 1_000;
    await waitUntil(async () => ((await countWhere('contact_case', references)) === CASES ? true : undefined), { timeoutMs: 30_000, what: 'the intakes to be recorded' });
    return { references, dueBy };
  }

  const countWhere = async (table: string, references: string[], condition = 'true') => {
    const [{ n }] = await database.query<{ n: number }>(`select count(*)::int as n from ${table} where reference = any($1) and ${condition}`, [references]);
    return n;
  };

  const breaches = (references: string[]) =>
    database.query<{ reference: string; events: number; notifications: number; first_notified: Date | string }>(
      `select e.reference, count(distinct e.id)::int as events, count(distinct n.id)::int as notifications, min(n.created_at) as first_notified
       from case_event e left join case_alert n on n.reference = e.reference and n.reason = 'clock-breach'
       where e.reference = any($1) and e.type = 'clock-breached' group by e.reference`,
      [references],
    );

  /** After the outage: every case breached once, and notified once, within `withinMs` of `backAt`. */
  async function expectEachFiredOnce(references: string[], backAt: number): Promise<number> {
    await waitUntil(async () => ((await breaches(references)).length === CASES ? true : undefined), { timeoutMs: 60_000, what: 'every overdue clock to fire' });
    // Give any duplicate the time to appear before counting.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const rows = await breaches(references);
    expect(rows).toHaveLength(CASES);
    for (const row of rows) expect([row.reference, row.events, row.notifications]).toEqual([row.reference, 1, 1]);
    const lateness = rows.map((row) => new Date(row.first_notified).getTime() - backAt).sort((a, b) => a - b);
    process.stdout.write(`[clock-restarts] notified ${lateness[0]}..${lateness[lateness.length - 1]} ms after the restart\n`);
    return lateness[lateness.length - 1];
  }

  it('fires every clock that fell due while the worker was dead, once, within seconds of its return', async () => {
    const { references, dueBy } = await openCases();
    worker!.child.kill('SIGKILL');
    await new Promise((resolve) => worker!.child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueBy - Date.now()) + 3_000));
    expect(await countWhere('case_event', references, "type = 'clock-breached'")).toBe(0);

    const backAt = Date.now();
    worker = startProcess('worker.js', config);
    const slowest = await expectEachFiredOnce(references, backAt);
    expect(slowest).toBeLessThan(10_000);
  });

  it('fires every clock that fell due while the Temporal server was down, once, after it restarts on its data', async () => {
    const { references, dueBy } = await openCases();
    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueBy - Date.now()) + 3_000));
    expect(await countWhere('case_event', references, "type = 'clock-breached'")).toBe(0);

    const backAt = Date.now();
    await startServer();
    const slowest = await expectEachFiredOnce(references, backAt);
    // From the server's restart: its own start-up (about 4 s here), then the worker's reconnection,
    // whose poll retries back off while the server was away (seen adding up to 11 s).
    expect(slowest).toBeLessThan(30_000);
    expect(worker!.child.exitCode).toBeNull();
  });
});
