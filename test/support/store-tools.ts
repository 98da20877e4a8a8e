import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type AppConfig, configToEnvironment } from '../../src/config/app-config.js';

const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));

/** Runs a built command-line tool against a suite's system, as an operator runs it (`npm run …`). */
export function runTool(script: string, config: AppConfig, args: string[] = []): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [dist(script), ...args], { env: { ...process.env, ...configToEnvironment(config) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `npm run audit:reconcile` on the suite's system: its exit status and what it printed. */
export const reconcile = (config: AppConfig, references: string[] = []) => runTool('cli/audit-reconcile.js', config, references);

/** `npm run store:resync` on the suite's system. */
export const resync = (config: AppConfig, references: string[]) => runTool('cli/store-resync.js', config, references);
