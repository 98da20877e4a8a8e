import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The OpenTelemetry interceptors' workflow side (its spans go out through the `exporter` sink). */
export const workflowTracingModule = createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/**
 * Where the worker gets its workflow code: the bundle prebuilt by `npm run build` when there is one
 * (fast start, and the exact code that was built), else the workflow sources, bundled at start.
 */
export function workflowSource(): { workflowBundle: { codePath: string } } | { workflowsPath: string; interceptors: { workflowModules: string[] } } {
  const bundle = fileURLToPath(new URL('../../workflow-bundle.js', import.meta.url));
  if (existsSync(bundle)) return { workflowBundle: { codePath: bundle } };
  for (const candidate of ['../../workflows/index.js', '../../workflows/index.ts']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    // The same workflow interceptors as scripts/bundle-workflows.js puts in the bundle.
    if (existsSync(path)) return { workflowsPath: path, interceptors: { workflowModules: [workflowTracingModule] } };
  }
  throw new Error('Workflow code not found: run `npm run build`');
}
