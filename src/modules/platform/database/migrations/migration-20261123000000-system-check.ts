import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000000SystemCheck extends Migration {
  override name = 'Migration20261123000000SystemCheck';

  override up(): void {
    this.addSql(`create table "system_check" (
      "id" uuid not null primary key,
      "workflow_id" varchar(255) not null,
      "requested_at" timestamptz not null,
      "recorded_at" timestamptz not null,
      "worker_identity" varchar(255) not null,
      "requested_by_subject" varchar(255) not null,
      "requested_by_role" varchar(64) not null,
      constraint "system_check_workflow_id_unique" unique ("workflow_id")
    );`);
  }

  override down(): void {
    this.addSql('drop table if exists "system_check";');
  }
}
