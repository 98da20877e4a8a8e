import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * Every setting the system reads, validated once at start. Nothing else reads process.env.
 * Defaults are the embedded, single-machine set-up; production overrides them.
 */
const port = z.coerce.number().int().min(0).max(65_535);
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * A variable that goes into the configuration as it is, and where (`api.port`): loading puts it
 * there and handing the configuration to a child process reads it back from there, both from this
 * one mark; the configuration's type is inferred from the marks (`CopiedSettings`).
 */
declare const INTO: unique symbol;
type Into<P extends string> = { readonly [INTO]: P };
function into<const P extends string, S extends z.ZodType>(path: P, schema: S): S & Into<P> {
  return schema.meta({ ...schema.meta(), into: path }) as S & Into<P>;
}

/**
 * Asymmetric signatures only: never `none`, and never HMAC, which would let anyone holding the
 * public key sign tokens.
 */
export const SIGNING_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** The policy shipped with the project: the national defaults in DOMAIN.md, for a force to copy and change. */
export const defaultPolicyFile = fileURLToPath(new URL('../../policy/force-default.json', import.meta.url));

/** Every variable once: its type, its default, and what it means (docs/configuration.md's table is made from this). */
export const environmentSchema = z.object({
  NODE_ENV: into('env', z
    .enum(['development', 'test', 'production'])
    .default('production')
    .meta({
      description:
        '`production` (also when unset) requires the identity provider\'s keys (over https), payload keys and caller identity keys, and has no development sign-in; `development` (which the dev command, `npm run token`, the demo and the benchmarks set for themselves) and `test` let the data directory make its own keys',
    })),
  LOG_LEVEL: into('logLevel', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').meta({ description: '`fatal` … `trace`, or `silent`; logs are JSON lines with ids and codes, never a caller\'s personal data' })),
  DATA_DIR: z.string().default('data').meta({ description: 'where the dev command keeps Temporal\'s and the embedded PostgreSQL\'s files, and development keys' }),

  API_HOST: into('api.host', z.string().default('127.0.0.1').meta({ description: 'where the API listens' })),
  API_PORT: into('api.port', port.default(3000).meta({ description: 'the API\'s port' })),
  API_SHUTDOWN_TIMEOUT_MS: into('api.shutdownTimeoutMs', z.coerce.number().int().positive().default(10_000).meta({ description: 'how long the API may take to finish its requests when told to stop' })),

  DATABASE_URL: optionalText.meta({ description: 'a PostgreSQL server (15 or later), `postgres://user:password@host:5432/db`', shownDefault: 'unset: the embedded PostgreSQL' }),
  DATABASE_POOL_MAX: into('database.poolMax', z.coerce.number().int().positive().default(10).meta({ description: 'database connections per process' })),
  DATABASE_MIGRATE_ON_START: into('database.migrateOnStart', flag.default(true).meta({ description: 'run migrations when a process starts (under a PostgreSQL advisory lock, so replicas take turns)' })),
  DATABASE_DEBUG: into('database.debug', flag.default(false).meta({ description: 'log every SQL statement the ORM runs (development only: statements may carry personal data)' })),
  EMBEDDED_DATABASE_PORT: into('database.embeddedPort', port.default(5433).meta({ description: 'the embedded PostgreSQL\'s port (loopback only)' })),
  EMBEDDED_DATABASE_MAX_CONNECTIONS: into('database.embeddedMaxConnections', z.coerce.number().int().positive().default(100).meta({ description: 'the embedded PostgreSQL\'s `max_connections`' })),

  TEMPORAL_ADDRESS: into('temporal.address', z.string().default('127.0.0.1:7233').meta({ description: 'Temporal\'s front end' })),
  TEMPORAL_NAMESPACE: into('temporal.namespace', z.string().regex(/^[a-z0-9][a-z0-9-.]*$/, 'lower-case letters, digits, dots and dashes').default('police-contact').meta({ description: 'the Temporal namespace' })),
  TEMPORAL_TASK_QUEUE: into('temporal.taskQueue', z.string().min(1).default('contact-cases').meta({ description: 'the workers\' task queue' })),
  TEMPORAL_TLS_CERT_PATH: optionalText.meta({ description: 'client certificate for mTLS to a Temporal cluster (with the key)' }),
  TEMPORAL_TLS_KEY_PATH: optionalText.meta({ description: 'client key for mTLS (with the certificate)' }),
  TEMPORAL_TLS_CA_PATH: optionalText.meta({ description: 'the cluster\'s CA certificate, when not a public one' }),
  TEMPORAL_TLS_SERVER_NAME: optionalText.meta({ description: 'the server name to verify, when it differs from the address' }),
  TEMPORAL_API_KEY: into('temporal.apiKey', optionalText.meta({ description: 'an API key (Temporal Cloud)' })),
  TEMPORAL_CLI: into('temporal.cliPath', optionalText.meta({ description: 'a Temporal CLI to use instead of finding or building one' })),
  TEMPORAL_UI_PORT: into('temporal.uiPort', port.default(8233).meta({ description: 'the dev server\'s Web UI' })),
  TEMPORAL_WORKER_SHUTDOWN_GRACE_MS: into('temporal.workerShutdownGraceMs', z.coerce.number().int().positive().default(10_000).meta({ description: 'how long a stopping worker lets its activities finish' })),
  TEMPORAL_STICKY_QUEUE_TIMEOUT_MS: into('temporal.stickyQueueTimeoutMs', z.coerce.number().int().positive().default(3_000).meta({ description: 'how long a case\'s next task waits for the worker that has it cached before any worker takes it: bounds how late a dead worker\'s clocks fire' })),
  TEMPORAL_WORKER_WORKFLOW_TASK_SLOTS: into('temporal.workflowTaskSlots', z.coerce.number().int().min(2).default(40).meta({ description: 'workflow tasks a worker runs at once' })),
  TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS: into('temporal.maxCachedWorkflows', z.coerce.number().int().min(0).default(100).meta({ description: 'cases a worker keeps in memory between their tasks (at least the task slots, or 0 for none); a case not cached is rebuilt from its history when its next clock or command comes, so memory stays flat however many cases are open' })),
  TEMPORAL_WORKER_HEAP_LIMIT_MIB: into('temporal.workerHeapLimitMib', z.coerce.number().int().min(128).default(192).meta({ description: 'the worker\'s V8 heap limit, which the dev command starts it with (`--max-old-space-size`, with a 4 MiB young generation and two malloc arenas; `npm run start:worker` does the same)' })),

  FORCE_CODE: into('force.code', z.string().regex(/^[A-Z]{2,4}$/, '2 to 4 capital letters').default('XP').meta({ description: 'the force\'s reference prefix (`XP-20261123-000042`)' })),
  DEFAULT_TEAM: into('force.defaultTeam', z.string().min(1).max(64).default('contact-centre').meta({ description: 'the team new cases are assigned to' })),
  POLICY_FILE: z.string().min(1).default(defaultPolicyFile).meta({ description: 'the force\'s contact policy: grades, clocks, escalation chain, calendar (see [Clocks and escalation](working-cases.md#clocks-and-escalation))', shownDefault: '`policy/force-default.json`' }),

  AUTH_ISSUER: into('auth.issuer', z.string().min(1).default('police-contact-dev').meta({ description: 'the `iss` access tokens must carry' })),
  AUTH_AUDIENCE: into('auth.audience', z.string().min(1).default('police-contact-api').meta({ description: 'the `aud` access tokens must carry' })),
  AUTH_JWKS_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()).meta({ description: 'the identity provider\'s JWKS URL (this or `AUTH_JWKS` is required in production)', shownDefault: 'unset: the development key (never in production)' }),
  AUTH_JWKS: optionalText.meta({ description: 'the identity provider\'s public keys, a JWKS inline', shownDefault: 'unset: the development key (never in production)' }),
  PAYLOAD_KEYS: optionalText.meta({ description: 'payload encryption keys, `id:base64,…` (32 bytes each; the first encrypts, all decrypt); required in production', shownDefault: 'unset: keys made once per data directory (never in production)' }),
  CODEC_CORS_ORIGINS: optionalText.meta({ description: 'browser origins allowed to call the codec endpoint', shownDefault: 'the dev UI: `http://127.0.0.1:8233`, `http://localhost:8233`' }),
  AUTH_ALGORITHMS: z.string().default(SIGNING_ALGORITHMS.join(',')).meta({ description: 'accepted signature algorithms (asymmetric only)', shownDefault: '`RS256,…,ES256,…,EdDSA`' }),
  AUTH_ROLES_CLAIM: into('auth.rolesClaim', z.string().min(1).default('roles').meta({ description: 'the claim that lists the caller\'s roles' })),
  AUTH_CLOCK_TOLERANCE_SECONDS: into('auth.clockToleranceSeconds', z.coerce.number().int().min(0).max(300).default(30).meta({ description: 'allowed clock skew for `exp` and `nbf`' })),

  RATE_LIMIT_INTAKE_PER_MINUTE: into('rateLimits.intakePerMinute', z.coerce.number().int().positive().default(300).meta({ description: 'intakes per caller per minute (one limit across every API replica)' })),
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: into('rateLimits.authFailuresPerMinute', z.coerce.number().int().positive().default(30).meta({ description: 'failed authentications per client address per minute (one limit across every API replica)' })),

  ALERT_STREAM_HEARTBEAT_SECONDS: into('alerts.streamHeartbeatSeconds', z.coerce.number().int().min(1).max(300).default(15).meta({ description: 'how often an open alert stream sends a comment line, so that proxies keep it open' })),
  ALERT_STREAMS_PER_SUBJECT: into('alerts.streamsPerSubject', z.coerce.number().int().min(1).max(100).default(5).meta({ description: 'how many alert streams one person (token subject) may hold open on one API process; past it, 429 with Retry-After' })),
  ALERT_STREAMS_PER_PROCESS: into('alerts.streamsPerProcess', z.coerce.number().int().min(1).max(100_000).default(1_000).meta({ description: 'how many alert streams one API process holds open in all; past it, 429 with Retry-After' })),
  ALERT_WEBHOOKS: optionalText.meta({ description: 'where alerts to a role are also posted: a JSON object of role to http(s) URL, for example `{"duty-inspector":"https://pager.example/hooks/di"}`', shownDefault: 'unset: no webhooks' }),
  CALLER_IDENTITY_KEYS: optionalText.meta({ description: 'the keys that hash callers\' phone numbers, e-mail addresses and handles, `id:base64,…` (32 bytes each; the first hashes new contacts, all of them match earlier ones); required in production', shownDefault: 'unset: a key made once per data directory (never in production)' }),
  OIDC_AUTHORIZATION_URL: into('browserSignIn.authorizationUrl', optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()).meta({ description: 'the identity provider\'s authorization endpoint, where the desk and the management information page sign a browser user in (authorization code with PKCE)', shownDefault: 'unset: the page offers the development sign-in (outside production) or none' })),
  OIDC_TOKEN_URL: into('browserSignIn.tokenUrl', optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()).meta({ description: 'the identity provider\'s token endpoint (it must allow the API\'s origin: the browser exchanges the code)', shownDefault: 'unset' })),
  OIDC_CLIENT_ID: into('browserSignIn.clientId', optionalText.meta({ description: 'the browser pages\' client id at the identity provider (a public client: no secret; both pages\' addresses, `/desk` and `/mi`, are its redirect URIs)', shownDefault: 'unset' })),
  OIDC_SCOPE: into('browserSignIn.scope', z.string().min(1).default('openid').meta({ description: 'the scopes the page asks for' })),
  ALERT_WEBHOOK_SECRET: optionalText.meta({ description: 'the HMAC-SHA256 key that signs each webhook delivery (at least 32 characters; required with `ALERT_WEBHOOKS`)', shownDefault: 'unset' }),
  CHANNEL_PLATFORM_URL: into('channels.platformUrl', optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()).meta({ description: 'the platform adapter\'s base URL: replies go to `<url>/conversations/<id>/messages` and the media team\'s posts to `<url>/posts`, signed with `CHANNEL_PLATFORM_SECRET`', shownDefault: 'unset: replies and posts are recorded as `not-configured`' })),
  SURVEY_BASE_URL: into('channels.surveyBaseUrl', optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()).meta({ description: 'the address the public reaches the API at, which satisfaction survey links start with (`https://contact.example.police.uk`)', shownDefault: 'unset: `http://<API_HOST>:<API_PORT>`' })),
  DRILL_SCHEDULE: into('drills.schedule', z.string().trim().min(1).default('0 4 * * 1').meta({ description: 'when the continuity drill runs by itself: a cron expression in `DRILL_TIME_ZONE` (the worker keeps a Temporal Schedule to it), or `off`', shownDefault: '`0 4 * * 1` (Mondays 04:00)' })),
  DRILL_TIME_ZONE: into('drills.timeZone', z.string().min(1).default('Europe/London').meta({ description: 'the IANA time zone `DRILL_SCHEDULE` is read in' })),
  DRILL_CASES: into('drills.cases', z.coerce.number().int().min(1).max(20).default(3).meta({ description: 'synthetic cases a drill opens (in the `continuity-drill` team, kept out of queues, alert lists and MI)' })),
  DRILL_CLOCK_SECONDS: into('drills.clockSeconds', z.coerce.number().int().min(10).max(3600).default(30).meta({ description: 'how long each drill case\'s clock runs (it warns at half)' })),
  DRILL_WORKER_DOWN_SECONDS: into('drills.workerDownSeconds', z.coerce.number().int().min(0).max(3600).default(5).meta({ description: 'how long the drill keeps the restarted worker down' })),
  DRILL_TOLERANCE_SECONDS: into('drills.toleranceSeconds', z.coerce.number().int().min(1).max(300).default(5).meta({ description: 'how late a drill clock may fire and still be on time' })),
  STORE_WRITE_DATA_ERROR_ATTEMPTS: into('store.dataErrorAttempts', z.coerce.number().int().min(1).max(20).default(3).meta({ description: 'how many times a case store write that fails with a data error (not an outage) is tried before it is given up, an administrators\' store alert raised, and the case carries on (`npm run store:resync` writes it later)' })),
  FAULT_KILL_WORKER_AFTER_STORE_WRITES: into('store.killWorkerAfterWrites', z.coerce.number().int().min(0).default(0).meta({ description: 'tests only (refused in production): the worker kills itself (SIGKILL) right after its Nth case store write has committed and before the activity reports it; 0 never' })),
  COMMAND_UPDATES_IN_FLIGHT: into('commands.inFlightPerCase', z.coerce.number().int().min(1).max(10).default(8).meta({ description: 'commands one API process has in flight to one case at once (Temporal takes 10 per case); more wait their turn' })),
  COMMAND_WAIT_SECONDS: into('commands.waitSeconds', z.coerce.number().int().min(1).max(300).default(30).meta({ description: 'how long a command waits for its turn, or retries a command the engine could not take yet, before the API answers 503 with `Retry-After`' })),
  COMMAND_STORE_WAIT_MS: into('commands.storeWaitMs', z.coerce.number().int().min(0).max(60_000).default(5_000).meta({ description: 'how long the API waits, once the case has taken a command, for the case store to show it before answering (so the sender reads it back at once); past it the answer goes anyway and the store catches up; 0 answers at once' })),
  RECONCILE_SCHEDULE: into('store.reconcileSchedule', z.string().trim().min(1).default('30 3 * * *').meta({ description: 'when the case store is compared with the workflows by itself: a cron expression in `RECONCILE_TIME_ZONE` (the worker keeps a Temporal Schedule to it; each run compares the cases changed since the last), or `off`', shownDefault: '`30 3 * * *` (daily 03:30)' })),
  RECONCILE_TIME_ZONE: into('store.reconcileTimeZone', z.string().min(1).default('Europe/London').meta({ description: 'the IANA time zone `RECONCILE_SCHEDULE` is read in' })),
  METRICS_HOST: into('telemetry.metricsHost', z.string().default('127.0.0.1').meta({ description: 'where the API\'s and the worker\'s metrics endpoints listen (`GET /metrics`, Prometheus text format); loopback unless a force\'s Prometheus scrapes from elsewhere' })),
  METRICS_PORT: into('telemetry.apiMetricsPort', port.default(9464).meta({ description: 'the API\'s metrics endpoint: a port of its own, never the API\'s; 0 turns it off' })),
  WORKER_METRICS_PORT: into('telemetry.workerMetricsPort', port.default(9465).meta({ description: 'the worker\'s metrics endpoint, with the Temporal SDK\'s own metrics (`temporal_*`); 0 turns it off' })),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: into('telemetry.tracesEndpoint', optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()).meta({ description: 'an OpenTelemetry collector\'s OTLP/HTTP traces endpoint (`http://collector:4318/v1/traces`): each request is traced through its workflow and activities to the SQL it runs', shownDefault: 'unset: no tracing' })),
  OTEL_SERVICE_NAMESPACE: into('telemetry.serviceNamespace', z.string().trim().min(1).default('police-contact').meta({ description: 'the `service.namespace` traces carry (the services are `api` and `worker`)' })),
  CHANNEL_PLATFORM_SECRET: into('channels.secret', optionalText.meta({ description: 'the HMAC-SHA256 key shared with the platform connector: it signs what is sent to the platform and checks signed inbound webhooks (at least 32 characters)', shownDefault: 'unset: the signed webhook route refuses every call' })),
});

