import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Where scripts/setup.sh caches the CLI it builds from Go modules (outside the repository). */
export function cachedTemporalCliPath(cacheHome = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache')): string {
  return join(cacheHome, 'police-contact', 'bin', 'temporal');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Temporal CLI to run: the configured one, else `temporal` on PATH, else the cached build. */
export function resolveTemporalCli(configured?: string): string {
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`TEMPORAL_CLI names ${configured}, which is not an executable file`);
    return configured;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, 'temporal'))) return join(dir, 'temporal');
  }
  const cached = cachedTemporalCliPath();
  if (isExecutable(cached)) return cached;
  throw new Error('No Temporal CLI found: run `npm run setup` (it builds one with `go install`), or set TEMPORAL_CLI');
}
