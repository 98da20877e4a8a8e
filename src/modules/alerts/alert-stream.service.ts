import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import { type AppConfig } from '../../config/app-config.js';
import { DatabaseNotifications } from '../platform/database/notifications.js';
import { AppLogger } from '../platform/logging/app-logger.js';
import { AlertQueries, type AlertView, type StreamCursor } from './alert-queries.service.js';
import { scrapedGauge } from '../platform/telemetry/metrics.js';

/** The channel each insert into `case_alert` notifies when it commits (a trigger of the alerts migration). */
export const ALERT_CHANNEL = 'case_alert';
const BATCH = 200;
/** How often the feed looks again without being woken: for alerts held back behind a transaction still running, or a notification lost. */
const RECHECK_MS = 1_000;

export interface AlertSubscriber {
  /** Who opened it: the limit of streams is counted per subject. */
  subject: string;
  roles: readonly string[];
  cursor: StreamCursor;
  send(cursor: StreamCursor, alert: AlertView): void;
  heartbeat(): void;
  end(): void;
}

interface Subscription extends AlertSubscriber {
  /** Joined the shared feed: everything up to the feed's head has been sent to it. */
  live: boolean;
}

/** Why a stream was not opened: past the limit for its subject, or for this process. */
export class StreamLimitError extends Error {
  constructor(
    readonly limit: 'subject' | 'process',
    readonly allowed: number,
  ) {
    super(limit === 'subject' ? `At most ${allowed} alert streams may be open for one person` : `This API process has its ${allowed} alert streams open`);
    this.name = 'StreamLimitError';
  }
}

/**
 * The live alert stream of one API process. One feed reads every new alert once (woken by a
 * notification on the `case_alert` channel, or every second) and hands each to the open streams
 * whose roles it is addressed to: the database sees one query a second per process, however many
 * streams are open. A stream that starts behind the feed (it resumes from an older `Last-Event-ID`)
 * first reads its own way up to the feed's head, then joins it. The database is the only shared
 * state, so any number of API replicas serve streams, and a client that reconnects to another
 * replica with its last event id resumes exactly where it was.
 *
 * Streams are bounded: ALERT_STREAMS_PER_SUBJECT for one person, ALERT_STREAMS_PER_PROCESS in all.
 */