export type Environment = Record<string, string | undefined>;

/** The variables once validated: every type below is taken from here, so the schema is the one source. */
type Settings = z.output<typeof environmentSchema>;

export interface TemporalTlsConfig {
  certPath: string;
  keyPath: string;
  caPath?: string;
  serverName?: string;
}

export interface JsonWebKeySet {
  keys: Array<Record<string, unknown>>;
}

/** Where the keys that verify access tokens come from. */
export type TokenKeySource =
  | { kind: 'jwks-url'; url: string }
  | { kind: 'jwks'; jwks: JsonWebKeySet }
  /** A key made for this data directory alone; only ever outside production. */
  | { kind: 'development'; keyFile: string };

/**
 * The AES-256-GCM keys that encrypt workflow payloads. The first encrypts; every one decrypts, so a
 * new key goes first and old ones stay until no history needs them.
 */
export type PayloadKeySource =
  | { kind: 'keys'; keys: Array<{ id: string; key: string }> }
  /** Keys made for this data directory alone; only ever outside production. */
  | { kind: 'development'; keyFile: string };


type Shape = typeof environmentSchema.shape;
type Nest<P extends string, T> = P extends `${infer Head}.${infer Rest}` ? { [K in Head]: Nest<Rest, T> } : { [K in P]: T };
type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;
/** Every variable marked `into(path, …)`, at its path, with its validated type. */
type CopiedSettings = UnionToIntersection<{ [K in keyof Shape]: Shape[K] extends Into<infer P> ? Nest<P, z.output<Shape[K]>> : never }[keyof Shape]>;

