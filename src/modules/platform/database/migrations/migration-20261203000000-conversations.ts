import { Migration } from '@mikro-orm/migrations';

/**
 * Conversations: webchat, social media direct messages, SMS and e-mail exchanges as threads on their
 * cases, and the media team's outgoing posts.
 *
 * - `conversation`: a platform's conversation (found by `key`, a SHA-256 of channel, platform and the
 *   platform's id) and the case that holds it; a message after that case has closed opens the next
 *   (`generation`). It keeps what the hub's inbox reads: who waits, and since when.
 * - `case_message`: every message in and out, with its words (personal data, here only); an inbound
 *   message is known by `inbound_key` (channel, platform and the platform's message id, hashed), so
 *   a message delivered twice is kept once.
 * - `social_media_post`: the media team's posts. What was posted, by whom and when cannot change
 *   once written (a trigger refuses it, and any delete): only its delivery moves on.
 */
export class Migration20261203000000Conversations extends Migration {
  override name = 'Migration20261203000000Conversations';

  override up(): void {
    this.addSql(`create table "conversation" (
      "key" char(64) not null,
      "generation" integer not null,
      "reference" varchar(32) not null,
      "channel" varchar(32) not null,
      "platform" varchar(32) not null,
      "external_id" varchar(200) not null,
      "opened_at" timestamptz not null,
      "last_inbound_at" timestamptz null,
      "last_outbound_at" timestamptz null,
      "awaiting_since" timestamptz null,
      "unanswered" integer not null default 0,
      primary key ("key", "generation"),
      constraint "conversation_reference_fkey" foreign key ("reference") references "contact_case" ("reference"),
      constraint "conversation_reference_key" unique ("reference")
    );`);
    this.addSql(`create index "conversation_awaiting" on "conversation" ("channel", "awaiting_since");`);
    this.addSql(`create table "case_message" (
      "id" varchar(128) not null primary key,
      "reference" varchar(32) not null,
      "direction" varchar(8) not null,
      "platform" varchar(32) not null,
      "inbound_key" char(64) null,
      "author_handle" varchar(200) null,
      "actor_subject" varchar(128) not null,
      "actor_role" varchar(64) not null,
      "text" text not null,
      "sent_at" timestamptz not null,
      "recorded_at" timestamptz not null,
      "delivery_state" varchar(16) not null,
      "delivery_attempts" integer not null default 0,
      "delivered_at" timestamptz null,
      "platform_message_id" varchar(200) null,
      "last_error" varchar(200) null,
      constraint "case_message_reference_fkey" foreign key ("reference") references "contact_case" ("reference"),
      constraint "case_message_inbound_key_key" unique ("inbound_key")
    );`);
    this.addSql(`create index "case_message_reference" on "case_message" ("reference", "sent_at");`);
    this.addSql(`create table "social_media_post" (
      "id" varchar(64) not null primary key,
      "platform" varchar(32) not null,
      "text" text not null,
      "author_subject" varchar(128) not null,
      "author_role" varchar(64) not null,
      "created_at" timestamptz not null,
      "delivery_state" varchar(16) not null,
      "delivery_attempts" integer not null default 0,
      "delivered_at" timestamptz null,
      "platform_message_id" varchar(200) null,
      "last_error" varchar(200) null
    );`);
    this.addSql(`create index "social_media_post_created" on "social_media_post" ("created_at");`);
    this.addSql(`create function "social_media_post_fixed"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          raise exception 'social_media_post is a record: a post is never deleted';
        end if;
        if (new.id, new.platform, new.text, new.author_subject, new.author_role, new.created_at)
           is distinct from (old.id, old.platform, old.text, old.author_subject, old.author_role, old.created_at) then
          raise exception 'social_media_post is a record: what was posted, by whom and when never changes';
        end if;
        return new;
      end $$;`);
    this.addSql(`create trigger "social_media_post_fixed" before update or delete on "social_media_post" for each row execute function "social_media_post_fixed"();`);
  }

  override down(): void {
    this.addSql('drop table if exists "social_media_post";');
    this.addSql('drop function if exists "social_media_post_fixed"();');
    this.addSql('drop table if exists "case_message";');
    this.addSql('drop table if exists "conversation";');
  }
}
