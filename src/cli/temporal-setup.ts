import { parseArgs } from 'node:util';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../config/app-config.js';
import { savedViews, savedViewUrl } from '../modules/platform/temporal/saved-views.js';
import { ensureNamespace, registerSearchAttributes } from '../modules/platform/temporal/search-attribute-registration.js';
import { temporalConnectionSettings } from '../modules/platform/temporal/temporal-connection-options.js';

/**
 * Prepares a Temporal namespace for the system (a production cluster's, or any other): creates the
 * namespace when it is missing (with a retention), registers the case search attributes that are
 * missing, then prints the supervisors' saved views (as links into the Temporal Web UI with
 * `--ui-url`).
 *   npm run temporal:setup -- [--retention-days 30] [--ui-url https://temporal-ui.force.example]
 * Reads TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and the TLS or API key settings like the API does.
 */
const { values } = parseArgs({ options: { 'ui-url': { type: 'string' }, 'retention-days': { type: 'string', default: '30' } } });
const retentionDays = Number(values['retention-days']);
if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650) {
  console.error('--retention-days must be a whole number of days, 1 to 3650');
  process.exit(2);
}
const config = loadConfig();
const { address, namespace } = config.temporal;
let connection: Connection;
try {
  connection = await Connection.connect({ ...temporalConnectionSettings(config.temporal), connectTimeout: 10_000 });
} catch (error) {
  console.error(`Cannot reach Temporal at ${address} (TEMPORAL_ADDRESS): ${(error as Error).message}`);
  process.exit(1);
}
try {
  const namespaceState = await ensureNamespace(connection, namespace, retentionDays);
  console.log(
    namespaceState === 'created'
      ? `Created the namespace ${namespace} on ${address}, keeping closed workflows for ${retentionDays} days (the case store keeps every closed case's history beyond that)`
      : `The namespace ${namespace} is there on ${address}`,
  );
  const added = await registerSearchAttributes(connection, namespace);
  console.log(added.length > 0 ? `Registered on ${namespace}: ${added.join(', ')}` : `Every case search attribute is already registered on ${namespace}`);
  const uiUrl = values['ui-url'];
  console.log(`\nSaved views (${uiUrl ? 'open a link in the Temporal UI, then save the filter' : 'paste a query into the Temporal UI, then save the filter; give --ui-url for links'}):`);
  for (const view of savedViews) console.log(`\n  ${view.name}\n    ${view.query}${uiUrl ? `\n    ${savedViewUrl(uiUrl, namespace, view.query)}` : ''}`);
} catch (error) {
  console.error(`Could not set up ${namespace} on ${address}: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await connection.close();
}
