import { Migration } from '@mikro-orm/migrations';

/**
 * Satisfaction surveys (docs/management-information.md, "Satisfaction"): `satisfaction_survey`, one
 * row per closed case under a policy that asks, with the decision (asked, and how, or why not), the
 * link's expiry, the answer, and the invitation's delivery.
 */
export class Migration20261207010000Satisfaction extends Migration {
  override name = 'Migration20261207010000Satisfaction';

  override up(): void {
    this.addSql(`create table "satisfaction_survey" (
      "id" uuid not null primary key,
      "reference" varchar(32) not null,
      "decision" varchar(16) not null,
      "not_asked_reason" varchar(24) null,
      "route" varchar(16) null,
      "team" varchar(64) not null,
      "channel" varchar(32) not null,
      "outcome" varchar(32) null,
      "first_contact_resolution" boolean null,
      "decided_at" timestamptz not null,
      "expires_at" timestamptz null,
      "answered_at" timestamptz null,
      "rating" smallint null,
      "comment" text null,
      "delivery_state" varchar(16) not null,
      "delivery_attempts" integer not null default 0,
      "delivered_at" timestamptz null,
      "platform_message_id" varchar(200) null,
      "last_error" varchar(200) null,
      constraint "satisfaction_survey_reference_key" unique ("reference"),
      constraint "satisfaction_survey_rating_check" check (((rating IS NULL) OR ((rating >= 1) AND (rating <= 5))))
    );`);
    this.addSql(`create index "satisfaction_survey_offered" on "satisfaction_survey" ("decision", "decided_at");`);
    this.addSql(`create index "satisfaction_survey_call_back" on "satisfaction_survey" ("route", "answered_at");`);
  }

  override down(): void {
    this.addSql('drop table if exists "satisfaction_survey";');
  }
}