/** What the configuration holds beyond the variables copied as they are: built from several, or checked as a whole. */
interface BuiltSettings {
  dataDir: string;
  database: {
    /** Set when a server's address was given; otherwise the embedded PostgreSQL server (npm run dev) is used. */
    url: string;
    embedded: boolean;
  };
  temporal: { tls?: TemporalTlsConfig };
  /** `policyFile`: the force's contact policy (grades, clocks, escalation chain), versioned JSON. */
  force: { policyFile: string };
  auth: { algorithms: SigningAlgorithm[]; keys: TokenKeySource };
  /** Payload encryption, and the browser origins (the Temporal UI) allowed to call the codec endpoint. */
  codec: { keys: PayloadKeySource; corsOrigins: string[] };
  /** `webhooks`: role → URL; each delivery is signed with `webhookSecret`. */
  alerts: { webhooks: Record<string, string>; webhookSecret?: string };
  /** The keys callers' identifiers are hashed with (the first for new contacts; every one matches). */
  callerIdentity: { keys: PayloadKeySource };
}

type Flatten<T> = T extends object ? (T extends readonly unknown[] ? T : { [K in keyof T]: T[K] }) : T;
type Merged<A, B> = Flatten<{
  [K in keyof A | keyof B]: K extends keyof A ? (K extends keyof B ? Flatten<A[K] & B[K]> : A[K]) : K extends keyof B ? B[K] : never;
}>;

