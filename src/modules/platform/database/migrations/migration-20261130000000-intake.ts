import { Migration } from '@mikro-orm/migrations';

/**
 * What an intake asks of the case store, in as few round trips as the rules allow.
 *
 * - The queue's order as one comparable key, for a new case's position: open cases by priority,
 *   then nearest due time (a case with no clock counting last), then arrival. A row comparison
 *   against this index is a range scan, so counting the cases ahead of a new one reads only those
 *   cases (and the count stops at a bound), however long the queue.
 * - A case reference in one call: the Idempotency-Key claimed first, so that a concurrent repeat
 *   waits for the first and shares its reference, and the day's sequence moved only for a new case,
 *   so that it has no gaps. Each statement inside the function sees what committed before it (a
 *   repeat that waited reads the reference the first one wrote). The reference's format is the
 *   application's (`src/domain/reference.ts`): it passes the prefix and the number of digits.
 */
export class Migration20261130000000Intake extends Migration {
  override name = 'Migration20261130000000Intake';

  override up(): void {
    this.addSql(`create index "contact_case_queue_position" on "contact_case"
      ("priority_rank", coalesce("next_due_at", 'infinity'::timestamptz), "received_at", "reference") where "closed_at" is null;`);
    this.addSql(`create function "allocate_case_reference"(
        p_day varchar, p_prefix varchar, p_digits integer, p_idempotency_key varchar, p_request_hash varchar)
      returns table ("reference" varchar, "request_hash" varchar, "replayed" boolean)
      language plpgsql volatile as $$
      declare
        v_sequence integer;
        v_reference varchar;
      begin
        if p_idempotency_key is not null then
          insert into intake_request (idempotency_key, request_hash, reference, created_at)
            values (p_idempotency_key, p_request_hash, '', now())
            on conflict (idempotency_key) do nothing;
          if not found then
            return query select r.reference, r.request_hash, true from intake_request r where r.idempotency_key = p_idempotency_key;
            return;
          end if;
        end if;
        insert into reference_sequence as s (day, last_value) values (p_day, 1)
          on conflict (day) do update set last_value = s.last_value + 1
          returning s.last_value into v_sequence;
        if v_sequence >= 10 ^ p_digits then
          raise exception 'reference sequence for % is exhausted (% digits)', p_day, p_digits;
        end if;
        v_reference := p_prefix || lpad(v_sequence::text, p_digits, '0');
        if p_idempotency_key is not null then
          update intake_request set reference = v_reference where idempotency_key = p_idempotency_key;
        end if;
        return query select v_reference, p_request_hash, false;
      end $$;`);
  }

  override down(): void {
    this.addSql('drop function if exists "allocate_case_reference"(varchar, varchar, integer, varchar, varchar);');
    this.addSql('drop index if exists "contact_case_queue_position";');
  }
}
