import { Migration } from '@mikro-orm/migrations';

/** Rate limits shared by every API replica: one row per limit's current one-minute window. */
export class Migration20261204000000RateLimits extends Migration {
  override name = 'Migration20261204000000RateLimits';

  override up(): void {
    this.addSql(`create table "rate_limit_window" ("key" varchar(200) not null primary key, "window_started_at" timestamptz not null, "count" integer not null);`);
  }

  override down(): void {
    this.addSql('drop table if exists "rate_limit_window";');
  }
}
