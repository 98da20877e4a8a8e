import { hostname } from 'node:os';

/** How this worker process names itself to Temporal and in the rows its activities write. */
export const workerIdentity = (): string => `${hostname()}:${process.pid}`;
