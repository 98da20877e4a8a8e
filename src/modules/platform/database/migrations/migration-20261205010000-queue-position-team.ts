import { Migration } from '@mikro-orm/migrations';

/**
 * A new case's queue position leaves the continuity drill's team out. The queue-position index
 * carries `team` (as an included column, not a key) so that the count stays an index-only range
 * scan instead of visiting up to a thousand table rows on every intake.
 */
export class Migration20261205010000QueuePositionTeam extends Migration {
  override name = 'Migration20261205010000QueuePositionTeam';

  override up(): void {
    this.addSql('drop index if exists "contact_case_queue_position";');
    this.addSql(`create index "contact_case_queue_position" on "contact_case"
      ("priority_rank", coalesce("next_due_at", 'infinity'::timestamptz), "received_at", "reference") include ("team") where "closed_at" is null;`);
  }

  override down(): void {
    this.addSql('drop index if exists "contact_case_queue_position";');
    this.addSql(`create index "contact_case_queue_position" on "contact_case"
      ("priority_rank", coalesce("next_due_at", 'infinity'::timestamptz), "received_at", "reference") where "closed_at" is null;`);
  }
}
