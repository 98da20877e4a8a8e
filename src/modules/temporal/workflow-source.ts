import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the worker gets its workflow code: the bundle prebuilt by `npm run build` when there is one
 * (fast start, and the exact code that was built), else the workflow sources, bundled at start.
 */
export function workflowSource(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const bundle = fileURLToPath(new URL('../../workflow-bundle.js', import.meta.url));
  if (existsSync(bundle)) return { workflowBundle: { codePath: bundle } };
  for (const candidate of ['../../workflows/index.js', '../../workflows/index.ts']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return { workflowsPath: path };
  }
  throw new Error('Workflow code not found: run `npm run build`');
}
