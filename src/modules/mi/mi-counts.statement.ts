import { type RawBuilder, sql } from 'kysely';
import { type MiDelta } from '../../domain/mi.js';

/**
 * The statement that adds counts to the management information, both grains at once: each count's
 * day and month are taken in the force's time zone (`mi_local`), and a count without a dimension is
 * counted by its hour of the week there. Counts for the same row are summed first (one statement may
 * not update a row twice). Written only `where` the guard holds: the case store passes the guard of
 * the change the counts belong to, so they are added in the same statement, exactly once.
 *
 * SQL of its own (listed in docs/database.md): a schema function (`mi_local`), date arithmetic in
 * the force's time zone, and an upsert that adds to what is there.
 */
export function miCountsStatement(counts: readonly MiDelta[], guard: RawBuilder<boolean> = sql<boolean>`true`): RawBuilder<unknown> {
  const values = counts.map(
    (count) => sql`(${count.at}::timestamptz, ${count.team}::varchar, ${count.measure}::varchar, ${count.dimension}::varchar, ${count.count}::bigint, ${count.totalMs}::bigint)`,
  );
  return sql`insert into mi_count (grain, period, team, measure, dimension, count, total_ms)
    select g.grain, case g.grain when 'day' then mi_local(v.at)::date else date_trunc('month', mi_local(v.at))::date end, v.team, v.measure,
           coalesce(v.dimension, extract(isodow from mi_local(v.at))::int || '|' || extract(hour from mi_local(v.at))::int), sum(v.count), sum(v.total)
    from (values ${sql.join(values)}) as v(at, team, measure, dimension, count, total) cross join (values ('day'), ('month')) as g(grain)
    where ${guard}
    group by 1, 2, 3, 4, 5
    on conflict (grain, period, team, measure, dimension) do update set count = mi_count.count + excluded.count, total_ms = mi_count.total_ms + excluded.total_ms`;
}
