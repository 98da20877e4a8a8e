import { Migration } from '@mikro-orm/migrations';

/**
 * The audit trail: one hash-chained entry per change to a case (commands and the workflow's own
 * decisions), and a log of who read which case. Both are append-only at the database: UPDATE,
 * DELETE and TRUNCATE are refused by triggers, whoever the caller.
 */
export class Migration20261123030000Audit extends Migration {
  override name = 'Migration20261123030000Audit';

  override up(): void {
    this.addSql(`create table "audit_entry" (
      "reference" varchar(32) not null references "contact_case" ("reference"),
      "sequence" integer not null,
      "entry_id" varchar(160) not null unique,
      "at" timestamptz not null,
      "actor_subject" varchar(128) not null,
      "actor_role" varchar(64) not null,
      "rule" varchar(128) null,
      "action" varchar(48) not null,
      "summary" jsonb not null,
      "policy_version" varchar(64) not null,
      "prev_hash" char(64) not null,
      "hash" char(64) not null,
      primary key ("reference", "sequence")
    );`);
    this.addSql(`create table "case_access_log" (
      "id" bigserial primary key,
      "reference" varchar(32) not null,
      "subject" varchar(128) not null,
      "role" varchar(64) not null,
      "action" varchar(32) not null,
      "at" timestamptz not null default now()
    );`);
    this.addSql(`create index "case_access_log_reference" on "case_access_log" ("reference", "at");`);
    // A closed case's full Temporal event history (its payloads still encrypted), kept beyond the
    // namespace's retention, for the timeline and for replay.
    this.addSql(`create table "case_history" (
      "reference" varchar(32) not null references "contact_case" ("reference"),
      "run_id" varchar(64) not null,
      "workflow_id" varchar(64) not null,
      "event_count" integer not null,
      "history" jsonb not null,
      "exported_at" timestamptz not null,
      primary key ("reference", "run_id")
    );`);
    this.addSql(`create function "refuse_audit_change"() returns trigger language plpgsql as $$
      begin
        raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'P0001';
      end
    $$;`);
    for (const table of ['audit_entry', 'case_access_log', 'case_history']) {
      this.addSql(`create trigger "${table}_append_only" before update or delete on "${table}" for each row execute function "refuse_audit_change"();`);
      this.addSql(`create trigger "${table}_no_truncate" before truncate on "${table}" for each statement execute function "refuse_audit_change"();`);
    }
  }

  override down(): void {
    this.addSql('drop table if exists "case_history";');
    this.addSql('drop table if exists "case_access_log";');
    this.addSql('drop table if exists "audit_entry";');
    this.addSql('drop function if exists "refuse_audit_change"();');
  }
}
