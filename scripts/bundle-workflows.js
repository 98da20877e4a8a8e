// Prebuilds the workflow bundles at build time, so that a worker starts without running webpack and
// runs exactly the workflow code that was built: `workflow-bundle.js`, and
// `workflow-bundle-traced.js` with the tracing interceptors (src/workflows/tracing-interceptors.ts),
// which a worker with tracing on runs. Apart from them the two are the same code, and the
// interceptors add headers, never commands, so a case replays on either.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const dist = (file) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
const logger = { info() {}, warn: console.warn, error: console.error, debug() {}, trace() {}, log() {} };
const workflowsPath = dist('workflows/index.js');
const [plain, traced] = await Promise.all([
  bundleWorkflowCode({ workflowsPath, logger }),
  bundleWorkflowCode({ workflowsPath, workflowInterceptorModules: [dist('workflows/tracing-interceptors.js')], logger }),
]);
await writeFile(dist('workflow-bundle.js'), plain.code);
await writeFile(dist('workflow-bundle-traced.js'), traced.code);
