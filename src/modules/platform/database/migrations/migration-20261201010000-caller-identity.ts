import { Migration } from '@mikro-orm/migrations';

/**
 * Callers recognised across contacts without their details being readable: each identifier of a
 * case's caller (phone, e-mail, social media handle) as an HMAC-SHA256 under a key named by its id.
 * Written at intake by the API, before the case's workflow starts, so that the next contact from
 * the same caller finds it at once. A case records the earlier cases it was linked to; a lookup of
 * a caller by a handler is logged like any read of a case (with no case when nothing matched).
 */
export class Migration20261201010000CallerIdentity extends Migration {
  override name = 'Migration20261201010000CallerIdentity';

  override up(): void {
    this.addSql(`create table "caller_identity" (
      "hash" char(64) not null,
      "reference" varchar(32) not null,
      "key_id" varchar(32) not null,
      "received_at" timestamptz not null,
      primary key ("hash", "reference")
    );`);
    this.addSql(`create index "caller_identity_recent" on "caller_identity" ("hash", "received_at");`);
    this.addSql(`alter table "contact_case" add column "linked_references" text[] not null default '{}';`);
    this.addSql(`alter table "case_access_log" alter column "reference" drop not null;`);
  }

  override down(): void {
    this.addSql('drop table if exists "caller_identity";');
    this.addSql('alter table "contact_case" drop column "linked_references";');
  }
}