/**
 * The configuration: each variable's type, default and meaning are in the schema above (and
 * docs/configuration.md's table made from it), and where it goes is its `into` mark.
 */
export type AppConfig = Merged<CopiedSettings, BuiltSettings>;
export type AuthConfig = AppConfig['auth'];

/** Every variable copied as it is, and its path in the configuration, read from the schema's marks. */
const copied: Array<[name: keyof Settings, path: string[]]> = Object.entries(environmentSchema.shape).flatMap(([name, schema]) => {
  const path = (schema.meta() as { into?: string } | undefined)?.into;
  return path ? [[name as keyof Settings, path.split('.')] as [keyof Settings, string[]]] : [];
});

type Section = Record<string, unknown>;

function copyInto(target: Section, settings: Settings): void {
  for (const [name, path] of copied) {
    const value = settings[name];
    if (value === undefined) continue;
    let section = target;
    for (const key of path.slice(0, -1)) section = (section[key] ??= {}) as Section;
    section[path[path.length - 1]] = value;
  }
}

function copiedOutOf(config: AppConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, path] of copied) {
    let value: unknown = config;
    for (const key of path) value = (value as Section | undefined)?.[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') env[name] = String(value);
  }
  return env;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const isLoopback = (hostname: string) => hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);

export function embeddedDatabaseUrl(port: number): string {
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

export function loadConfig(environment: Environment = process.env): AppConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const issues: string[] = [];
  if (Boolean(e.TEMPORAL_TLS_CERT_PATH) !== Boolean(e.TEMPORAL_TLS_KEY_PATH)) {
    issues.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH: give both for mTLS, or neither');
  }
  if (e.DATABASE_URL && !/^postgres(ql)?:\/\//.test(e.DATABASE_URL)) {
    issues.push('DATABASE_URL: must be a postgres:// or postgresql:// URL');
  }
  if (e.TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS > 0 && e.TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS < e.TEMPORAL_WORKER_WORKFLOW_TASK_SLOTS) {
    issues.push('TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS: must be at least TEMPORAL_WORKER_WORKFLOW_TASK_SLOTS (or 0, no cache)');
  }
  const algorithms = e.AUTH_ALGORITHMS.split(',').map((name) => name.trim()).filter(Boolean);
  const refused = algorithms.filter((name) => !(SIGNING_ALGORITHMS as readonly string[]).includes(name));
  if (refused.length > 0 || algorithms.length === 0) {
    issues.push(`AUTH_ALGORITHMS: ${refused.join(', ') || '(none given)'} not allowed; choose from ${SIGNING_ALGORITHMS.join(', ')}`);
  }
  // In production, keys and sign-in come only over https (loopback aside: a test's own provider).
  if (e.NODE_ENV === 'production') {
    for (const variable of ['AUTH_JWKS_URL', 'OIDC_AUTHORIZATION_URL', 'OIDC_TOKEN_URL'] as const) {
      const url = e[variable];
      if (url && new URL(url).protocol !== 'https:' && !isLoopback(new URL(url).hostname)) issues.push(`${variable}: production takes https only (http only on loopback)`);
    }
  }
  let keys: TokenKeySource | undefined;
  if (e.AUTH_JWKS_URL && e.AUTH_JWKS) {
    issues.push('AUTH_JWKS_URL and AUTH_JWKS: give one source of token keys, not both');
  } else if (e.AUTH_JWKS_URL) {
    keys = { kind: 'jwks-url', url: e.AUTH_JWKS_URL };
  } else if (e.AUTH_JWKS) {
    const jwks = parseJwks(e.AUTH_JWKS);
    if (typeof jwks === 'string') issues.push(`AUTH_JWKS: ${jwks}`);
    else keys = { kind: 'jwks', jwks };
  } else if (e.NODE_ENV === 'production') {
    issues.push('AUTH_JWKS_URL: production needs the identity provider\'s keys (AUTH_JWKS_URL or AUTH_JWKS)');
  } else {
    keys = { kind: 'development', keyFile: join(resolve(e.DATA_DIR), 'dev-auth', 'signing-key.json') };
  }
  /** A set of 32-byte keys from the variable, or in development one made for the data directory. */
  const keySet = (variable: 'PAYLOAD_KEYS' | 'CALLER_IDENTITY_KEYS', what: string, devDirectory: string): PayloadKeySource | undefined => {
    const text = e[variable];
    if (!text) {
      if (e.NODE_ENV !== 'production') return { kind: 'development', keyFile: join(resolve(e.DATA_DIR), devDirectory, 'keys.json') };
      issues.push(`${variable}: production needs ${what} (id:base64 of 32 bytes, comma-separated; the first is used for new data, all of them for old)`);
      return undefined;
    }
    const parsedKeys = parsePayloadKeys(text);
    if (typeof parsedKeys !== 'string') return { kind: 'keys', keys: parsedKeys };
    issues.push(`${variable}: ${parsedKeys}`);
    return undefined;
  };
  const payloadKeys = keySet('PAYLOAD_KEYS', 'payload encryption keys', 'dev-payload-keys');
  const corsOrigins = (e.CODEC_CORS_ORIGINS ?? `http://127.0.0.1:${e.TEMPORAL_UI_PORT},http://localhost:${e.TEMPORAL_UI_PORT}`)
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  const badOrigin = corsOrigins.find((origin) => !/^https?:\/\/[^/]+$/.test(origin));
  if (badOrigin) issues.push(`CODEC_CORS_ORIGINS: ${badOrigin} is not an origin (scheme://host[:port])`);
  const identityKeys = keySet('CALLER_IDENTITY_KEYS', 'caller identity keys', 'dev-identity-keys');
  const webhooks = e.ALERT_WEBHOOKS === undefined ? {} : parseWebhooks(e.ALERT_WEBHOOKS);
  if (typeof webhooks === 'string') issues.push(`ALERT_WEBHOOKS: ${webhooks}`);
  else if (Object.keys(webhooks).length > 0 && (e.ALERT_WEBHOOK_SECRET ?? '').length < 32) {
    issues.push('ALERT_WEBHOOK_SECRET: webhooks need a signing secret of at least 32 characters');
  }
  if (e.CHANNEL_PLATFORM_SECRET !== undefined && e.CHANNEL_PLATFORM_SECRET.length < 32) issues.push('CHANNEL_PLATFORM_SECRET: at least 32 characters');
  if (e.CHANNEL_PLATFORM_URL && !e.CHANNEL_PLATFORM_SECRET) issues.push('CHANNEL_PLATFORM_SECRET: required with CHANNEL_PLATFORM_URL (deliveries are signed)');
  if (e.DRILL_SCHEDULE !== 'off' && e.DRILL_SCHEDULE.split(/\s+/).length !== 5) issues.push('DRILL_SCHEDULE: a cron expression of five fields (minute hour day-of-month month day-of-week), or off');
  if (e.RECONCILE_SCHEDULE !== 'off' && e.RECONCILE_SCHEDULE.split(/\s+/).length !== 5) issues.push('RECONCILE_SCHEDULE: a cron expression of five fields (minute hour day-of-month month day-of-week), or off');
  if (e.NODE_ENV === 'production' && e.FAULT_KILL_WORKER_AFTER_STORE_WRITES > 0) issues.push('FAULT_KILL_WORKER_AFTER_STORE_WRITES: a fault for tests, refused in production');
  const signIn = [e.OIDC_AUTHORIZATION_URL, e.OIDC_TOKEN_URL, e.OIDC_CLIENT_ID];
  if (signIn.some(Boolean) && !signIn.every(Boolean)) issues.push('OIDC_AUTHORIZATION_URL, OIDC_TOKEN_URL and OIDC_CLIENT_ID: give all three for browser sign-in, or none');
  if (issues.length > 0 || !keys || !payloadKeys || !identityKeys || typeof webhooks === 'string') throw new ConfigError(issues);

  const config: Section = {};
  copyInto(config, e);
  const sections = config as unknown as Omit<AppConfig, 'dataDir' | 'codec' | 'callerIdentity'>;
  return {
    ...sections,
    dataDir: resolve(e.DATA_DIR),
    database: { ...sections.database, url: e.DATABASE_URL ?? embeddedDatabaseUrl(e.EMBEDDED_DATABASE_PORT), embedded: !e.DATABASE_URL },
    temporal: {
      ...sections.temporal,
      tls:
        e.TEMPORAL_TLS_CERT_PATH && e.TEMPORAL_TLS_KEY_PATH
          ? { certPath: e.TEMPORAL_TLS_CERT_PATH, keyPath: e.TEMPORAL_TLS_KEY_PATH, caPath: e.TEMPORAL_TLS_CA_PATH, serverName: e.TEMPORAL_TLS_SERVER_NAME }
          : undefined,
    },
    force: { ...sections.force, policyFile: resolve(e.POLICY_FILE) },
    auth: { ...sections.auth, algorithms: algorithms as SigningAlgorithm[], keys },
    codec: { keys: payloadKeys, corsOrigins },
    alerts: { ...sections.alerts, webhooks, webhookSecret: e.ALERT_WEBHOOK_SECRET },
    callerIdentity: { keys: identityKeys },
    channels: { ...sections.channels },
    drills: { ...sections.drills },
    store: { ...sections.store },
    commands: { ...sections.commands },
    telemetry: { ...sections.telemetry },
  };
}

