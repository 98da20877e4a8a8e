import { Migration } from '@mikro-orm/migrations';

/**
 * Management information, kept current as cases change. `mi_count` holds counts (and summed
 * milliseconds) per grain (`day` and `month`), period, team, measure and dimension; the periods are
 * days and months in the force's time zone (`mi_setting`, kept equal to the policy's). Triggers on
 * the case timeline and on alerts add to both grains in the same transaction as the change they
 * count, so a figure is never ahead of or behind the cases, and a year of a large force by month is
 * read from some thousands of rows, not millions.
 *
 * Durations are also counted in buckets (`le:<minutes>`), so that medians and 90th percentiles can
 * be read from the counts (as "at most N minutes"). What each measure counts is in
 * docs/management-information.md.
 */
export class Migration20261202000000Oversight extends Migration {
  override name = 'Migration20261202000000Oversight';

  override up(): void {
    this.addSql(`create table "mi_count" (
      "grain" varchar(8) not null,
      "period" date not null,
      "team" varchar(64) not null,
      "measure" varchar(48) not null,
      "dimension" varchar(96) not null,
      "count" bigint not null default 0,
      "total_ms" bigint not null default 0,
      primary key ("grain", "period", "team", "measure", "dimension")
    );`);
    this.addSql(`create table "mi_setting" ("id" boolean not null default true primary key, "time_zone" varchar(64) not null, constraint "mi_setting_one_row" check ("id"));`);
    this.addSql(`insert into "mi_setting" ("id", "time_zone") values (true, 'Europe/London');`);
    // A time as the force's clocks read it.
    this.addSql(`create function "mi_local"(p_at timestamptz) returns timestamp language plpgsql stable as $$
      declare
        v_zone varchar;
      begin
        select time_zone into v_zone from mi_setting;
        return p_at at time zone coalesce(v_zone, 'UTC');
      end $$;`);
    // Finding a case's caller identities (recontact after first contact resolution), and the open alerts.
    this.addSql(`create index "caller_identity_reference" on "caller_identity" ("reference");`);
    this.addSql(`create index "case_alert_open" on "case_alert" ("team") where "acknowledged_at" is null and "closed_at" is null;`);

    // plpgsql, so that its statements' plans are made once per session, not once per call.
    this.addSql(`create function "mi_add"(p_at timestamptz, p_team varchar, p_measure varchar, p_dimension varchar, p_count bigint, p_total bigint)
      returns void language plpgsql as $$
      declare
        v_day date;
      begin
        v_day := mi_local(p_at)::date;
        insert into mi_count (grain, period, team, measure, dimension, count, total_ms)
          values ('day', v_day, p_team, p_measure, p_dimension, p_count, p_total), ('month', date_trunc('month', v_day)::date, p_team, p_measure, p_dimension, p_count, p_total)
          on conflict (grain, period, team, measure, dimension)
          do update set count = mi_count.count + excluded.count, total_ms = mi_count.total_ms + excluded.total_ms;
      end $$;`);

    // The bucket a duration falls in, by its upper bound in minutes.
    this.addSql(`create function "mi_bucket"(p_ms bigint) returns varchar language sql immutable as $$
        select coalesce(
          'le:' || (select bound from unnest(array[1, 5, 10, 15, 30, 60, 120, 240, 480, 720, 1440, 2880, 4320, 7200, 10080, 20160, 43200]) as bound
            where p_ms <= bound::bigint * 60000 order by bound limit 1)::varchar,
          'more');
      $$;`);

    this.addSql(`create function "mi_on_case_event"() returns trigger language plpgsql as $$
      declare
        c record;
        v_kind varchar;
        v_started timestamptz;
        v_label varchar;
        v_ms bigint;
        v_late boolean;
        v_reason varchar;
      begin
        select team, area, vulnerable, screening_reasons, received_at, closed_at into c from contact_case where reference = new.reference;
        if not found then return null; end if;

        if new.type = 'received' then
          perform mi_add(c.received_at, c.team, 'contacts', new.details->>'channel', 1, 0);
          perform mi_add(c.received_at, c.team, 'contacts-hour', extract(isodow from mi_local(c.received_at))::int || '|' || extract(hour from mi_local(c.received_at))::int, 1, 0);
          if new.details->>'riskMarker' = 'IR' then perform mi_add(c.received_at, c.team, 'screening', 'ir', 1, 0); end if;
          if c.vulnerable then perform mi_add(c.received_at, c.team, 'screening', 'vulnerable', 1, 0); end if;
          if 'history:repeat-caller' = any(c.screening_reasons) then perform mi_add(c.received_at, c.team, 'screening', 'repeat-caller', 1, 0); end if;
          -- A case resolved at first contact whose caller comes back within 7 days of its closure,
          -- counted once (at the first such contact), in the hour and team of the closure.
          perform mi_add(x.closed_at, x.team, 'fcr-recontacted', 'within-7-days', 1, 0)
            from contact_case x
            where x.first_contact_resolution
              and x.reference <> new.reference
              and x.closed_at < c.received_at and x.closed_at >= c.received_at - interval '7 days'
              and exists (select 1 from caller_identity mine join caller_identity theirs on theirs.hash = mine.hash
                          where mine.reference = new.reference and theirs.reference = x.reference)
              and not exists (select 1 from caller_identity mine join caller_identity other on other.hash = mine.hash
                              where mine.reference = new.reference and other.reference not in (new.reference, x.reference)
                                and other.received_at > x.closed_at and other.received_at < c.received_at);

        elsif new.type = 'assessed' then
          perform mi_add(new.at, c.team, 'first-grade', new.details->>'grade', 1, 0);

        elsif new.type in ('clock-met', 'clock-breached', 'clock-stopped', 'clock-resumed') then
          v_kind := regexp_replace(new.details->>'clock', '-[0-9]+$', '');
          if new.type = 'clock-met' then
            select (details->>'startedAt')::timestamptz, details->>'label' into v_started, v_label from case_event
              where reference = new.reference and type = 'clock-armed' and details->>'clock' = new.details->>'clock'
              order by sequence desc limit 1;
            v_ms := greatest(0, round(extract(epoch from (new.at - coalesce(v_started, new.at))) * 1000))::bigint;
            v_late := coalesce((new.details->>'late')::boolean, false);
            perform mi_add(new.at, c.team, case when v_late then 'clock-met-late' else 'clock-met-on-time' end, v_kind, 1, v_ms);
            perform mi_add(new.at, c.team, 'clock-time-to-meet', v_kind || '|' || mi_bucket(v_ms), 1, v_ms);
            if v_kind = 'attendance' then
              perform mi_add(new.at, c.team, 'attendance',
                coalesce(substring(v_label from 'grade ([1-4])'), 'ungraded') || '|' || c.area || '|' || case when v_late then 'late' else 'on-time' end, 1, v_ms);
            end if;
          elsif new.type = 'clock-breached' then
            perform mi_add(new.at, c.team, 'clock-breached', v_kind, 1, 0);
          elsif new.type = 'clock-stopped' then
            perform mi_add(new.at, c.team, 'clock-stopped', v_kind, 1, 0);
          else
            select details->>'reason' into v_reason from case_event
              where reference = new.reference and type = 'clock-paused' and details->>'clock' = new.details->>'clock' and sequence < new.sequence
              order by sequence desc limit 1;
            perform mi_add(new.at, c.team, 'clock-paused', coalesce(v_reason, 'unknown'), 1, coalesce((new.details->>'pausedMs')::bigint, 0));
          end if;

        elsif new.type in ('downgrade-proposed', 'downgrade-approved', 'downgrade-refused') then
          perform mi_add(new.at, c.team, 'downgrades', substring(new.type from 11), 1, 0);

        elsif new.type = 'closed' then
          perform mi_add(coalesce(c.closed_at, new.at), c.team, 'closed-outcome', new.details->>'outcome', 1, 0);
          perform mi_add(coalesce(c.closed_at, new.at), c.team, 'closed-category', new.details->>'closingCategory', 1, 0);
          perform mi_add(coalesce(c.closed_at, new.at), c.team, 'fcr', new.details->>'firstContactResolution', 1, 0);
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger "mi_case_event" after insert on "case_event" for each row execute function mi_on_case_event();`);

    this.addSql(`create function "mi_on_case_alert"() returns trigger language plpgsql as $$
      declare
        v_ms bigint;
      begin
        if tg_op = 'INSERT' then
          perform mi_add(new.created_at, new.team, 'alerts-raised', new.kind || '|' || new.level, 1, 0);
        elsif old.acknowledged_at is null and new.acknowledged_at is not null then
          v_ms := greatest(0, round(extract(epoch from (new.acknowledged_at - new.created_at)) * 1000))::bigint;
          perform mi_add(new.acknowledged_at, new.team, 'alerts-acknowledged', new.kind, 1, v_ms);
          perform mi_add(new.acknowledged_at, new.team, 'alert-time-to-acknowledge', new.kind || '|' || mi_bucket(v_ms), 1, v_ms);
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger "mi_case_alert" after insert or update of "acknowledged_at" on "case_alert" for each row execute function mi_on_case_alert();`);
  }

  override down(): void {
    this.addSql('drop trigger if exists "mi_case_alert" on "case_alert";');
    this.addSql('drop trigger if exists "mi_case_event" on "case_event";');
    this.addSql('drop function if exists "mi_on_case_alert"();');
    this.addSql('drop function if exists "mi_on_case_event"();');
    this.addSql('drop function if exists "mi_bucket"(bigint);');
    this.addSql('drop function if exists "mi_add"(timestamptz, varchar, varchar, varchar, bigint, bigint);');
    this.addSql('drop index if exists "case_alert_open";');
    this.addSql('drop index if exists "caller_identity_reference";');
    this.addSql('drop function if exists "mi_local"(timestamptz);');
    this.addSql('drop table if exists "mi_setting";');
    this.addSql('drop table if exists "mi_count";');
  }
}
