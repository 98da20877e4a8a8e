import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type Environment } from '../config/app-config.js';

/**
 * Where scripts/setup.sh caches the CLI it builds from Go modules (outside the repository): under
 * `XDG_CACHE_HOME`, else `~/.cache`.
 */
export function cachedTemporalCliPath(environment: Environment): string {
  return join(environment.XDG_CACHE_HOME || join(homedir(), '.cache'), 'police-contact', 'bin', 'temporal');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Temporal CLI to run: the configured one (`TEMPORAL_CLI`), else `temporal` on the
 * environment's PATH, else the cached build. The caller hands over the process's environment.
 */
export function resolveTemporalCli(configured: string | undefined, environment: Environment): string {
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`TEMPORAL_CLI names ${configured}, which is not an executable file`);
    return configured;
  }
  for (const dir of (environment.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, 'temporal'))) return join(dir, 'temporal');
  }
  const cached = cachedTemporalCliPath(environment);
  if (isExecutable(cached)) return cached;
  throw new Error('No Temporal CLI found: run `npm run setup` (it builds one with `go install`), or set TEMPORAL_CLI');
}
