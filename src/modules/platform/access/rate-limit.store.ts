import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { sql } from 'kysely';
import { StoreDatabase } from '../database/store-db.js';

/**
 * Rate limits counted in the case store, so that every API replica behind the balancer counts
 * against one limit: fixed one-minute windows per key, each use one upsert on the database's clock.
 * Old windows are swept every minute.
 */
@Injectable()
export class RateLimitStore implements OnModuleDestroy {
  private readonly sweeper = setInterval(() => void this.sweep().catch(() => undefined), 60_000).unref();

  constructor(private readonly store: StoreDatabase) {}

  async hit(key: string, limitPerMinute: number): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    // Raw SQL (listed in docs/database.md): the window is kept on the database's clock, with interval arithmetic.
    const [row] = await this.store.run(sql<{ count: number; retry_after: number }>`insert into rate_limit_window (key, window_started_at, count) values (${key}, now(), 1)
       on conflict (key) do update set
         count = case when rate_limit_window.window_started_at <= now() - interval '1 minute' then 1 else rate_limit_window.count + 1 end,
         window_started_at = case when rate_limit_window.window_started_at <= now() - interval '1 minute' then now() else rate_limit_window.window_started_at end
       returning count, greatest(1, ceil(extract(epoch from (window_started_at + interval '1 minute' - now()))))::int as retry_after`);
    return { allowed: row.count <= limitPerMinute, retryAfterSeconds: row.retry_after };
  }

  private async sweep(): Promise<void> {
    await this.store.db.deleteFrom('rate_limit_window').where('window_started_at', '<=', sql<Date>`now() - interval '2 minutes'`).execute();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}