/** `{"role": "https://…"}`: each URL http(s), each role named once. */
function parseWebhooks(text: string): Record<string, string> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return 'must be a JSON object of role to URL';
  for (const [role, url] of Object.entries(parsed)) {
    if (!/^[a-z][a-z-]{1,63}$/.test(role)) return `${JSON.stringify(role)} is not a role name`;
    if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url)) return `the URL for ${role} must be http(s)`;
  }
  return parsed as Record<string, string>;
}

function parseJwks(text: string): JsonWebKeySet | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((key) => key && typeof key === 'object')) {
    return 'must be a JSON Web Key Set: {"keys": [...]}';
  }
  if (keys.some((key) => 'd' in (key as object) || 'k' in (key as object))) {
    return 'must hold public keys only';
  }
  return { keys: keys as Array<Record<string, unknown>> };
}

/** `id:base64,id:base64`: each key 32 bytes, ids unique and safe to store in a payload's metadata. */
function parsePayloadKeys(text: string): Array<{ id: string; key: string }> | string {
  const keys = text.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const at = entry.indexOf(':');
    return { id: entry.slice(0, at), key: entry.slice(at + 1) };
  });
  if (keys.length === 0) return 'give at least one key';
  for (const { id, key } of keys) {
    if (!/^[A-Za-z0-9._-]{1,32}$/.test(id)) return `key id ${JSON.stringify(id)} must be 1 to 32 letters, digits, dots, dashes or underscores`;
    if (Buffer.from(key, 'base64').length !== 32) return `key ${id} must be 32 bytes, base64`;
  }
  if (new Set(keys.map((key) => key.id)).size !== keys.length) return 'key ids must be unique';
  return keys;
}

