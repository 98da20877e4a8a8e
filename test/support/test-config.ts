import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { type AppConfig, type Environment, loadConfig } from '../../src/config/app-config.js';
import { TEST_NAMESPACE, testTemporalAddress } from './temporal-env.js';
import { testAuthEnvironment } from './test-tokens.js';

/** One payload key for the test run's processes (API, worker, test clients): made fresh per run, never stored. */
export const TEST_PAYLOAD_KEYS = `test-${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64')}`;

/** One caller identity key for the run, like the payload key. */
export const TEST_IDENTITY_KEYS = `id-${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64')}`;

/** A configuration for one suite: the shared Temporal server, a task queue of its own, its database. */
export function testConfig(databaseUrl: string, overrides: Environment = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: 'data/test',
    DATABASE_URL: databaseUrl,
    // The shared server, unless the suite brings its own (the time-skipping server, for one).
    TEMPORAL_ADDRESS: overrides.TEMPORAL_ADDRESS ?? testTemporalAddress(),
    TEMPORAL_NAMESPACE: TEST_NAMESPACE,
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    // Every suite has a database of its own but shares the Temporal server: a force code of its own
    // keeps its case references, and so its workflow ids, apart from every other suite's.
    FORCE_CODE: Array.from({ length: 4 }, () => String.fromCharCode(65 + randomInt(26))).join(''),
    TEMPORAL_WORKER_SHUTDOWN_GRACE_MS: '2000',
    // Each suite's worker would keep a drill schedule for its own task queue: only the drill's tests want one.
    DRILL_SCHEDULE: 'off',
    // The same for the store reconciliation's schedule: only its own test wants one.
    RECONCILE_SCHEDULE: 'off',
    // Each stack would take the same metrics ports: only the metrics test turns them on, on free ones.
    METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
    ...testAuthEnvironment,
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    CALLER_IDENTITY_KEYS: TEST_IDENTITY_KEYS,
    ...overrides,
  });
}
