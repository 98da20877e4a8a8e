import { randomUUID } from 'node:crypto';
import { type AppConfig, type Environment, loadConfig } from '../../src/config/app-config.js';
import { TEST_NAMESPACE, testTemporalAddress } from './temporal-env.js';
import { testAuthEnvironment } from './test-tokens.js';

/** A configuration for one suite: the shared Temporal server, a task queue of its own, its database. */
export function testConfig(databaseUrl: string, overrides: Environment = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: 'data/test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: testTemporalAddress(),
    TEMPORAL_NAMESPACE: TEST_NAMESPACE,
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    TEMPORAL_WORKER_SHUTDOWN_GRACE_MS: '2000',
    ...testAuthEnvironment,
    ...overrides,
  });
}
