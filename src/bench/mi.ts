import { MikroORM } from '@mikro-orm/postgresql';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { defaultPolicyFile, loadConfig } from '../config/app-config.js';
import { migrateDatabase } from '../modules/platform/database/migrate.js';
import { createOrmOptions } from '../modules/platform/database/orm-config.js';
import { StoreDatabase } from '../modules/platform/database/store-db.js';
import { type Channel } from '../domain/channels.js';
import { countsOfChange, type MiDelta } from '../domain/mi.js';
import { type TimelineEntry } from '../domain/timeline.js';
import { type Grade } from '../domain/thrive.js';
import { miCountsStatement } from '../modules/mi/mi-counts.statement.js';
import { miReport } from '../modules/mi/mi-measures.service.js';
import { loadPolicyFile } from '../modules/policy/policy.loader.js';
import { benchDatabase, percentile } from './system.js';

/**
 * Management information at a large force's scale: a year of closed cases (1,000,000 by default)
 * written into the case store as the workflow writes them (a case row, then its timeline: received,
 * assessed, a clock armed and met, closed), each change counted by the code the store counts with;
 * then the authority's question, a year by month, asked again and again.
 *   npm run bench:mi -- [--cases 1000000] [--requests 100] [--database-url postgres://…]
 */
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '100' },
    'database-url': { type: 'string' },
  },
});
const total = Number(values.cases);
const requests = Number(values.requests);
// Small batches: each counted row is updated once per batch, as a case change updates it once per transaction.
const BATCH = 200;

const yearStart = Date.parse('2026-01-01T00:00:00Z');
const spacingMs = Math.floor((365 * 86_400_000) / total);
const iso = (ms: number) => new Date(ms).toISOString();
const channels = ['emergency-call', 'non-emergency-call', 'web-form', 'email', 'sms', 'social-media', 'face-to-face'] as const;
const outcomes = ['resolved-at-first-contact', 'attended', 'referred', 'signposted'] as const;

/** The counts one synthetic case adds over its life (intake, assessment, attendance, closure), as the store would count its changes. */
function benchCounts(i: number): MiDelta[] {
  const received = yearStart + i * spacingMs;
  const grade = (1 + (i % 4)) as Grade;
  const armed = received + 5 * 60_000;
  const met = armed + ((grade * 13) % 90) * 60_000;
  const closed = received + 2 * 3_600_000;
  const counted = { team: `team-${i % 4}`, channel: channels[i % 7] as Channel, area: i % 5 === 0 ? ('rural' as const) : ('urban' as const), receivedAt: iso(received), vulnerable: i % 11 === 0, riskMarker: i % 7 === 2 && i % 3 === 0 ? ('IR' as const) : null, screeningReasons: [], closedAt: iso(closed) };
  const changes: Array<[string, TimelineEntry[]]> = [
    [iso(received), [{ type: 'received', details: { channel: channels[i % 7] as Channel, riskMarker: counted.riskMarker, reasons: '', policyVersion: 'bench' } }]],
    [iso(armed), [{ type: 'assessed', details: { grade, previousGrade: null, assessment: 1 } }]],
    [iso(met), [{ type: 'clock-met', details: { clock: 'attendance-1', clockKind: 'attendance', grade, late: i % 10 === 7, startedAt: iso(armed), dueAt: '' } }]],
    [iso(closed), [{ type: 'closed', details: { outcome: outcomes[i % 4], closingCategory: 'advice', firstContactResolution: i % 4 === 0, handlingMs: (5 + (i % 40)) * 60_000, sessions: 1 + (i % 3) } }]],
  ];
  return changes.flatMap(([at, entries]) => countsOfChange(counted, entries, at));
}

