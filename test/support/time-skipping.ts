import { execFileSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { AppLogger } from '../../src/modules/platform/logging/app-logger.js';
import { registerSearchAttributes } from '../../src/modules/platform/temporal/search-attribute-registration.js';
import { encryptingDataConverter } from '../../src/modules/platform/temporal/payload-codec.js';
import { TEST_PAYLOAD_KEYS } from './test-config.js';
import { installTemporalRuntime } from '../../src/modules/platform/temporal/temporal-runtime.js';

/**
 * Temporal's time-skipping test server (Java SDK, from Maven Central via scripts/ensure-test-server.sh),
 * started as an existing executable: the SDK must never download one. Time moves only when the test
 * says so (`sleep`) or waits on a result, so clocks of days run in seconds against the real workflow code.
 */
export async function startTimeSkippingServer(payloadKeys = TEST_PAYLOAD_KEYS): Promise<TestWorkflowEnvironment> {
  installTemporalRuntime(new AppLogger({ level: 'warn', service: 'test-time-skipping' }), 'WARN');
  const launcher = execFileSync('sh', ['scripts/ensure-test-server.sh'], { encoding: 'utf8' }).trim();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: launcher } },
    // The same encrypting converter as every client and worker of the system.
    client: { dataConverter: encryptingDataConverter({ kind: 'keys', keys: parseKeys(payloadKeys) }) },
  });
  // The test server checks search attributes as a real one does: register the case's.
  await registerSearchAttributes(env.connection, 'default');
  return env;
}

const parseKeys = (keys: string) => keys.split(',').map((entry) => ({ id: entry.slice(0, entry.indexOf(':')), key: entry.slice(entry.indexOf(':') + 1) }));
