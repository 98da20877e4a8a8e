import { parseArgs } from 'node:util';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../config/app-config.js';
import { savedViews, savedViewUrl } from '../infra/saved-views.js';
import { registerSearchAttributes } from '../infra/search-attribute-registration.js';
import { temporalConnectionSettings } from '../modules/temporal/temporal-connection-options.js';

/**
 * Prepares a Temporal namespace for the system (a production cluster's, or any other): registers
 * the case search attributes that are missing, then prints the supervisors' saved views as links
 * into the Temporal Web UI.
 *   npm run temporal:setup -- [--ui-url https://temporal-ui.force.example]
 * Reads TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and the TLS or API key settings like the API does.
 */
const { values } = parseArgs({ options: { 'ui-url': { type: 'string' } } });
const config = loadConfig();
const uiUrl = values['ui-url'] ?? `http://127.0.0.1:${config.temporal.uiPort}`;
const connection = await Connection.connect(temporalConnectionSettings(config.temporal));
try {
  const added = await registerSearchAttributes(connection, config.temporal.namespace);
  console.log(
    added.length > 0
      ? `Registered on ${config.temporal.namespace}: ${added.join(', ')}`
      : `Every case search attribute is already registered on ${config.temporal.namespace}`,
  );
  console.log('\nSaved views (open in the Temporal UI, then save the filter):');
  for (const view of savedViews) console.log(`\n  ${view.name}\n    ${view.query}\n    ${savedViewUrl(uiUrl, config.temporal.namespace, view.query)}`);
} finally {
  await connection.close();
}
