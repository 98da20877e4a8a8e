import { Injectable } from '@nestjs/common';
import { DatabaseNotifications } from '../platform/database/notifications.js';
import { StoreDatabase } from '../platform/database/store-db.js';
import { CASE_WRITTEN_CHANNEL } from './case-store.service.js';

/** How often a waiter looks again unwoken: a notification lost while the listening connection was down. */
const RECHECK_MS = 250;

interface StoreState {
  version: number;
  givenUp: boolean;
}

interface Waiter {
  version: number;
  wake(): void;
}

/**
 * Waits for the case store to show a change the workflow has made. A case's workflow answers a
 * command as soon as the command is its own (the history holds it), and writes the change straight
 * after; the API waits here before it answers, so that whoever sent the command reads it back from
 * the queue, the case view and the figures at once. Each written change notifies the
 * `case_written` channel with its case's reference; one listening connection per process wakes the
 * waiters for that case, and each waiter also looks again every RECHECK_MS.
 */
@Injectable()
export class CaseStoreWatch {
  private readonly waiters = new Map<string, Set<Waiter>>();
  /**
   * One read of a case's store state at a time, shared by all its waiters (fifty commands at once
   * to one case would otherwise read it fifty times on every write); a notification starts a new
   * generation, so nobody woken by it joins a read begun before the write it announces.
   */
  private readonly reads = new Map<string, { generation: number; read: Promise<StoreState> }>();
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly store: StoreDatabase,
    private readonly notifications: DatabaseNotifications,
  ) {}

  /**
   * Resolves true once the store holds `version` of the case (or a later one); false when
   * `deadline` passes first, or when the store has given up a write of this case (an unsettled
   * store alert names it: administrators repair it, and nobody should wait for that).
   */
  async written(reference: string, version: number, deadline: number): Promise<boolean> {
    // Listening is a speed-up only: without it the waiter still looks again every RECHECK_MS.
    await this.notifications.listen(CASE_WRITTEN_CHANNEL, this.onWritten).catch(() => undefined);
    let wake: () => void = () => undefined;
    const waiter: Waiter = { version, wake: () => wake() };
    let set = this.waiters.get(reference);
    if (!set) this.waiters.set(reference, (set = new Set()));
    set.add(waiter);
    try {
      for (;;) {
        // Woken from here on: a notification that comes while the store is read is not missed.
        const woken = new Promise<void>((resolve) => (wake = resolve));
        // A store that cannot be read (an outage) is looked at again until the deadline.
        const state = await this.state(reference).catch(() => null);
        if (state && state.version >= version) return true;
        if (state?.givenUp) return false;
        const left = deadline - Date.now();
        if (left <= 0) return false;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([woken, new Promise((resolve) => (timer = setTimeout(resolve, Math.min(left, RECHECK_MS))))]);
        clearTimeout(timer);
      }
    } finally {
      set.delete(waiter);
      if (set.size === 0) {
        this.waiters.delete(reference);
        this.generations.delete(reference);
      }
    }
  }

  private state(reference: string): Promise<StoreState> {
    const generation = this.generations.get(reference) ?? 0;
    const shared = this.reads.get(reference);
    if (shared?.generation === generation) return shared.read;
    const read = this.store.db
      .selectNoFrom((eb) => [
        eb.selectFrom('contact_case').select('version').where('reference', '=', reference).as('version'),
        eb.exists(eb.selectFrom('store_alert').select('id').where('reference', '=', reference).where('resolved_at', 'is', null)).as('given_up'),
      ])
      .executeTakeFirstOrThrow()
      .then((row) => ({ version: row.version ?? 0, givenUp: row.given_up === true }))
      .finally(() => {
        if (this.reads.get(reference)?.read === read) this.reads.delete(reference);
      });
    this.reads.set(reference, { generation, read });
    return read;
  }

  private readonly onWritten = (reference: string) => {
    const waiting = this.waiters.get(reference);
    if (!waiting) return;
    this.generations.set(reference, (this.generations.get(reference) ?? 0) + 1);
    for (const waiter of waiting) waiter.wake();
  };
}
