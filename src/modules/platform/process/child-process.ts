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

/** Ports this process has handed out already: never the same one twice. */
const handedOut = new Set<number>();

/**
 * A TCP port free on loopback right now, for a server a test or the dev command is about to start.
 * It is drawn from below the system's ephemeral range (32768 and up on Linux): a port the system
 * chose would be free to it again at once, so an outgoing connection made meanwhile could take it
 * before the server binds it ("address already in use"). Below 32768 only a server asks for it.
 * The real Temporal server needs this anyway: it keeps its services' ports in a SMALLINT column.
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.unref();
      server.once('error', () => resolve(false));
      server.listen(port, host, () => server.close(() => resolve(true)));
    });
    if (free) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('No free port from 20000 to 31999 on loopback');
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
