import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The workflow bundle's tracing interceptors hand their spans to the `exporter` sink. Every worker
 * and replayer registers it: this one drops them (a traced case replayed, or run by a worker with
 * tracing off); the worker's own takes its place when tracing is on.
 */
const droppedSpans = { exporter: { export: { fn: () => undefined } } };

type Source = { workflowBundle: { codePath: string } } | { workflowsPath: string; interceptors: { workflowModules: string[] } };

/**
 * Where the worker gets its workflow code: the bundle prebuilt by `npm run build` when there is one
 * (fast start, and the exact code that was built), else the workflow sources, bundled at start; and
 * the sink the workflow interceptors call.
 */
export function workflowSource(): Source & { sinks: typeof droppedSpans } {
  const bundle = fileURLToPath(new URL('../../workflow-bundle.js', import.meta.url));
  if (existsSync(bundle)) return { workflowBundle: { codePath: bundle }, sinks: droppedSpans };
  for (const extension of ['js', 'ts']) {
    const path = fileURLToPath(new URL(`../../workflows/index.${extension}`, import.meta.url));
    // The same workflow interceptors as scripts/bundle-workflows.js puts in the bundle.
    const tracing = fileURLToPath(new URL(`../../workflows/tracing-interceptors.${extension}`, import.meta.url));
    if (existsSync(path)) return { workflowsPath: path, interceptors: { workflowModules: [tracing] }, sinks: droppedSpans };
  }
  throw new Error('Workflow code not found: run `npm run build`');
}
