import { parseArgs } from 'node:util';
import { MikroORM } from '@mikro-orm/postgresql';
import { StoreDatabase } from '../modules/platform/database/store-db.js';
import { loadConfig } from '../config/app-config.js';
import { CaseHistoryStore } from '../modules/audit/case-history.store.js';
import { CaseHistoryReader } from '../modules/audit/case-history.reader.js';
import { replayCaseHistory } from '../modules/audit/case-replayer.js';
import { type ReplayReport } from '../workflows/case-replay.messages.js';
import { createOrmOptions } from '../modules/platform/database/orm-config.js';
import { TemporalClientService } from '../modules/platform/temporal/temporal-client.module.js';

/**
 * Replays cases' recorded histories (exported into the case store when they closed, or live from
 * Temporal) against the current workflow code, and says whether every decision is reproduced.
 *   npm run audit:replay -- <reference>
 *   npm run audit:replay -- --all      (every case, with a progress bar and a summary)
 * Exit status 0 when every replay reproduces its history, 1 when one does not.
 */
const { values, positionals } = parseArgs({ options: { all: { type: 'boolean', default: false } }, allowPositionals: true });
if (!values.all && positionals.length !== 1) {
  console.error('usage: npm run audit:replay -- <reference> | --all');
  process.exit(2);
}
const config = loadConfig();
// The options' entity list is readonly, which the driver's ORM type does not accept as is.
const orm = (await MikroORM.init(createOrmOptions(config.database))) as unknown as MikroORM;
const temporal = new TemporalClientService(config);
const histories = new CaseHistoryReader(config, new CaseHistoryStore(orm), temporal);
try {
  const references = values.all
    ? (await new StoreDatabase(orm).db.selectFrom('contact_case').select('reference').orderBy('reference').execute()).map((row) => row.reference)
    : positionals;
  const reports: ReplayReport[] = [];
  for (const [index, reference] of references.entries()) {
    reports.push(await replayCaseHistory(config, reference, await histories.runs(reference)));
    if (values.all && process.stdout.isTTY) {
      const done = Math.round(((index + 1) / references.length) * 30);
      process.stdout.write(`\r  [${'#'.repeat(done)}${'.'.repeat(30 - done)}] ${index + 1}/${references.length}`);
    }
  }
  if (values.all && process.stdout.isTTY) process.stdout.write('\n');
  for (const report of reports.filter((item) => !values.all || !item.reproduced)) {
    console.log(`${report.reference} (${report.source}, ${report.events} events): ${report.verdict}`);
  }
  const diverged = reports.filter((report) => !report.reproduced).length;
  if (values.all) console.log(`${reports.length} cases replayed: ${reports.length - diverged} reproduced every decision, ${diverged} diverged`);
  process.exitCode = diverged === 0 ? 0 : 1;
} finally {
  await temporal.onApplicationShutdown();
  await orm.close(true);
}
