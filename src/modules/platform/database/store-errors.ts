/**
 * Whether a failed write may succeed if tried again. An outage (the server down, restarting, out of
 * connections, a deadlock or serialisation failure) passes; a data error (a value the database
 * refuses, a broken constraint, a bug that builds a bad statement) fails the same way every time.
 */
export type StoreErrorKind = 'transient' | 'data';

/** SQLSTATE classes that mean the database could not do it just now: connection, resources, operator, system, rollback. */
const TRANSIENT_CLASSES = new Set(['08', '53', '57', '58', '40']);
const TRANSIENT_CODES = new Set(['55P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

export function storeErrorKind(error: unknown): StoreErrorKind {
  for (let current = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 5; depth++) {
    const code = typeof current.code === 'string' ? current.code : undefined;
    if (code && (TRANSIENT_CODES.has(code) || (code.length === 5 && TRANSIENT_CLASSES.has(code.slice(0, 2))))) return 'transient';
    if (typeof current.message === 'string' && /Connection terminated|connection timeout exceeded|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(current.message)) {
      return 'transient';
    }
    current = current.cause as typeof current;
  }
  return 'data';
}

/** What a failed write may say of itself: its kind and PostgreSQL's codes, never its message (which can quote case data). */
export function failureFields(error: unknown): { errorName: string; sqlState?: string; constraint?: string; routine?: string } {
  const failure = error as { name?: string; code?: string; constraint?: string; routine?: string };
  return { errorName: failure.name ?? typeof error, sqlState: typeof failure.code === 'string' && failure.code.length === 5 ? failure.code : undefined, constraint: failure.constraint, routine: failure.routine };
}
