import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config/app-config.js';
import { AuditVerifier } from '../modules/audit/audit-verifier.service.js';
import { createOrmOptions } from '../modules/platform/database/orm-config.js';

/**
 * Walks the audit hash chains in the case store and says whether they are intact, or where each
 * broken chain first breaks and why. Exit status 0 when intact, 1 when not.
 *   npm run audit:verify                (every case)
 *   npm run audit:verify -- <reference> (one case)
 * Reads DATABASE_URL like the API (the embedded database must be running: npm run dev).
 */
const reference = process.argv[2];
// The options' entity list is readonly, which the driver's ORM type does not accept as is.
const orm = (await MikroORM.init(createOrmOptions(loadConfig().database))) as unknown as MikroORM;
try {
  const report = await new AuditVerifier(orm).verify(reference, (done, total) => {
    if (process.stdout.isTTY) process.stdout.write(`\r  verifying ${done}/${total} cases`);
  });
  if (process.stdout.isTTY) process.stdout.write('\n');
  console.log(`${report.cases} case${report.cases === 1 ? '' : 's'}, ${report.entries} audit entries: ${report.intact ? 'intact' : `${report.broken.length} broken`}`);
  for (const entry of report.broken) console.log(`  ${entry.reference} entry ${entry.sequence}${entry.entryId ? ` (${entry.entryId})` : ''}: ${entry.reason}`);
  process.exitCode = report.intact ? 0 : 1;
} finally {
  await orm.close(true);
}
