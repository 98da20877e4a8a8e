import { loadConfig } from '../config/app-config.js';
import { waitUntil } from '../modules/platform/process/child-process.js';
import { readDevAddresses } from '../dev/dev-run-files.js';
import { signAccessToken } from '../modules/platform/access/access-token.js';
import { DEVELOPMENT_ALGORITHM, loadOrCreateDevelopmentSigningKey } from '../modules/platform/access/development-signing-key.js';
import { Role } from '../domain/roles.js';
import { ApiClient } from './api-client.js';
import { demoScenarios, type DemoStaff, runScenario } from './demo-scenarios.js';
import { browserPageLines } from '../modules/platform/browser-pages.js';

/**
 * Feeds a realistic mix of contacts into the running system (`npm run dev` in another terminal):
 *   npm run demo
 * Every channel, IR web submissions, domestic abuse and sexual offence reports, cases worked to each
 * outcome, and some left waiting, so that the queue and the Temporal UI show a working control room.
 */
// The demo runs against the dev command's installation, as development.
process.env.NODE_ENV ??= 'development';
const config = loadConfig();
if (config.auth.keys.kind !== 'development') {
  console.error('The demo signs its own tokens with the development key, so it runs only against the embedded configuration.');
  process.exit(2);
}
// The addresses the running system printed (the same data directory), else those its settings give.
const running = readDevAddresses(config.dataDir);
const apiUrl = running?.apiUrl ?? `http://${config.api.host}:${config.api.port}`;
const temporalUiUrl = running?.temporalUiUrl ?? `http://${config.api.host}:${config.temporal.uiPort}/namespaces/${config.temporal.namespace}/workflows`;
await waitUntil(async () => ((await fetch(`${apiUrl}/health`)).status === 200 ? true : undefined), {
  timeoutMs: 120_000,
  intervalMs: 1_000,
  what: `the system at ${apiUrl} (start it with npm run dev)`,
});

const key = await loadOrCreateDevelopmentSigningKey(config.auth.keys.keyFile);
const as = async (role: Role, subject: string) =>
  new ApiClient(
    apiUrl,
    await signAccessToken(
      { privateJwk: key.privateJwk, kid: key.kid, alg: DEVELOPMENT_ALGORITHM },
      { subject, roles: [role], issuer: config.auth.issuer, audience: config.auth.audience, ttlSeconds: 3600 },
    ),
  );
const staff: DemoStaff = {
  handler: await as(Role.ContactHandler, 'pc-demo'),
  supervisor: await as(Role.TeamLeader, 'sgt-demo'),
  registrar: await as(Role.CrimeRegistrar, 'registrar-demo'),
};

const started = Date.now();
const results: Array<{ reference: string; stage: string; riskMarker: unknown; channel: string }> = [];
const queue = demoScenarios.map((scenario, index) => ({ scenario, index }));
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const result = await runScenario(next.scenario, staff, next.index);
      results.push({ ...result, channel: next.scenario.channel });
    }
  }),
);

results.sort((a, b) => a.reference.localeCompare(b.reference));
console.log(`\n${results.length} contacts in ${((Date.now() - started) / 1000).toFixed(1)} s:\n`);
for (const result of results) {
  console.log(`  ${result.reference}  ${result.channel.padEnd(19)} ${(result.riskMarker === 'IR' ? 'IR' : '').padEnd(3)} ${result.stage}`);
}
console.log(`
  The queue:       curl -H "Authorization: Bearer $(npm run --silent token -- --role contact-handler --sub pc-1)" ${apiUrl}/api/v1/contacts
  Temporal UI:     ${temporalUiUrl}
${browserPageLines(apiUrl, 16, ':').join('\n')}
  Open IR cases:   add the filter  CaseRiskMarker = "IR" AND ExecutionStatus = "Running"
`);
