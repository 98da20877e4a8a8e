import { MikroORM } from '@mikro-orm/postgresql';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/app-config.js';
import { type RecordedCase, whatIf } from '../domain/what-if.js';
import { createOrmOptions } from '../modules/platform/database/orm-config.js';
import { sql } from 'kysely';
import { StoreDatabase } from '../modules/platform/database/store-db.js';
import { loadPolicyFile } from '../modules/policy/policy.loader.js';

/**
 * What-if for the police authority: the clocks of the cases received in a period, as their
 * timelines recorded them, held against another policy (a changed target, a new clock length).
 * Prints, kind by kind, the share on time as it was and as it would have been, and the clocks that
 * would have breached (or would have been on time). Reads the case store only; no workflow runs.
 *   npm run mi:what-if -- --policy new-policy.json --from 2026-01-01 --to 2026-02-01 [--json]
 * `from` and `to` (exclusive) are days in the other policy's time zone. Reads DATABASE_URL like the
 * API (the embedded database must be running: npm run dev).
 */
const { values } = parseArgs({
  options: { policy: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean', default: false } },
});
const day = /^\d{4}-\d{2}-\d{2}$/;
if (!values.policy || !values.from || !values.to || !day.test(values.from) || !day.test(values.to)) {
  console.error('usage: npm run mi:what-if -- --policy <policy.json> --from YYYY-MM-DD --to YYYY-MM-DD [--json]');
  process.exit(2);
}
const { policy } = loadPolicyFile(values.policy);
const orm = (await MikroORM.init(createOrmOptions(loadConfig().database))) as unknown as MikroORM;
try {
  const store = new StoreDatabase(orm);
  // A day's start in the policy's time zone (SQL of its own, listed in docs/database.md).
  const dayStarts = (date: string) => sql<Date>`(${date}::date::timestamp at time zone ${policy.calendar.timeZone}::text)`;
  const rows = await store.db
    .selectFrom('contact_case as c')
    .innerJoin('case_event as e', 'e.reference', 'c.reference')
    .select(['c.reference', 'c.area', 'e.sequence', 'e.type', 'e.at', 'e.details'])
    .where('c.received_at', '>=', dayStarts(values.from))
    .where('c.received_at', '<', dayStarts(values.to))
    .where('e.type', 'like', 'clock-%')
    .orderBy('c.reference')
    .orderBy('e.sequence')
    .execute();
  const cases = new Map<string, RecordedCase & { timeline: RecordedCase['timeline'][number][] }>();
  for (const row of rows) {
    const recorded = cases.get(row.reference) ?? { reference: row.reference, area: row.area as 'urban' | 'rural', timeline: [] };
    recorded.timeline.push({ sequence: row.sequence, type: row.type, at: new Date(row.at).toISOString(), details: row.details });
    cases.set(row.reference, recorded);
  }
  const report = whatIf([...cases.values()], policy, Date.now());
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    const percent = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(1)} %`);
    console.log(`What-if: ${report.cases} cases received ${values.from} to ${values.to} (exclusive), their clocks under policy ${report.policyVersion}\n`);
    console.log(`${'clock'.padEnd(26)}${'clocks'.padStart(8)}${'on time, as run'.padStart(18)}${'under the policy'.padStart(18)}${'breaches'.padStart(12)}`);
    for (const kind of report.byKind) {
      console.log(
        `${kind.kind.padEnd(26)}${String(kind.clocks).padStart(8)}${percent(kind.recorded.onTimeShare).padStart(18)}${percent(kind.whatIf.onTimeShare).padStart(18)}${`${kind.recorded.breached} → ${kind.whatIf.breached}`.padStart(12)}`,
      );
    }
    console.log(`\nWould have breached (${report.wouldHaveBreached.length}):`);
    for (const clock of report.wouldHaveBreached) console.log(`  ${clock.reference} ${clock.clock}: due ${clock.dueAt}, ${clock.metAt ? `met ${clock.metAt}` : 'not met'}`);
    console.log(`Would have been on time (${report.wouldHaveBeenOnTime.length}):`);
    for (const clock of report.wouldHaveBeenOnTime) console.log(`  ${clock.reference} ${clock.clock}: due ${clock.dueAt}, ${clock.metAt ? `met ${clock.metAt}` : 'not met'}`);
  }
} finally {
  await orm.close(true);
}
