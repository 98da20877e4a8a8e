import { Migration } from '@mikro-orm/migrations';

/** Continuity drills: one row per drill, written once when it has been judged. */
export class Migration20261205000000ContinuityDrills extends Migration {
  override name = 'Migration20261205000000ContinuityDrills';

  override up(): void {
    this.addSql(`create table "continuity_drill" (
      "id" uuid not null primary key,
      "workflow_id" varchar(200) not null,
      "trigger" varchar(16) not null,
      "requested_by_subject" varchar(128) not null,
      "requested_by_role" varchar(64) not null,
      "started_at" timestamptz not null,
      "finished_at" timestamptz not null,
      "outcome" varchar(8) not null,
      "cases" integer not null,
      "clock_seconds" integer not null,
      "tolerance_ms" integer not null,
      "worker_down_ms" integer not null,
      "worker_identity" varchar(200) not null,
      "worker_stopped_at" timestamptz not null,
      "alarms_expected" integer not null,
      "alarms_on_time" integer not null,
      "alerts_expected" integer not null,
      "alerts_delivered" integer not null,
      "max_lateness_ms" integer null,
      "late_alarms" jsonb not null,
      "problems" jsonb not null,
      "case_references" jsonb not null,
      constraint "continuity_drill_workflow_id_key" unique ("workflow_id")
    );`);
    this.addSql(`create index "continuity_drill_finished" on "continuity_drill" ("finished_at");`);
  }

  override down(): void {
    this.addSql('drop table if exists "continuity_drill";');
  }
}
