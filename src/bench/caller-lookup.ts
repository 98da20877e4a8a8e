import { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../config/app-config.js';
import { callerIdentifiers } from '../domain/caller-identity.js';
import { CallerIdentities } from '../modules/contact-cases/caller-identities.service.js';
import { StoreDatabase } from '../modules/platform/database/store-db.js';
import { migrateDatabase } from '../modules/platform/database/migrate.js';
import { createOrmOptions } from '../modules/platform/database/orm-config.js';
import { benchDatabase, percentile } from './system.js';

/**
 * What recognising a caller adds to an intake, against a case store that already holds many earlier
 * contacts: the history read (every key's hashes, joined to the cases) and the write of the new
 * contact's hashes, the two database calls intake makes for it. Earlier contacts are spread over
 * 90 days, a few callers each with many, the rest with one or two.
 *   npm run bench:caller-lookup -- [--earlier 100000] [--lookups 2000] [--database-url postgres://…]
 */
const { values } = parseArgs({
  options: {
    earlier: { type: 'string', default: '100000' },
    lookups: { type: 'string', default: '2000' },
    'database-url': { type: 'string' },
  },
});
const earlier = Number(values.earlier);
const lookups = Number(values.lookups);

const store = await benchDatabase('bench-caller-lookup', 50, values['database-url']);
const { url, dataDir } = store;
const keys = [1, 2].map((n) => `bench-${n}:${randomBytes(32).toString('base64')}`).join(',');
const config = loadConfig({ NODE_ENV: 'development', DATABASE_URL: url, CALLER_IDENTITY_KEYS: keys, DATA_DIR: dataDir });
const seed = new pg.Client({ connectionString: url });
let orm: MikroORM | undefined;
try {
  await seed.connect();
  if (values['database-url']) await seed.query('drop schema public cascade; create schema public;');
  await migrateDatabase(config.database);
  const opened = (await MikroORM.init(createOrmOptions(config.database))) as unknown as MikroORM;
  orm = opened;
  const callers = new CallerIdentities(config, new StoreDatabase(opened));
  const phoneOf = (caller: number) => `07700 ${String(caller).padStart(6, '0')}`;
  // Caller n for contact i: every tenth contact from one of 500 frequent callers, the rest one each.
  const callerOf = (index: number) => (index % 10 === 0 ? index % 5_000 : 10_000 + index);

  const started = performance.now();
  const day = 86_400_000;
  const now = Date.now();
  for (let from = 0; from < earlier; from += 5_000) {
    const batch = Array.from({ length: Math.min(5_000, earlier - from) }, (_, offset) => from + offset);
    const references = batch.map((index) => `XP-20260901-${String(index).padStart(6, '0')}`);
    const times = batch.map((index) => new Date(now - (index % 90) * day - (index % 1_000) * 1_000));
    await seed.query(
      `insert into contact_case (reference, workflow_id, channel, received_at, policy_version, team, area, assignee, created_by_subject, created_by_role, flags,
         risk_marker, domestic_abuse, sexual_offence, vulnerable, screening_reasons, caller, narrative, stage, priority_rank, escalation_level, clocks, breached, closed_at, version, updated_at)
       select r, 'contact-' || r, 'non-emergency-call', t, 'bench', 'contact-centre', 'urban', 'pc-bench', 'pc-bench', 'contact-handler', '{}',
         null, false, false, (i % 37 = 0), '{}', '{}'::jsonb, 'bench', case when i % 4 = 0 then 'triage' else 'closed' end, 5, 0, '[]'::jsonb, false,
         case when i % 4 = 0 then null else t end, 1, t
       from unnest($1::varchar[], $2::timestamptz[], $3::int[]) as u(r, t, i)`,
      [references, times, batch],
    );
    for (const [offset, index] of batch.entries()) {
      await callers.record(references[offset], times[offset], callerIdentifiers({ phone: phoneOf(callerOf(index)), email: index % 3 === 0 ? `caller${callerOf(index)}@example.org` : undefined }));
    }
  }
  const [{ count }] = (await seed.query<{ count: string }>('select count(*)::text as count from caller_identity')).rows;
  const seedSeconds = (performance.now() - started) / 1000;
  await seed.query('analyze');

  const read: number[] = [];
  const write: number[] = [];
  let repeat = 0;
  for (let index = 0; index < lookups; index += 1) {
    // Half the lookups are frequent callers (many earlier contacts), half new ones (none).
    const caller = index % 2 === 0 ? (index * 10) % 5_000 : 900_000 + index;
    const identifiers = callerIdentifiers({ phone: phoneOf(caller), email: `caller${caller}@example.org` });
    const reference = `XP-20261130-${String(index).padStart(6, '0')}`;
    let at = performance.now();
    const history = await callers.history(identifiers, { windowDays: 30 }, new Date(), reference);
    read.push(performance.now() - at);
    if (history.previousContacts >= 2) repeat += 1;
    at = performance.now();
    await callers.record(reference, new Date(), identifiers);
    write.push(performance.now() - at);
  }
  const line = (label: string, samples: number[]) => {
    const sorted = [...samples].sort((a, b) => a - b);
    return `  ${label.padEnd(26)} p50 ${percentile(sorted, 50).toFixed(2).padStart(6)} ms   p99 ${percentile(sorted, 99).toFixed(2).padStart(6)} ms   max ${sorted[sorted.length - 1].toFixed(2).padStart(6)} ms`;
  };
  const both = read.map((ms, index) => ms + write[index]);
  console.log(`
Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}
Store:   ${store.embedded ? 'embedded PostgreSQL 18' : 'PostgreSQL at --database-url'}; ${earlier} earlier contacts (${count} identity hashes, 2 keys), seeded in ${seedSeconds.toFixed(0)} s

${lookups} intakes' caller recognition, one at a time (half frequent callers, half new):
${line('history read', read)}
${line('hashes written', write)}
${line('added to an intake', both)}
  repeat callers found: ${repeat}
`);
} finally {
  await orm?.close(true);
  await seed.end().catch(() => undefined);
  await store.stop();
}
