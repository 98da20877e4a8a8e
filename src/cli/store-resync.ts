import { parseArgs } from 'node:util';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config/app-config.js';
import { CaseHistoryReader } from '../modules/audit/case-history.reader.js';
import { CaseHistoryStore } from '../modules/audit/case-history.store.js';
import { type ResyncReport, StoreResync } from '../modules/audit/store-resync.service.js';
import { CaseStore } from '../modules/contact-cases/case-store.service.js';
import { createOrmOptions } from '../modules/platform/database/orm-config.js';
import { StoreDatabase } from '../modules/platform/database/store-db.js';
import { TemporalClientService } from '../modules/platform/temporal/temporal-client.module.js';

/**
 * Rebuilds what the case store holds of cases from their workflows' histories (live while a case
 * runs, its archive once closed): every change the history holds and the store does not, written
 * in order through the workflow's own write path; what is there already is left alone.
 *   npm run store:resync -- <reference> [<reference> ...]
 *   npm run store:resync -- --all
 * Exit status 0 when every case is repaired, 1 when one is not (each problem named).
 */
const { values, positionals } = parseArgs({ options: { all: { type: 'boolean', default: false } }, allowPositionals: true });
if (!values.all && positionals.length === 0) {
  console.error('usage: npm run store:resync -- <reference> [<reference> ...] | --all');
  process.exit(2);
}
const config = loadConfig();
// The options' entity list is readonly, which the driver's ORM type does not accept as is.
const orm = (await MikroORM.init(createOrmOptions(config.database))) as unknown as MikroORM;
const temporal = new TemporalClientService(config);
const sql = new StoreDatabase(orm);
const resync = new StoreResync(config, new CaseHistoryReader(config, new CaseHistoryStore(orm), temporal), new CaseStore(sql, config), sql);
try {
  const references = values.all ? await resync.references() : positionals;
  const reports: ResyncReport[] = [];
  for (const reference of references) {
    try {
      reports.push(await resync.resync(reference));
    } catch (error) {
      // Never a value from the case: the error's kind and PostgreSQL's code only.
      const failure = error as { name?: string; code?: string };
      reports.push({ reference, written: 0, present: 0, legacy: 0, problems: [`could not be written: ${failure.name ?? 'error'}${failure.code ? ` (${failure.code})` : ''}`], repaired: false });
    }
  }
  for (const report of reports.filter((item) => !values.all || item.written > 0 || !item.repaired)) {
    const legacy = report.legacy > 0 ? `, ${report.legacy} recorded before exact writes (left as they are)` : '';
    console.log(`${report.reference}: ${report.written} written, ${report.present} already there${legacy}${report.repaired ? '' : `; not repaired: ${report.problems.join('; ')}`}`);
  }
  const unrepaired = reports.filter((report) => !report.repaired).length;
  console.log(`${reports.length} case${reports.length === 1 ? '' : 's'}: ${reports.reduce((sum, report) => sum + report.written, 0)} changes written, ${unrepaired} not repaired`);
  process.exitCode = unrepaired === 0 ? 0 : 1;
} finally {
  await temporal.onApplicationShutdown();
  await orm.close(true);
}
