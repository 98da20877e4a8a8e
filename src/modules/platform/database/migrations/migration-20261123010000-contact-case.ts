import { Migration } from '@mikro-orm/migrations';

export class Migration20261123010000ContactCase extends Migration {
  override name = 'Migration20261123010000ContactCase';

  override up(): void {
    const actor = `"actor_subject" varchar(128) not null, "actor_role" varchar(64) not null`;
    this.addSql(`create table "contact_case" (
      "reference" varchar(32) not null primary key,
      "workflow_id" varchar(64) not null unique,
      "channel" varchar(32) not null,
      "received_at" timestamptz not null,
      "policy_version" varchar(32) not null,
      "team" varchar(64) not null,
      "assignee" varchar(128) not null,
      "created_by_subject" varchar(128) not null,
      "created_by_role" varchar(64) not null,
      "flags" text[] not null,
      "risk_marker" varchar(4) null,
      "domestic_abuse" boolean not null,
      "sexual_offence" boolean not null,
      "vulnerable" boolean not null,
      "screening_reasons" text[] not null,
      "caller" jsonb not null,
      "narrative" text not null,
      "location" jsonb null,
      "interpreter_language" varchar(64) null,
      "channel_details" jsonb null,
      "stage" varchar(16) not null,
      "grade" smallint null,
      "pending_grade" smallint null,
      "priority_rank" smallint not null,
      "next_due_at" timestamptz null,
      "opening_category" varchar(48) null,
      "qualifiers" text[] null,
      "crime_recorded" boolean null,
      "outcome" varchar(32) null,
      "closing_category" varchar(48) null,
      "first_contact_resolution" boolean null,
      "escalation_level" smallint not null,
      "closed_at" timestamptz null,
      "version" integer not null,
      "updated_at" timestamptz not null
    );`);
    // The queue reads open cases only, in this order; each filter has an index that keeps the order.
    this.addSql(`create index "contact_case_queue" on "contact_case" ("priority_rank", "next_due_at" nulls last, "received_at", "reference") where "closed_at" is null;`);
    for (const column of ['stage', 'channel', 'grade', 'risk_marker', 'assignee']) {
      this.addSql(`create index "contact_case_queue_by_${column}" on "contact_case" ("${column}", "priority_rank", "next_due_at" nulls last, "received_at", "reference") where "closed_at" is null;`);
    }
    this.addSql(`create table "case_event" (
      "id" varchar(128) not null primary key,
      "reference" varchar(32) not null references "contact_case" ("reference"),
      "sequence" integer not null,
      "type" varchar(48) not null,
      "at" timestamptz not null,
      ${actor},
      "details" jsonb not null,
      constraint "case_event_sequence_unique" unique ("reference", "sequence")
    );`);
    this.addSql(`create table "case_assessment" ("id" varchar(128) not null primary key, "reference" varchar(32) not null references "contact_case" ("reference"), "factors" jsonb not null, "proposed_grade" smallint not null, "result" varchar(24) not null, ${actor}, "assessed_at" timestamptz not null);`);
    this.addSql(`create table "case_incident" ("id" varchar(128) not null primary key, "reference" varchar(32) not null references "contact_case" ("reference"), "opening_category" varchar(48) not null, "qualifiers" text[] not null, ${actor}, "recorded_at" timestamptz not null);`);
    this.addSql(`create table "case_crime_decision" ("id" varchar(128) not null primary key, "reference" varchar(32) not null references "contact_case" ("reference"), "crime_recorded" boolean not null, "classification" varchar(48) null, "no_crime_reason" varchar(48) null, ${actor}, "decided_at" timestamptz not null);`);
    this.addSql(`create table "case_referral" ("id" varchar(128) not null primary key, "reference" varchar(32) not null references "contact_case" ("reference"), "agency" varchar(128) not null, "kind" varchar(16) not null, "reason" text not null, ${actor}, "referred_at" timestamptz not null);`);
    this.addSql(`create table "case_note" ("id" varchar(128) not null primary key, "reference" varchar(32) not null references "contact_case" ("reference"), "text" text not null, ${actor}, "written_at" timestamptz not null);`);
    for (const table of ['case_assessment', 'case_incident', 'case_crime_decision', 'case_referral', 'case_note']) {
      this.addSql(`create index "${table}_reference" on "${table}" ("reference");`);
    }
    this.addSql(`create table "intake_request" ("idempotency_key" varchar(128) not null primary key, "request_hash" varchar(64) not null, "reference" varchar(32) not null, "created_at" timestamptz not null);`);
    this.addSql(`create table "reference_sequence" ("day" varchar(10) not null primary key, "last_value" integer not null);`);
  }

  override down(): void {
    for (const table of ['case_event', 'case_assessment', 'case_incident', 'case_crime_decision', 'case_referral', 'case_note', 'intake_request', 'reference_sequence', 'contact_case']) {
      this.addSql(`drop table if exists "${table}";`);
    }
  }
}
