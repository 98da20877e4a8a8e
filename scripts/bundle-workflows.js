// Prebuilds the workflow bundle at build time, so that a worker starts without running webpack and
// runs exactly the workflow code that was built.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const workflowsPath = fileURLToPath(new URL('../dist/workflows/index.js', import.meta.url));
const output = fileURLToPath(new URL('../dist/workflow-bundle.js', import.meta.url));
// The tracing interceptors (src/workflows/tracing-interceptors.ts) trace a case's workflow when it
// was started inside a trace; its spans leave through the worker's `exporter` sink.
const workflowInterceptorModules = [fileURLToPath(new URL('../dist/workflows/tracing-interceptors.js', import.meta.url))];
const { code } = await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules, logger: { info() {}, warn: console.warn, error: console.error, debug() {}, trace() {}, log() {} } });
await writeFile(output, code);