@Injectable()
export class AlertStream implements OnModuleDestroy {
  private readonly subscriptions = new Set<Subscription>();
  private readonly bySubject = new Map<string, number>();
  private readonly wake = () => void this.readFeed();
  /** Everything up to here has been read by the feed and handed to every live stream. */
  private head?: StreamCursor;
  private reading = false;
  private again = false;
  /** Streams waiting for the feed to move on (they are ahead of it). */
  private waiting: Array<() => void> = [];
  private timer?: NodeJS.Timeout;
  private heartbeats?: NodeJS.Timeout;
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queries: AlertQueries,
    private readonly notifications: DatabaseNotifications,
    private readonly logger: AppLogger,
  ) {
    scrapedGauge({ name: 'pcm_alert_streams_open', help: 'Alert streams (server-sent events) open on this API process', read: (gauge) => gauge.set(this.subscriptions.size) });
  }

  /**
   * Opens a stream: alerts for `roles` after the cursor are sent as they are written. Returns its
   * closer. Throws StreamLimitError past a limit.
   */
  async subscribe(subscriber: AlertSubscriber): Promise<() => void> {
    if (this.closed) throw new Error('The alert stream is shutting down');
    const { streamsPerSubject: perSubject, streamsPerProcess: perProcess } = this.config.alerts;
    // Counted and taken before any wait, so that streams opened at once cannot pass the limits together.
    if ((this.bySubject.get(subscriber.subject) ?? 0) >= perSubject) throw new StreamLimitError('subject', perSubject);
    if (this.subscriptions.size >= perProcess) throw new StreamLimitError('process', perProcess);
    const subscription: Subscription = { ...subscriber, live: false };
    this.subscriptions.add(subscription);
    this.bySubject.set(subscriber.subject, (this.bySubject.get(subscriber.subject) ?? 0) + 1);
    try {
      await this.notifications.listen(ALERT_CHANNEL, this.wake);
    } catch (error) {
      this.unsubscribe(subscription);
      throw error;
    }
    this.timer ??= setInterval(() => {
      void this.readFeed();
      this.release();
    }, RECHECK_MS);
    this.heartbeats ??= setInterval(() => {
      for (const open of this.subscriptions) open.heartbeat();
    }, this.config.alerts.streamHeartbeatSeconds * 1_000);
    void this.join(subscription);
    return () => this.unsubscribe(subscription);
  }

  get openStreams(): number {
    return this.subscriptions.size;
  }

  private unsubscribe(subscription: Subscription): void {
    if (!this.subscriptions.delete(subscription)) return;
    const left = (this.bySubject.get(subscription.subject) ?? 1) - 1;
    if (left === 0) this.bySubject.delete(subscription.subject);
    else this.bySubject.set(subscription.subject, left);
    if (this.subscriptions.size === 0) {
      clearInterval(this.timer);
      clearInterval(this.heartbeats);
      this.timer = undefined;
      this.heartbeats = undefined;
      // With nobody listening the feed stops; the next stream starts it again from its own cursor.
      this.head = undefined;
      this.release();
    }
  }

  /** Wakes the streams waiting for the feed to move. */
  private release(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resume of waiting) resume();
  }

  /**
   * Brings a new stream up to the feed's head by reading its own alerts (bounded by the head), then
   * joins it to the feed. The head may move while it reads: it reads again up to the new one.
   */
  private async join(subscription: Subscription): Promise<void> {
    try {
      while (this.subscriptions.has(subscription)) {
        if (this.head === undefined) {
          this.head = subscription.cursor;
          subscription.live = true;
          void this.readFeed();
          return;
        }
        const upTo = this.head;
        if (await this.queries.cursorAfter(subscription.cursor, upTo)) {
          // Ahead of the feed (it resumes from another replica's newer event): wait for the feed.
          await new Promise<void>((resume) => this.waiting.push(resume));
          continue;
        }
        const batch = await this.queries.streamBatch(subscription.roles, subscription.cursor, BATCH, { upTo });
        for (const { cursor, alert } of batch) {
          if (!this.subscriptions.has(subscription)) return;
          subscription.send(cursor, alert);
          subscription.cursor = cursor;
        }
        if (batch.length === BATCH) continue;
        if (this.head === upTo) {
          subscription.cursor = upTo;
          subscription.live = true;
          return;
        }
      }
    } catch (error) {
      if (!this.subscriptions.has(subscription)) return;
      this.logger.warn({ msg: 'alert stream could not catch up; it ends, and the client resumes from its last event', error: (error as Error).message }, 'Alerts');
      this.unsubscribe(subscription);
      subscription.end();
    }
  }

  /** Reads what is new for everyone once and hands each alert to the live streams of its role. */
  private async readFeed(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.again = false;
        const from = this.head;
        if (from === undefined) break;
        const below = await this.queries.streamHorizon();
        const batch = await this.queries.streamBatch(null, from, BATCH, { below });
        // A stream that was closed, or the feed restarted, while it read: this read is stale.
        if (this.head !== from) {
          this.again = true;
          continue;
        }
        for (const { cursor, alert } of batch) {
          for (const subscription of this.subscriptions) {
            if (subscription.live && subscription.roles.includes(alert.role)) {
              subscription.send(cursor, alert);
              subscription.cursor = cursor;
            }
          }
          this.head = cursor;
        }
        if (batch.length === BATCH) this.again = true;
        // Every alert of a transaction older than `below` has been read: the head moves up to it.
        else if (BigInt(below) > BigInt(this.head.xid)) this.head = { xid: below, id: '' };
        if (this.head !== from) this.release();
      } while (this.again && this.subscriptions.size > 0);
    } catch (error) {
      this.logger.warn({ msg: 'alert stream read failed; it tries again', error: (error as Error).message }, 'Alerts');
    } finally {
      this.reading = false;
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
