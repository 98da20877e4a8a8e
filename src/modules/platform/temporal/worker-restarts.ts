/**
 * How an activity asks the worker process that runs it to restart its Temporal worker (a
 * continuity drill's restart): the worker service registers itself here when it starts. The
 * restart happens after the asking activity has answered, so that its result is not lost with it.
 */
export type WorkerRestartHandler = (downMs: number) => Promise<void>;

let handler: WorkerRestartHandler | undefined;

export const workerRestarts = {
  register(restart: WorkerRestartHandler): void {
    handler = restart;
  },
  /** Schedules the restart; false when this process hosts no worker. */
  request(downMs: number): boolean {
    const restart = handler;
    if (!restart) return false;
    setTimeout(() => void restart(downMs), 200);
    return true;
  },
};