/** The environment that hands this configuration to a child process (used by the dev command and tests). */
export function configToEnvironment(config: AppConfig): Record<string, string> {
  const env = copiedOutOf(config);
  env.DATA_DIR = config.dataDir;
  if (!config.database.embedded) env.DATABASE_URL = config.database.url;
  if (config.temporal.tls) {
    env.TEMPORAL_TLS_CERT_PATH = config.temporal.tls.certPath;
    env.TEMPORAL_TLS_KEY_PATH = config.temporal.tls.keyPath;
    if (config.temporal.tls.caPath) env.TEMPORAL_TLS_CA_PATH = config.temporal.tls.caPath;
    if (config.temporal.tls.serverName) env.TEMPORAL_TLS_SERVER_NAME = config.temporal.tls.serverName;
  }
  env.POLICY_FILE = config.force.policyFile;
  env.AUTH_ALGORITHMS = config.auth.algorithms.join(',');
  if (config.auth.keys.kind === 'jwks-url') env.AUTH_JWKS_URL = config.auth.keys.url;
  if (config.auth.keys.kind === 'jwks') env.AUTH_JWKS = JSON.stringify(config.auth.keys.jwks);
  if (config.codec.keys.kind === 'keys') env.PAYLOAD_KEYS = config.codec.keys.keys.map(({ id, key }) => `${id}:${key}`).join(',');
  env.CODEC_CORS_ORIGINS = config.codec.corsOrigins.join(',');
  if (Object.keys(config.alerts.webhooks).length > 0) env.ALERT_WEBHOOKS = JSON.stringify(config.alerts.webhooks);
  if (config.alerts.webhookSecret) env.ALERT_WEBHOOK_SECRET = config.alerts.webhookSecret;
  if (config.callerIdentity.keys.kind === 'keys') env.CALLER_IDENTITY_KEYS = config.callerIdentity.keys.keys.map(({ id, key }) => `${id}:${key}`).join(',');
  return env;
}

/** docs/configuration.md's table, made from the schema: every variable, its default and its meaning. */
export function configurationTableMarkdown(): string {
  const rows = Object.entries(environmentSchema.shape).map(([name, schema]) => {
    const meta = (schema.meta() ?? {}) as { description?: string; shownDefault?: string };
    const shown = meta.shownDefault ?? (schema instanceof z.ZodDefault ? `\`${String(schema.def.defaultValue)}\`` : 'unset');
    return `| \`${name}\` | ${shown} | ${meta.description ?? ''} |`;
  });
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