const store = await benchDatabase('bench-mi', 20, values['database-url']);
const { url, dataDir } = store;
const config = loadConfig({ NODE_ENV: 'development', DATABASE_URL: url, DATA_DIR: dataDir });
const policy = loadPolicyFile(defaultPolicyFile).policy;
const seed = new pg.Client({ connectionString: url });
let orm: MikroORM | undefined;
try {
  await seed.connect();
  if (values['database-url']) await seed.query('drop schema public cascade; create schema public;');
  await migrateDatabase(config.database);
  orm = (await MikroORM.init(createOrmOptions(config.database))) as unknown as MikroORM;
  const storeDb = new StoreDatabase(orm);

  // Cases spread evenly over 2026 (one every ~31 s), in four teams, every channel, grades 1 to 4.
  const started = performance.now();
  for (let from = 0; from < total; from += BATCH) {
    const count = Math.min(BATCH, total - from);
    await seed.query(
      `insert into contact_case (reference, workflow_id, channel, received_at, policy_version, team, area, assignee, created_by_subject, created_by_role, flags,
         risk_marker, domestic_abuse, sexual_offence, vulnerable, screening_reasons, caller, narrative, stage, grade, priority_rank, outcome, closing_category,
         first_contact_resolution, escalation_level, clocks, breached, closed_at, version, updated_at)
       select 'XB-' || to_char(t, 'YYYYMMDD') || '-' || lpad(i::text, 7, '0'), 'contact-bench-' || i, (array['emergency-call','non-emergency-call','web-form','email','sms','social-media','face-to-face'])[1 + i % 7],
         t, 'bench', 'team-' || (i % 4), case when i % 5 = 0 then 'rural' else 'urban' end, 'pc-bench', 'pc-bench', 'contact-handler', '{}',
         case when i % 7 = 2 and i % 3 = 0 then 'IR' end, false, false, i % 11 = 0, '{}', '{}'::jsonb, 'bench', 'closed', 1 + i % 4, 5,
         (array['resolved-at-first-contact','attended','referred','signposted'])[1 + i % 4], 'advice', i % 4 = 0, 0, '[]'::jsonb, false, t + interval '2 hours', 3, t
       from (select i, to_timestamp(($1::bigint + i::bigint * $2::bigint) / 1000.0) as t from generate_series($3::int, $4::int) as i) as s`,
      [yearStart, spacingMs, from, from + count - 1],
    );
    // The timeline as the workflow writes it, each entry with its explicit fields.
    await seed.query(
      `insert into case_event (id, reference, sequence, type, at, actor_subject, actor_role, details)
       select c.reference || '/' || e.n, c.reference, e.n, e.type, c.received_at + e.after, 'pc-bench', 'contact-handler', e.details
       from generate_series($1::int, $2::int) as g
       join contact_case c on c.workflow_id = 'contact-bench-' || g
       cross join lateral (values
         (1, 'received', interval '0', jsonb_build_object('channel', c.channel, 'riskMarker', c.risk_marker, 'reasons', '', 'policyVersion', 'bench')),
         (2, 'assessed', interval '5 minutes', jsonb_build_object('grade', c.grade, 'previousGrade', null, 'assessment', 1)),
         (3, 'clock-armed', interval '5 minutes', jsonb_build_object('clock', 'attendance-1', 'clockKind', 'attendance', 'grade', c.grade, 'label', 'grade ' || c.grade || ' attendance', 'startedAt', to_char((c.received_at + interval '5 minutes') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'dueAt', '')),
         (4, 'clock-met', interval '5 minutes' + (c.grade * 13 % 90) * interval '1 minute', jsonb_build_object('clock', 'attendance-1', 'clockKind', 'attendance', 'grade', c.grade, 'late', right(c.reference, 1) = '7', 'startedAt', to_char((c.received_at + interval '5 minutes') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'dueAt', '')),
         (5, 'closed', interval '2 hours', jsonb_build_object('outcome', c.outcome, 'closingCategory', c.closing_category, 'firstContactResolution', c.first_contact_resolution))
       ) as e(n, type, after, details)`,
      [from, from + count - 1],
    );
    // Counted as the case store counts each change: by the same code, from the same typed entries.
    const counts = Array.from({ length: count }, (_, offset) => benchCounts(from + offset)).flat();
    await storeDb.run(miCountsStatement(counts));
  }
  const seedSeconds = (performance.now() - started) / 1000;
  await seed.query('vacuum analyze');
  const [{ events, rows }] = (await seed.query<{ events: string; rows: string }>('select (select count(*) from case_event)::text as events, (select count(*) from mi_count)::text as rows')).rows;

  const ask = async (team?: string) => {
    const at = performance.now();
    await miReport(storeDb, policy, { from: '2026-01-01', to: '2027-01-01', groupBy: 'month', team });
    return performance.now() - at;
  };
  await ask();
  const everyTeam: number[] = [];
  const oneTeam: number[] = [];
  for (let index = 0; index < requests; index += 1) {
    everyTeam.push(await ask());
    oneTeam.push(await ask(`team-${index % 4}`));
  }
  const report = await miReport(storeDb, policy, { from: '2026-01-01', to: '2027-01-01', groupBy: 'month' });
  const line = (label: string, samples: number[]) => {
    const sorted = [...samples].sort((a, b) => a - b);
    return `  ${label.padEnd(30)} p50 ${percentile(sorted, 50).toFixed(1).padStart(7)} ms   p99 ${percentile(sorted, 99).toFixed(1).padStart(7)} ms   max ${sorted[sorted.length - 1].toFixed(1).padStart(7)} ms`;
  };
  console.log(`
Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}
Store:   ${store.embedded ? 'embedded PostgreSQL 18' : 'PostgreSQL at --database-url'}
Seeded:  ${total} closed cases over 2026, ${events} timeline events, counted as the store counts them, in ${seedSeconds.toFixed(0)} s (${(Number(events) / seedSeconds).toFixed(0)} events/s); ${rows} count rows
Check:   the year's report counts ${report.total.measures.demand.contacts} contacts in ${report.periods.length} months

A year by month (${requests} requests each, one at a time, no HTTP):
${line('every team', everyTeam)}
${line('one team', oneTeam)}
`);
} finally {
  await orm?.close(true);
  await seed.end().catch(() => undefined);
  await store.stop();
}
