import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The processes a run of the dev command started, by name (`temporal`, `postgres`, `worker`, `api`). */
export function readPidFile(pidFile: string): Map<string, number> {
  const lines = readFileSync(pidFile, 'utf8').split('\n').filter((line) => line.trim());
  return new Map(lines.map((line) => line.trim().split(/\s+/)).map(([name, pid]) => [name, Number(pid)] as const));
}

/** Where a running dev command serves, as it printed it: what other commands (the demo) point people to. */
export interface DevAddresses {
  apiUrl: string;
  temporalUiUrl: string;
  namespace: string;
}

export const devAddressesFile = (dataDir: string) => join(dataDir, 'dev.addresses.json');

export function writeDevAddresses(dataDir: string, addresses: DevAddresses): void {
  writeFileSync(devAddressesFile(dataDir), `${JSON.stringify(addresses, null, 2)}\n`);
}

/** The addresses of the dev command running on this data directory, or undefined when none is. */
export function readDevAddresses(dataDir: string): DevAddresses | undefined {
  const file = devAddressesFile(dataDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DevAddresses) : undefined;
}
