import { Migration } from '@mikro-orm/migrations';

/**
 * Alerts replace notifications: every escalation is an alert addressed to a role, which someone in
 * that role acknowledges (or which closes with its case), with its delivery outside the app.
 *
 * The live stream reads alerts in the order their transactions can no longer change: by the id of
 * the transaction that wrote them (`xid`), then by id. A reader takes only rows whose
 * transaction is older than every transaction still running, so a row that commits late is never
 * passed over. Each insert notifies the channel `case_alert` when it commits, which wakes every API
 * process's stream; nothing about the alert travels in the notification.
 */
export class Migration20261201000000Alerts extends Migration {
  override name = 'Migration20261201000000Alerts';

  override up(): void {
    this.addSql(`create table "case_alert" (
      "id" varchar(160) not null primary key,
      "reference" varchar(32) not null,
      "xid" xid8 not null default pg_current_xact_id(),
      "kind" varchar(16) not null,
      "level" smallint not null,
      "role" varchar(64) not null,
      "team" varchar(64) not null,
      "reason" varchar(64) not null,
      "clock" varchar(48) null,
      "raised_for" timestamptz not null,
      "due_at" timestamptz null,
      "created_at" timestamptz not null,
      "acknowledged_at" timestamptz null,
      "acknowledged_by_subject" varchar(128) null,
      "acknowledged_by_role" varchar(64) null,
      "acknowledgement_action" varchar(32) null,
      "acknowledgement_note" text null,
      "closed_at" timestamptz null,
      "delivery_state" varchar(16) not null default 'not-configured',
      "delivery_attempts" integer not null default 0,
      "delivered_at" timestamptz null,
      constraint "case_alert_reference_fkey" foreign key ("reference") references "contact_case" ("reference")
    );`);
    this.addSql(`create index "case_alert_reference" on "case_alert" ("reference");`);
    this.addSql(`create index "case_alert_stream" on "case_alert" ("xid", "id");`);
    this.addSql(`create index "case_alert_inbox" on "case_alert" ("role", "created_at");`);
    this.addSql(`insert into "case_alert" ("id", "reference", "kind", "level", "role", "team", "reason", "clock", "raised_for", "due_at", "created_at")
      select n."id", n."reference",
             case n."reason" when 'clock-warning' then 'warning' when 'clock-breach' then 'breach' when 'clock-re-escalation' then 're-escalation' else 'manual' end,
             n."level", n."role", c."team", n."reason", n."clock", n."raised_for", null, n."created_at"
      from "case_notification" n join "contact_case" c on c."reference" = n."reference"
      order by n."created_at", n."id";`);
    this.addSql('drop table "case_notification";');
    this.addSql(`create function "notify_case_alert"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('case_alert', '');
        return null;
      end
    $$;`);
    this.addSql(`create trigger "case_alert_notify" after insert on "case_alert" for each statement execute function "notify_case_alert"();`);
  }

  override down(): void {
    this.addSql('drop table if exists "case_alert";');
    this.addSql('drop function if exists "notify_case_alert"();');
  }
}
