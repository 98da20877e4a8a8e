import { describe, expect, it } from '@jest/globals';
import { ConfigError, configToEnvironment, configurationTableMarkdown, environmentSchema, loadConfig } from '../../src/config/app-config.js';

describe('configuration', () => {
  it('defaults to the embedded, single-machine set-up', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config.database.embedded).toBe(true);
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5433/postgres');
    expect(config.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'police-contact', taskQueue: 'contact-cases', maxCachedWorkflows: 100, workerHeapLimitMib: 192 });
    expect(config.api).toMatchObject({ host: '127.0.0.1', port: 3000 });
    expect(config.temporal.tls).toBeUndefined();
  });

  it('bounds the worker cache at no fewer cases than the worker runs at once', () => {
    expect(loadConfig({ NODE_ENV: 'test', TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS: '0' }).temporal.maxCachedWorkflows).toBe(0);
    expect(() => loadConfig({ NODE_ENV: 'test', TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS: '10', TEMPORAL_WORKER_WORKFLOW_TASK_SLOTS: '40' })).toThrow(/TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS/);
  });

  it('documents every variable, once, in the schema the README table is made from', () => {
    const names = Object.keys(environmentSchema.shape);
    const rows = configurationTableMarkdown().split('\n').slice(2);
    expect(rows.map((row) => /^\| `([A-Z0-9_]+)` \|/.exec(row)?.[1])).toEqual(names);
    expect(rows.filter((row) => row.endsWith('|  |'))).toEqual([]);
  });

  it('uses the PostgreSQL server named by DATABASE_URL', () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgresql://cases@db.internal:5432/cases' });
    expect(config.database).toMatchObject({ embedded: false, url: 'postgresql://cases@db.internal:5432/cases' });
  });

  it.each([
    [{ API_PORT: 'eighty' }, 'API_PORT'],
    [{ API_PORT: '70000' }, 'API_PORT'],
    [{ TEMPORAL_NAMESPACE: 'Police Contact' }, 'TEMPORAL_NAMESPACE'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
    [{ TEMPORAL_TLS_CERT_PATH: '/etc/temporal/client.pem' }, 'TEMPORAL_TLS_KEY_PATH'],
    [{ DATABASE_MIGRATE_ON_START: 'perhaps' }, 'DATABASE_MIGRATE_ON_START'],
  ])('refuses %j, naming %s', (environment, field) => {
    expect(() => loadConfig(environment)).toThrow(ConfigError);
    expect(() => loadConfig(environment)).toThrow(field);
  });

  it('requires caller identity keys in production, and refuses a short one', () => {
    const key = Buffer.alloc(32, 3).toString('base64');
    const production = { NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example/jwks', PAYLOAD_KEYS: `p1:${key}` };
    expect(() => loadConfig(production)).toThrow(/CALLER_IDENTITY_KEYS: production needs caller identity keys/);
    expect(() => loadConfig({ ...production, CALLER_IDENTITY_KEYS: `i1:${Buffer.alloc(16).toString('base64')}` })).toThrow(/CALLER_IDENTITY_KEYS: key i1 must be 32 bytes/);
    expect(loadConfig({ ...production, CALLER_IDENTITY_KEYS: `i2:${key},i1:${key}` }).callerIdentity.keys).toEqual({ kind: 'keys', keys: [{ id: 'i2', key }, { id: 'i1', key }] });
  });

  it('is production when NODE_ENV is unset: no development key, no keys made, nothing to sign in with', () => {
    expect(() => loadConfig({})).toThrow(/AUTH_JWKS_URL: production needs the identity provider's keys/);
    expect(() => loadConfig({})).toThrow(/PAYLOAD_KEYS: production needs/);
    expect(() => loadConfig({})).toThrow(/CALLER_IDENTITY_KEYS: production needs/);
    const key = Buffer.alloc(32, 5).toString('base64');
    const keyed = { AUTH_JWKS_URL: 'https://idp.example/jwks', PAYLOAD_KEYS: `p1:${key}`, CALLER_IDENTITY_KEYS: `i1:${key}` };
    const config = loadConfig(keyed);
    expect({ env: config.env, tokens: config.auth.keys.kind, payloads: config.codec.keys.kind, callers: config.callerIdentity.keys.kind }).toEqual({ env: 'production', tokens: 'jwks-url', payloads: 'keys', callers: 'keys' });
    // Development is only ever asked for by name.
    expect(loadConfig({ NODE_ENV: 'development' }).auth.keys.kind).toBe('development');
  });

  it('takes key sets and the identity provider over https only in production, loopback aside', () => {
    const key = Buffer.alloc(32, 5).toString('base64');
    const keyed = { PAYLOAD_KEYS: `p1:${key}`, CALLER_IDENTITY_KEYS: `i1:${key}` };
    expect(() => loadConfig({ ...keyed, AUTH_JWKS_URL: 'http://idp.example/jwks' })).toThrow(/AUTH_JWKS_URL: production takes https only/);
    const signIn = { OIDC_AUTHORIZATION_URL: 'http://idp.example/a', OIDC_TOKEN_URL: 'http://idp.example/t', OIDC_CLIENT_ID: 'c' };
    expect(() => loadConfig({ ...keyed, AUTH_JWKS_URL: 'https://idp.example/jwks', ...signIn })).toThrow(/OIDC_AUTHORIZATION_URL: production takes https only[\s\S]*OIDC_TOKEN_URL: production takes https only/);
    expect(loadConfig({ ...keyed, AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks' }).auth.keys).toEqual({ kind: 'jwks-url', url: 'http://127.0.0.1:8080/jwks' });
    expect(loadConfig({ NODE_ENV: 'test', AUTH_JWKS_URL: 'http://idp.test/jwks' }).auth.keys.kind).toBe('jwks-url');
  });

  it('reads mTLS settings for a Temporal cluster', () => {
    const config = loadConfig({ NODE_ENV: 'test', TEMPORAL_TLS_CERT_PATH: '/c.pem', TEMPORAL_TLS_KEY_PATH: '/k.pem', TEMPORAL_TLS_CA_PATH: '/ca.pem' });
    expect(config.temporal.tls).toEqual({ certPath: '/c.pem', keyPath: '/k.pem', caPath: '/ca.pem', serverName: undefined });
  });

  it('takes browser sign-in settings all together or not at all', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', OIDC_AUTHORIZATION_URL: 'https://idp.example/authorize' })).toThrow(/OIDC_AUTHORIZATION_URL, OIDC_TOKEN_URL and OIDC_CLIENT_ID: give all three/);
    expect(loadConfig({ NODE_ENV: 'test', OIDC_AUTHORIZATION_URL: 'https://idp.example/a', OIDC_TOKEN_URL: 'https://idp.example/t', OIDC_CLIENT_ID: 'c' }).browserSignIn).toEqual({
      authorizationUrl: 'https://idp.example/a',
      tokenUrl: 'https://idp.example/t',
      clientId: 'c',
      scope: 'openid',
    });
  });

  it('hands a configuration to a child process unchanged', () => {
    const config = loadConfig({ NODE_ENV: 'test', API_PORT: '4100', TEMPORAL_TASK_QUEUE: 'queue-a', DATABASE_MIGRATE_ON_START: 'false' });
    expect(loadConfig(configToEnvironment(config))).toEqual(config);
  });

  it('refuses a platform adapter without a signing key, or with a short one, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', CHANNEL_PLATFORM_URL: 'https://connector.force/platform' })).toThrow(/CHANNEL_PLATFORM_SECRET: required with CHANNEL_PLATFORM_URL/);
    expect(() => loadConfig({ NODE_ENV: 'test', CHANNEL_PLATFORM_SECRET: 'too-short' })).toThrow(/CHANNEL_PLATFORM_SECRET: at least 32 characters/);
    expect(() => loadConfig({ NODE_ENV: 'test', CHANNEL_PLATFORM_URL: 'ftp://connector.force', CHANNEL_PLATFORM_SECRET: 'c'.repeat(40) })).toThrow(/CHANNEL_PLATFORM_URL/);
    expect(loadConfig({ NODE_ENV: 'test', CHANNEL_PLATFORM_URL: 'https://connector.force/platform', CHANNEL_PLATFORM_SECRET: 'c'.repeat(40) }).channels).toEqual({ platformUrl: 'https://connector.force/platform', secret: 'c'.repeat(40) });
  });

  it('runs the continuity drill weekly by default, and refuses a schedule that is not a cron expression, naming the variable', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).drills).toEqual({ schedule: '0 4 * * 1', timeZone: 'Europe/London', cases: 3, clockSeconds: 30, workerDownSeconds: 5, toleranceSeconds: 5 });
    expect(loadConfig({ NODE_ENV: 'test', DRILL_SCHEDULE: 'off' }).drills.schedule).toBe('off');
    expect(() => loadConfig({ NODE_ENV: 'test', DRILL_SCHEDULE: 'weekly' })).toThrow(/DRILL_SCHEDULE: a cron expression of five fields/);
    expect(() => loadConfig({ NODE_ENV: 'test', DRILL_CLOCK_SECONDS: '5' })).toThrow(/DRILL_CLOCK_SECONDS/);
    expect(() => loadConfig({ NODE_ENV: 'test', DRILL_CASES: '21' })).toThrow(/DRILL_CASES/);
  });

  it('serves metrics on loopback ports of their own and traces nothing, unless told otherwise; refuses a collector that is not http(s)', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).telemetry).toEqual({ metricsHost: '127.0.0.1', apiMetricsPort: 9464, workerMetricsPort: 9465, serviceNamespace: 'police-contact' });
    expect(() => loadConfig({ NODE_ENV: 'test', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' })).toThrow(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/);
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
  });

  it('keeps the store settings, refuses the tests\' worker-killing fault in production, and hands it on elsewhere', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).store).toEqual({ dataErrorAttempts: 3, killWorkerAfterWrites: 0, reconcileSchedule: '30 3 * * *', reconcileTimeZone: 'Europe/London' });
    expect(loadConfig({ NODE_ENV: 'test' }).commands).toEqual({ inFlightPerCase: 8, waitSeconds: 30, storeWaitMs: 5_000 });
    expect(() => loadConfig({ NODE_ENV: 'production', FAULT_KILL_WORKER_AFTER_STORE_WRITES: '2' })).toThrow(/FAULT_KILL_WORKER_AFTER_STORE_WRITES: a fault for tests, refused in production/);
    expect(() => loadConfig({ NODE_ENV: 'test', RECONCILE_SCHEDULE: 'nightly' })).toThrow(/RECONCILE_SCHEDULE: a cron expression of five fields/);
    expect(() => loadConfig({ NODE_ENV: 'test', COMMAND_UPDATES_IN_FLIGHT: '11' })).toThrow(/COMMAND_UPDATES_IN_FLIGHT/);
    const config = loadConfig({ NODE_ENV: 'test', FAULT_KILL_WORKER_AFTER_STORE_WRITES: '2' });
    expect(loadConfig(configToEnvironment(config)).store.killWorkerAfterWrites).toBe(2);
  });

  it('hands on every variable: each one set away from its default survives the trip to a child process', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const everything: Record<string, string> = {
      NODE_ENV: 'production', LOG_LEVEL: 'debug', DATA_DIR: '/srv/pc', API_HOST: '0.0.0.0', API_PORT: '4100', API_SHUTDOWN_TIMEOUT_MS: '5000',
      DATABASE_URL: 'postgres://u:p@db:5432/pc', DATABASE_POOL_MAX: '20', DATABASE_MIGRATE_ON_START: 'false', DATABASE_DEBUG: 'true',
      EMBEDDED_DATABASE_PORT: '6543', EMBEDDED_DATABASE_MAX_CONNECTIONS: '50', TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'force-x',
      TEMPORAL_TASK_QUEUE: 'q', TEMPORAL_TLS_CERT_PATH: '/c.pem', TEMPORAL_TLS_KEY_PATH: '/k.pem', TEMPORAL_TLS_CA_PATH: '/ca.pem',
      TEMPORAL_TLS_SERVER_NAME: 'temporal.force', TEMPORAL_API_KEY: 'k', TEMPORAL_CLI: '/bin/true', TEMPORAL_UI_PORT: '9233',
      TEMPORAL_WORKER_SHUTDOWN_GRACE_MS: '2000', TEMPORAL_STICKY_QUEUE_TIMEOUT_MS: '4000', TEMPORAL_WORKER_WORKFLOW_TASK_SLOTS: '8',
      TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS: '16', TEMPORAL_WORKER_HEAP_LIMIT_MIB: '256', FORCE_CODE: 'ABC', DEFAULT_TEAM: 'north',
      POLICY_FILE: '/srv/policy.json', AUTH_ISSUER: 'idp', AUTH_AUDIENCE: 'pc', AUTH_JWKS_URL: 'https://idp.example/jwks', PAYLOAD_KEYS: `k1:${key}`,
      CODEC_CORS_ORIGINS: 'https://ui.force', AUTH_ALGORITHMS: 'ES256', AUTH_ROLES_CLAIM: 'groups', AUTH_CLOCK_TOLERANCE_SECONDS: '5',
      RATE_LIMIT_INTAKE_PER_MINUTE: '60', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '10', ALERT_STREAM_HEARTBEAT_SECONDS: '5', ALERT_STREAMS_PER_SUBJECT: '2', ALERT_STREAMS_PER_PROCESS: '300', CALLER_IDENTITY_KEYS: `i1:${key}`,
      ALERT_WEBHOOKS: JSON.stringify({ 'duty-inspector': 'https://pager.example/di' }), ALERT_WEBHOOK_SECRET: 'a'.repeat(40),
      OIDC_AUTHORIZATION_URL: 'https://idp.example/authorize', OIDC_TOKEN_URL: 'https://idp.example/token', OIDC_CLIENT_ID: 'mi-page', OIDC_SCOPE: 'openid profile',
      CHANNEL_PLATFORM_URL: 'https://connector.force/platform', CHANNEL_PLATFORM_SECRET: 'c'.repeat(40), SURVEY_BASE_URL: 'https://contact.force.example',
      DRILL_SCHEDULE: '30 2 * * 3', DRILL_TIME_ZONE: 'UTC', DRILL_CASES: '4', DRILL_CLOCK_SECONDS: '60', DRILL_WORKER_DOWN_SECONDS: '9', DRILL_TOLERANCE_SECONDS: '3',
      STORE_WRITE_DATA_ERROR_ATTEMPTS: '5', COMMAND_UPDATES_IN_FLIGHT: '4', COMMAND_WAIT_SECONDS: '12', COMMAND_STORE_WAIT_MS: '750', RECONCILE_SCHEDULE: '15 1 * * *', RECONCILE_TIME_ZONE: 'UTC',
      METRICS_HOST: '10.0.0.5', METRICS_PORT: '9100', WORKER_METRICS_PORT: '0', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces', OTEL_SERVICE_NAMESPACE: 'force-x',
    };
    // Every variable of the schema but AUTH_JWKS (the other source of token keys, tried next) and
    // the tests' fault (refused in production, handed on in the test below) is set.
    expect(Object.keys(environmentSchema.shape).filter((name) => !(name in everything))).toEqual(['AUTH_JWKS', 'FAULT_KILL_WORKER_AFTER_STORE_WRITES']);
    const config = loadConfig(everything);
    const handedOn = configToEnvironment(config);
    expect(loadConfig(handedOn)).toEqual(config);
    for (const [name, value] of Object.entries(everything)) expect([name, handedOn[name]]).toEqual([name, value]);
    const inline = loadConfig({ ...everything, AUTH_JWKS_URL: undefined, AUTH_JWKS: JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc' }] }) });
    expect(loadConfig(configToEnvironment(inline))).toEqual(inline);
  });
});
