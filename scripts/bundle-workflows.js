// Prebuilds the workflow bundle at build time, so that a worker starts without running webpack and
// runs exactly the workflow code that was built.
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const workflowsPath = fileURLToPath(new URL('../dist/workflows/index.js', import.meta.url));
const output = fileURLToPath(new URL('../dist/workflow-bundle.js', import.meta.url));
// The OpenTelemetry interceptors trace each workflow's work; its spans leave through the worker's
// `exporter` sink, which drops them unless tracing is on (see src/modules/telemetry/tracing.ts).
const workflowInterceptorModules = [createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];
const { code } = await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules, logger: { info() {}, warn: console.warn, error: console.error, debug() {}, trace() {}, log() {} } });
await writeFile(output, code);
