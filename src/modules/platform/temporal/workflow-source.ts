import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The traced bundle's interceptors hand their spans to the `exporter` sink. Every worker and
 * replayer registers it: this one drops them (a replay); a worker with tracing on puts its own in
 * its place.
 */
const droppedSpans = { exporter: { export: { fn: () => undefined } } };

type Source = { workflowBundle: { codePath: string } } | { workflowsPath: string; interceptors?: { workflowModules: string[] } };

/**
 * Where the worker gets its workflow code: a bundle prebuilt by `npm run build` when there is one
 * (fast start, and the exact code that was built), else the workflow sources, bundled at start; and
 * the sink the workflow interceptors call. `traced`: with the tracing interceptors
 * (src/workflows/tracing-interceptors.ts), for a worker with tracing on. Without them a workflow
 * makes no spans at all: their cost is paid only where tracing is on.
 */
export function workflowSource(options: { traced?: boolean } = {}): Source & { sinks: typeof droppedSpans } {
  const bundle = fileURLToPath(new URL(options.traced ? '../../../workflow-bundle-traced.js' : '../../../workflow-bundle.js', import.meta.url));
  if (existsSync(bundle)) return { workflowBundle: { codePath: bundle }, sinks: droppedSpans };
  for (const extension of ['js', 'ts']) {
    const path = fileURLToPath(new URL(`../../../workflows/index.${extension}`, import.meta.url));
    const tracing = fileURLToPath(new URL(`../../../workflows/tracing-interceptors.${extension}`, import.meta.url));
    if (existsSync(path)) return { workflowsPath: path, ...(options.traced ? { interceptors: { workflowModules: [tracing] } } : {}), sinks: droppedSpans };
  }
  throw new Error('Workflow code not found: run `npm run build`');
}
