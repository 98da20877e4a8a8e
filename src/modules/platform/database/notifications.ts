import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { APP_CONFIG } from '../../../config/config.module.js';
import { type AppConfig } from '../../../config/app-config.js';
import { AppLogger } from '../logging/app-logger.js';

/** How long a lost listening connection waits before it connects again. */
const RECONNECT_MS = 1_000;

type Listener = (payload: string) => void;

/**
 * PostgreSQL's notifications for one process: one connection listens on every channel asked for,
 * opened on first use and opened again (listening again on each channel) if it drops. A
 * notification is only a hint that something was written: whoever listens must also look again
 * from time to time, since notifications sent while the connection was down are lost.
 */
@Injectable()
export class DatabaseNotifications implements OnModuleDestroy {
  private readonly listeners = new Map<string, Set<Listener>>();
  private client?: pg.Client;
  private connecting?: Promise<pg.Client>;
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: AppLogger,
  ) {}

  /**
   * Calls `listener` with each notification's payload on `channel` (a fixed name, never input), from
   * now until the process stops; adding the same listener again changes nothing. Resolves once the
   * connection listens; when it cannot connect, the listener stays and the next call, or the
   * connection's own reconnecting, tries again.
   */
  async listen(channel: string, listener: Listener): Promise<void> {
    if (this.closed) throw new Error('Database notifications are shutting down');
    let set = this.listeners.get(channel);
    const first = set === undefined;
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    const client = await this.connect();
    if (first) await client.query(`listen "${channel}"`);
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.config.database.url });
      client.on('notification', (message) => {
        for (const listener of this.listeners.get(message.channel) ?? []) listener(message.payload ?? '');
      });
      client.on('error', (error) => {
        this.logger.warn({ msg: 'the notifications connection was lost; connecting again', error: error.message }, 'Database');
        if (this.client === client) this.client = undefined;
        void client.end().catch(() => undefined);
        if (!this.closed) setTimeout(() => void this.connect().catch(() => undefined), RECONNECT_MS);
      });
      try {
        await client.connect();
        for (const channel of this.listeners.keys()) await client.query(`listen "${channel}"`);
        this.client = client;
        return client;
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}
