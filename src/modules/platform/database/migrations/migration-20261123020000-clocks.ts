import { Migration } from '@mikro-orm/migrations';

/** SLA clocks on the case record, the notifications escalations raise, and every policy version used. */
export class Migration20261123020000Clocks extends Migration {
  override name = 'Migration20261123020000Clocks';

  override up(): void {
    this.addSql(`alter table "contact_case"
      add column "area" varchar(8) not null default 'urban',
      add column "clocks" jsonb not null default '[]',
      add column "breached" boolean not null default false;`);
    this.addSql(`alter table "contact_case" alter column "policy_version" type varchar(64);`);
    // The supervisors' view: open cases with a breached clock, in queue order.
    this.addSql(`create index "contact_case_queue_breached" on "contact_case" ("priority_rank", "next_due_at" nulls last, "received_at", "reference") where "closed_at" is null and "breached";`);
    this.addSql(`create table "case_notification" (
      "id" varchar(160) not null primary key,
      "reference" varchar(32) not null references "contact_case" ("reference"),
      "level" smallint not null,
      "role" varchar(64) not null,
      "reason" varchar(64) not null,
      "clock" varchar(48) null,
      "raised_for" timestamptz not null,
      "created_at" timestamptz not null,
      "delivered_at" timestamptz null
    );`);
    this.addSql(`create index "case_notification_reference" on "case_notification" ("reference");`);
    this.addSql(`create index "case_notification_undelivered" on "case_notification" ("role", "created_at") where "delivered_at" is null;`);
    this.addSql(`create table "policy_version" (
      "version" varchar(64) not null primary key,
      "content" jsonb not null,
      "sha256" varchar(64) not null,
      "recorded_at" timestamptz not null
    );`);
  }

  override down(): void {
    this.addSql('drop table if exists "policy_version";');
    this.addSql('drop table if exists "case_notification";');
    this.addSql('drop index if exists "contact_case_queue_breached";');
    this.addSql('alter table "contact_case" drop column "breached", drop column "clocks", drop column "area";');
  }
}
