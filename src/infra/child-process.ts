import { type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Resolves when the child has exited (immediately if it already has). */
export function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Asks a child to stop, and kills it if it has not stopped within the grace period. */
export async function stopChild(child: ChildProcess, graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = waitForExit(child);
  child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

/** A TCP port that is free on loopback right now. */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A TCP port below 32768 that is free on loopback right now (the real Temporal server keeps its
 * services' ports in a SMALLINT column, so the system's ephemeral ports will not do).
 */
export async function findFreeLowPort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.unref();
      server.once('error', () => resolve(false));
      server.listen(port, host, () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('No free port below 32768 on loopback');
}

export async function waitUntil<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs, intervalMs = 200, what }: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
}

/**
 * Collects a server's output a line at a time: each line goes to `onLine` (when given), and the
 * last `keep` lines are kept for the error message should the server fail to start.
 */
export function collectOutput(child: ChildProcess, onLine?: (line: string) => void, keep = 50): string[] {
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > keep) lines.shift();
      onLine?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return lines;
}

/**
 * Waits until `ready` resolves, unless the child exits first: then it says so with the child's last
 * output. Either failure stops the child before it is thrown.
 */
export async function readyUnlessExited(child: ChildProcess, ready: Promise<unknown>, name: string, output: readonly string[]): Promise<void> {
  const exitedEarly = new Promise<never>((_, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited (code ${code}) before it was ready:\n${output.join('\n')}`)));
  });
  exitedEarly.catch(() => undefined);
  try {
    await Promise.race([ready, exitedEarly]);
  } catch (error) {
    await stopChild(child, 5_000);
    throw error;
  }
}
