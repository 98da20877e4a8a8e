import { Migration } from '@mikro-orm/migrations';

/**
 * The queue's order as one comparable key, for a new case's position: open cases by priority, then
 * nearest due time (a case with no clock counting last), then arrival. A row comparison against
 * this index is a range scan, so counting the cases ahead of a new one reads only those cases (and
 * the count stops at a bound), however long the queue.
 */
export class Migration20261130000000QueuePosition extends Migration {
  override name = 'Migration20261130000000QueuePosition';

  override up(): void {
    this.addSql(`create index "contact_case_queue_position" on "contact_case"
      ("priority_rank", coalesce("next_due_at", 'infinity'::timestamptz), "received_at", "reference") where "closed_at" is null;`);
  }

  override down(): void {
    this.addSql('drop index if exists "contact_case_queue_position";');
  }
}
