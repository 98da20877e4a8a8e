import { parseArgs } from 'node:util';
import { userInfo } from 'node:os';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config/app-config.js';
import { CaseHistoryReader } from '../modules/audit/case-history.reader.js';
import { CaseHistoryStore } from '../modules/audit/case-history.store.js';
import { StoreReconciler } from '../modules/audit/store-reconciler.service.js';
import { createOrmOptions } from '../modules/platform/database/orm-config.js';
import { StoreDatabase } from '../modules/platform/database/store-db.js';
import { TemporalClientService } from '../modules/platform/temporal/temporal-client.module.js';

/**
 * Compares the case store with each case's workflow (open: its state and history; closed: its
 * archive), prints every divergence, and records the result for the auditors.
 *   npm run audit:reconcile                      (every case)
 *   npm run audit:reconcile -- <reference> ...   (those cases)
 *   npm run audit:reconcile -- --since <time>    (cases changed since then)
 * Exit status 0 when the store and the workflows agree, 1 when they do not.
 */
const { values, positionals } = parseArgs({ options: { since: { type: 'string' } }, allowPositionals: true });
const since = values.since ? new Date(values.since) : undefined;
if (since && Number.isNaN(since.getTime())) {
  console.error('--since: a time, for example 2026-12-01T00:00:00Z');
  process.exit(2);
}
const config = loadConfig();
// The options' entity list is readonly, which the driver's ORM type does not accept as is.
const orm = (await MikroORM.init(createOrmOptions(config.database))) as unknown as MikroORM;
const temporal = new TemporalClientService(config);
const sql = new StoreDatabase(orm);
const reconciler = new StoreReconciler(config, orm, sql, new CaseHistoryReader(config, new CaseHistoryStore(orm), temporal), temporal);
try {
  const report = await reconciler.run({
    trigger: 'cli',
    requestedBy: `cli:${userInfo().username}`,
    since,
    references: positionals.length > 0 ? positionals : undefined,
    onCase: (done, total) => {
      if (process.stdout.isTTY) process.stdout.write(`\r  comparing ${done}/${total} cases`);
    },
  });
  if (process.stdout.isTTY) process.stdout.write('\n');
  for (const divergence of report.divergences) console.log(`  ${divergence.reference} ${divergence.kind}: ${divergence.detail}`);
  console.log(`${report.cases} case${report.cases === 1 ? '' : 's'} compared: ${report.divergences.length} divergence${report.divergences.length === 1 ? '' : 's'} in ${report.divergentCases} case${report.divergentCases === 1 ? '' : 's'} (recorded as ${report.id})`);
  process.exitCode = report.outcome === 'clean' ? 0 : 1;
} finally {
  await temporal.onApplicationShutdown();
  await orm.close(true);
}
