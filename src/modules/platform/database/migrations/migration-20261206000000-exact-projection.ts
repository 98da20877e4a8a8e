import { Migration } from '@mikro-orm/migrations';

/**
 * The case store as an exact projection of each case's workflow (docs/architecture.md, "The case
 * store: an exact projection"):
 *
 * - `case_change`: one row per change written, by the case's version, with a hash of the change as
 *   the workflow's history holds it. A change is written only on top of the one before it, once; the
 *   same version arriving with other content is refused and raised as a `store_alert`.
 * - `contact_case.state`: the case's whole state (codes only) at the version the store holds, so a
 *   closed case reads exactly as its workflow last stood.
 * - `case_resolution`, `case_downgrade_decision`: every decision with its reasons.
 * - `store_alert`: what administrators must look at (a write that can never succeed, a change
 *   written twice with different content), naming the case and codes only.
 * - `store_reconciliation`: each comparison of the store with the workflows, for the auditors.
 *
 * The management information is now counted by the code that writes each change, from its typed
 * timeline entries; the trigger that parsed clock kinds out of ids and grades out of labels goes.
 * Entries recorded before gain the explicit fields (clock kind, grade, start, pause reason) here,
 * once, so that nothing reads them out of an id or a label again.
 */
export class Migration20261206000000ExactProjection extends Migration {
  override name = 'Migration20261206000000ExactProjection';

  override up(): void {
    this.addSql(`alter table "contact_case" add column "state" jsonb null;`);
    this.addSql(`create table "case_change" (
      "reference" varchar(32) not null,
      "version" integer not null,
      "change_id" varchar(128) not null,
      "hash" char(64) not null,
      "at" timestamptz not null,
      primary key ("reference", "version"),
      constraint "case_change_change_id_key" unique ("change_id"),
      constraint "case_change_reference_fkey" foreign key ("reference") references "contact_case" ("reference")
    );`);
    this.addSql(`create table "case_resolution" (
      "id" varchar(128) not null primary key,
      "reference" varchar(32) not null,
      "outcome" varchar(32) not null,
      "closing_category" varchar(48) not null,
      "first_contact_resolution" boolean not null,
      "appointment_at" timestamptz null,
      "signposted_to" text null,
      "no_further_action_reason" text null,
      "actor_subject" varchar(128) not null,
      "actor_role" varchar(64) not null,
      "resolved_at" timestamptz not null,
      constraint "case_resolution_reference_fkey" foreign key ("reference") references "contact_case" ("reference")
    );`);
    this.addSql(`create index "case_resolution_reference" on "case_resolution" ("reference");`);
    this.addSql(`create table "case_downgrade_decision" (
      "id" varchar(128) not null primary key,
      "reference" varchar(32) not null,
      "from_grade" smallint not null,
      "to_grade" smallint not null,
      "approved" boolean not null,
      "rationale" text not null,
      "requested_by_subject" varchar(128) not null,
      "requested_by_role" varchar(64) not null,
      "requested_at" timestamptz not null,
      "actor_subject" varchar(128) not null,
      "actor_role" varchar(64) not null,
      "decided_at" timestamptz not null,
      constraint "case_downgrade_decision_reference_fkey" foreign key ("reference") references "contact_case" ("reference")
    );`);
    this.addSql(`create index "case_downgrade_decision_reference" on "case_downgrade_decision" ("reference");`);
    this.addSql(`create table "store_alert" (
      "id" varchar(200) not null primary key,
      "kind" varchar(24) not null,
      "reference" varchar(32) not null,
      "change_id" varchar(160) null,
      "version" integer null,
      "sql_state" varchar(5) null,
      "error_name" varchar(64) null,
      "attempts" integer not null,
      "raised_at" timestamptz not null,
      "resolved_at" timestamptz null
    );`);
    this.addSql(`create index "store_alert_open" on "store_alert" ("raised_at") where "resolved_at" is null;`);
    this.addSql(`create index "store_alert_reference" on "store_alert" ("reference");`);
    this.addSql(`create table "store_reconciliation" (
      "id" uuid not null primary key,
      "trigger" varchar(16) not null,
      "requested_by" varchar(128) not null,
      "since" timestamptz null,
      "started_at" timestamptz not null,
      "finished_at" timestamptz not null,
      "cases" integer not null,
      "divergent_cases" integer not null,
      "divergences" jsonb not null,
      "outcome" varchar(12) not null
    );`);
    this.addSql(`create index "store_reconciliation_finished" on "store_reconciliation" ("finished_at");`);

    this.addSql('drop trigger if exists "mi_case_event" on "case_event";');
    this.addSql('drop function if exists "mi_on_case_event"();');

    // Entries recorded before the timeline was typed: their explicit fields, derived once, here.
    this.addSql(`update "case_event" set "details" = "details" || jsonb_build_object('clockKind', regexp_replace("details"->>'clock', '-[0-9]+$', ''))
      where "type" like 'clock-%' and not ("details" ? 'clockKind');`);
    this.addSql(`update "case_event" set "details" = "details" || jsonb_build_object('clockKind', case when "details"->>'clock' is null then null else regexp_replace("details"->>'clock', '-[0-9]+$', '') end)
      where "type" = 'escalated' and not ("details" ? 'clockKind');`);
    this.addSql(`update "case_event" set "details" = "details" || jsonb_build_object('grade', (substring("details"->>'label' from 'grade ([1-4])'))::int)
      where "type" = 'clock-armed' and not ("details" ? 'grade');`);
    this.addSql(`update "case_event" m set "details" = m."details" || jsonb_build_object(
        'startedAt', (select a."details"->>'startedAt' from "case_event" a where a."reference" = m."reference" and a."type" = 'clock-armed' and a."details"->>'clock' = m."details"->>'clock' and a."sequence" < m."sequence" order by a."sequence" desc limit 1),
        'grade', coalesce(
          (select (r."details"->>'toGrade')::int from "case_event" r where r."reference" = m."reference" and r."type" = 'clock-rebaselined' and r."details"->>'clock' = m."details"->>'clock' and r."sequence" < m."sequence" order by r."sequence" desc limit 1),
          (select (a."details"->>'grade')::int from "case_event" a where a."reference" = m."reference" and a."type" = 'clock-armed' and a."details"->>'clock' = m."details"->>'clock' and a."sequence" < m."sequence" order by a."sequence" desc limit 1)))
      where m."type" = 'clock-met' and not (m."details" ? 'startedAt');`);
    this.addSql(`update "case_event" r set "details" = r."details" || jsonb_build_object('reason',
        (select p."details"->>'reason' from "case_event" p where p."reference" = r."reference" and p."type" = 'clock-paused' and p."details"->>'clock' = r."details"->>'clock' and p."sequence" < r."sequence" order by p."sequence" desc limit 1))
      where r."type" = 'clock-resumed' and not (r."details" ? 'reason');`);
  }

  override down(): void {
    this.addSql('drop table if exists "store_reconciliation";');
    this.addSql('drop table if exists "store_alert";');
    this.addSql('drop table if exists "case_downgrade_decision";');
    this.addSql('drop table if exists "case_resolution";');
    this.addSql('drop table if exists "case_change";');
    this.addSql('alter table "contact_case" drop column if exists "state";');
  }
}
