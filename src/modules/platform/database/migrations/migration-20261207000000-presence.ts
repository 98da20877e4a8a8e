import { Migration } from '@mikro-orm/migrations';

/**
 * Staff presence, the supply side of supply against demand (docs/management-information.md):
 *
 * - `staff_presence`: each person's state now (available, busy, away, signed out), for which team,
 *   and since when.
 * - `staff_presence_change`: every change, with the spell it ended. The time of each ended spell
 *   is counted into `mi_count` (person-time per hour of the week) in the same transaction.
 */
export class Migration20261207000000Presence extends Migration {
  override name = 'Migration20261207000000Presence';

  override up(): void {
    this.addSql(`create table "staff_presence" (
      "subject" varchar(128) not null primary key,
      "team" varchar(64) not null,
      "state" varchar(16) not null,
      "since" timestamptz not null
    );`);
    this.addSql(`create index "staff_presence_team" on "staff_presence" ("team", "state");`);
    this.addSql(`create table "staff_presence_change" (
      "id" bigserial primary key,
      "subject" varchar(128) not null,
      "team" varchar(64) not null,
      "state" varchar(16) not null,
      "at" timestamptz not null,
      "previous_team" varchar(64) null,
      "previous_state" varchar(16) null,
      "previous_since" timestamptz null
    );`);
    this.addSql(`create index "staff_presence_change_at" on "staff_presence_change" ("at");`);
    this.addSql(`create index "staff_presence_change_subject" on "staff_presence_change" ("subject", "at");`);
  }

  override down(): void {
    this.addSql('drop table if exists "staff_presence_change";');
    this.addSql('drop table if exists "staff_presence";');
  }
}
