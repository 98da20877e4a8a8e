/** A repeat within this window is the same stop request delivered twice (npm forwards Ctrl-C to its child). */
const DUPLICATE_WINDOW_MS = 2_000;

/**
 * The process's one owner of shutdown signals: resolves with the first SIGINT or SIGTERM. A later
 * signal while shutting down forces the exit, after `onForced` has had its say.
 */
export function untilShutdownSignal(onForced: (signal: NodeJS.Signals) => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let firstAt: number | undefined;
    const handle = (signal: NodeJS.Signals) => {
      if (firstAt === undefined) {
        firstAt = Date.now();
        resolve(signal);
        return;
      }
      if (Date.now() - firstAt < DUPLICATE_WINDOW_MS) return;
      onForced(signal);
      process.exit(130);
    };
    process.on('SIGINT', handle);
    process.on('SIGTERM', handle);
  });
}

/** Rejects if the work has not finished within the time allowed. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
