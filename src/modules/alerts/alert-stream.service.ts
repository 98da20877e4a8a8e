import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import { type AppConfig } from '../../config/app-config.js';
import { DatabaseNotifications } from '../database/notifications.js';
import { AppLogger } from '../logging/app-logger.js';
import { AlertQueries, type AlertView, type StreamCursor } from './alert-queries.service.js';

/** The channel each insert into `case_alert` notifies when it commits (a trigger of the alerts migration). */
export const ALERT_CHANNEL = 'case_alert';
const BATCH = 200;
/** How often a stream looks again without being woken: for alerts held back behind a transaction still running, or a notification lost. */
const RECHECK_MS = 1_000;

export interface AlertSubscriber {
  roles: readonly string[];
  cursor: StreamCursor;
  send(cursor: StreamCursor, alert: AlertView): void;
  heartbeat(): void;
  end(): void;
}

interface Subscription extends AlertSubscriber {
  reading: boolean;
  again: boolean;
}

/**
 * The live alert stream of one API process. A notification on the `case_alert` channel (or a
 * periodic recheck) wakes every open stream, which reads what is new for its
 * roles after its own cursor. The database is the only shared state, so any number of API
 * replicas serve streams, and a client that reconnects to another replica with its last event id
 * resumes exactly where it was.
 */
@Injectable()
export class AlertStream implements OnModuleDestroy {
  private readonly subscriptions = new Set<Subscription>();
  private readonly wake = () => this.wakeAll();
  private timer?: NodeJS.Timeout;
  private heartbeats?: NodeJS.Timeout;
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queries: AlertQueries,
    private readonly notifications: DatabaseNotifications,
    private readonly logger: AppLogger,
  ) {}

  /** Opens a stream: alerts for `roles` after the cursor are sent as they are written. Returns its closer. */
  async subscribe(subscriber: AlertSubscriber): Promise<() => void> {
    if (this.closed) throw new Error('The alert stream is shutting down');
    await this.notifications.listen(ALERT_CHANNEL, this.wake);
    const subscription: Subscription = { ...subscriber, reading: false, again: false };
    this.subscriptions.add(subscription);
    this.timer ??= setInterval(() => this.wakeAll(), RECHECK_MS);
    this.heartbeats ??= setInterval(() => {
      for (const open of this.subscriptions) open.heartbeat();
    }, this.config.alerts.streamHeartbeatSeconds * 1_000);
    void this.read(subscription);
    return () => this.unsubscribe(subscription);
  }

  get openStreams(): number {
    return this.subscriptions.size;
  }

  private unsubscribe(subscription: Subscription): void {
    this.subscriptions.delete(subscription);
    if (this.subscriptions.size === 0) {
      clearInterval(this.timer);
      clearInterval(this.heartbeats);
      this.timer = undefined;
      this.heartbeats = undefined;
    }
  }

  private wakeAll(): void {
    for (const subscription of this.subscriptions) void this.read(subscription);
  }

  /** Reads and sends what is new for one stream; a wake-up while it reads makes it read once more. */
  private async read(subscription: Subscription): Promise<void> {
    if (subscription.reading) {
      subscription.again = true;
      return;
    }
    subscription.reading = true;
    try {
      do {
        subscription.again = false;
        const batch = await this.queries.streamBatch(subscription.roles, subscription.cursor, BATCH);
        for (const { cursor, alert } of batch) {
          if (!this.subscriptions.has(subscription)) return;
          subscription.send(cursor, alert);
          subscription.cursor = cursor;
        }
        if (batch.length === BATCH) subscription.again = true;
      } while (subscription.again && this.subscriptions.has(subscription));
    } catch (error) {
      this.logger.warn({ msg: 'alert stream read failed; it tries again', error: (error as Error).message }, 'Alerts');
    } finally {
      subscription.reading = false;
    }
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const subscription of [...this.subscriptions]) {
      this.unsubscribe(subscription);
      subscription.end();
    }
  }
}
