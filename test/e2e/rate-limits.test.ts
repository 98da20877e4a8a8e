import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, type INestApplication, Post } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import { AccessGuard } from '../../src/api/access/access.guard.js';
import { RateLimited, RequirePermission } from '../../src/api/access/access.decorators.js';
import { RateLimiter, RequestLimits } from '../../src/api/access/rate-limiter.js';
import { ErrorFilter, RouteMethods } from '../../src/api/common/error.filter.js';
import { loadConfig } from '../../src/config/app-config.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { ConfigModule } from '../../src/config/config.module.js';
import { AccessTokenVerifier } from '../../src/modules/platform/access/access-token.verifier.js';
import { Permission } from '../../src/domain/permissions.js';
import { Role } from '../../src/domain/roles.js';
import { AppLogger } from '../../src/modules/platform/logging/app-logger.js';
import { LoggingModule } from '../../src/modules/platform/logging/logging.module.js';
import { signPlatformBody } from '../support/fake-platform.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { hostileTokens, testAuthEnvironment, tokenFor } from '../support/test-tokens.js';

describe('failed authentication, limited per client address, across API replicas', () => {
  let database: TestDatabase;
  let stack: Stack;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Two replicas behind a round-robin balancer: the failures count against one limit, not one each.
    stack = await startStack(testConfig(database.url, { RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3' }), { worker: false, replicas: 2 });
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  it('answers 429 with Retry-After once the failures run out, and still lets a valid token through', async () => {
    const url = `${stack.apiUrl}/api/v1/system-checks/3f0b6c1e-8d2a-4c7b-9e5f-1a2b3c4d5e6f`;
    const bad = { authorization: `Bearer ${(await hostileTokens(Role.Administrator)).expired}` };
    const statuses = [];
    for (let attempt = 0; attempt < 5; attempt += 1) statuses.push((await fetch(url, { headers: bad })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await fetch(url, { headers: bad });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    const valid = await fetch(url, { headers: { authorization: `Bearer ${await tokenFor(Role.Administrator)}` } });
    expect(valid.status).toBe(404); // authorised; the check simply does not exist
    // Both replicas answered: the limit held across them.
    expect(stack.balanced?.every((count) => count >= 3)).toBe(true);
    const [{ count }] = await database.query<{ count: number }>(`select count::int from rate_limit_window where key like 'auth-failures:%'`);
    expect(count).toBe(6);
  });
});

@Controller('probe')
class IntakeProbeController {
  @Post()
  @RequirePermission(Permission.ContactCreate)
  @RateLimited('intake')
  accept() {
    return { accepted: true };
  }
}

describe('the intake limit, per caller (the real guard on a probe route)', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', ...testAuthEnvironment, RATE_LIMIT_INTAKE_PER_MINUTE: '2' });
    const logger = new AppLogger({ level: 'silent', service: 'test' });
    const module = {
      module: class IntakeProbeModule {},
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(logger)],
      controllers: [IntakeProbeController],
      providers: [AccessTokenVerifier, RateLimiter, RequestLimits, RouteMethods, { provide: APP_GUARD, useClass: AccessGuard }, { provide: APP_FILTER, useClass: ErrorFilter }],
    };
    app = await NestFactory.create(module, { logger: false });
    await app.listen(0, '127.0.0.1');
    url = `${await app.getUrl()}/probe`;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('allows the limit, then answers 429; another caller keeps their own allowance', async () => {
    const first = { authorization: `Bearer ${await tokenFor(Role.ContactHandler, 'pc-1')}` };
    const second = { authorization: `Bearer ${await tokenFor(Role.ContactHandler, 'pc-2')}` };
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await fetch(url, { method: 'POST', headers: first })).status);
    expect(statuses).toEqual([201, 201, 429]);
    expect((await fetch(url, { method: 'POST', headers: second })).status).toBe(201);
  });
});

describe("signed webhooks, limited as every route with a token is", () => {
  const SECRET = 'platform-secret-for-the-limits-test-0123456789';
  let database: TestDatabase;
  let stack: Stack;

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startStack(testConfig(database.url, { CHANNEL_PLATFORM_SECRET: SECRET, RATE_LIMIT_INTAKE_PER_MINUTE: '2', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '2' }));
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  it('counts failed signatures per address and signed messages per channel, 429 with Retry-After past either', async () => {
    const message = (n: number) =>
      JSON.stringify({ platform: 'webchat', conversationId: `chat-limit-${n}`, messageId: `chat-limit-${n}-1`, handle: `Visitor ${n}`, text: 'Is the front counter open on Sundays?', sentAt: new Date().toISOString() });
    const post = (body: string, signature?: string) =>
      fetch(`${stack.apiUrl}/api/v1/channels/webchat/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-platform-signature': signature } : {}) }, body });

    const unsigned = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const body = message(100 + attempt);
      unsigned.push(await post(body, signPlatformBody('not-the-shared-key-0123456789abcdef', body)));
    }
    expect(unsigned.map((answer) => answer.status)).toEqual([401, 401, 429]);
    expect(Number(unsigned[2].headers.get('retry-after'))).toBeGreaterThan(0);

    // A good signature still passes from the same address; past the channel's limit, 429.
    const signed = [];
    // (Each body made once: it carries the time it was made, and the signature covers it exactly.)
    for (let n = 0; n < 3; n += 1) {
      const body = message(n);
      signed.push(await post(body, signPlatformBody(SECRET, body)));
    }
    expect(signed.map((answer) => answer.status)).toEqual([201, 201, 429]);
    expect(Number(signed[2].headers.get('retry-after'))).toBeGreaterThan(0);
    // The two taken are recorded; nothing refused is.
    await waitUntil(async () => ((await database.query<{ n: number }>('select count(*)::int as n from case_message'))[0].n >= 2 ? true : undefined), { timeoutMs: 15_000, what: 'the two messages recorded' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await database.query('select author_handle from case_message order by author_handle')).toEqual([{ author_handle: 'Visitor 0' }, { author_handle: 'Visitor 1' }]);
  });
});
