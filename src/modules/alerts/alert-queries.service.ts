import { Injectable } from '@nestjs/common';
import { DRILL_TEAM } from '../../domain/continuity-drill.js';
import { type AlertKind } from '../../domain/alerts.js';
import { type ExpressionBuilder, sql } from 'kysely';
import { StoreDatabase, type StoreTables, countRows } from '../platform/database/store-db.js';

export type AlertState = 'open' | 'acknowledged' | 'closed';

/** An alert as the API gives it: codes, times and staff ids only, never what a caller said. */
export interface AlertView {
  id: string;
  reference: string;
  kind: AlertKind;
  level: number;
  role: string;
  team: string;
  /** The rule that raised it: `clock-warning`, `clock-breach`, `clock-re-escalation`, or `manual:<reason>`. */
  reason: string;
  clock: string | null;
  /** When the alarm fell due (or the person escalated). */
  raisedAt: string;
  /** The clock's deadline, for a clock's alert. */
  dueAt: string | null;
  /** When the case store recorded it. */
  writtenAt: string;
  state: AlertState;
  acknowledgement: { at: string; by: { subject: string; role: string }; action: string } | null;
  closedAt: string | null;
  delivery: { state: string; attempts: number; deliveredAt: string | null };
}

export interface AlertFilter {
  state?: AlertState;
  reference?: string;
  clock?: string;
  level?: number;
  team?: string;
}

/** Where a stream client has read up to: the writing transaction's id, then the alert's id. */
export interface StreamCursor {
  xid: string;
  id: string;
}

type AlertRow = Awaited<ReturnType<ReturnType<AlertQueries['rows']>['execute']>>[number];

const COLUMNS = [
  'id',
  'reference',
  'kind',
  'level',
  'role',
  'team',
  'reason',
  'clock',
  'raised_for',
  'due_at',
  'created_at',
  'acknowledged_at',
  'acknowledged_by_subject',
  'acknowledged_by_role',
  'acknowledgement_action',
  'closed_at',
  'delivery_state',
  'delivery_attempts',
  'delivered_at',
] as const;

type Alerts = ExpressionBuilder<StoreTables, 'case_alert'>;
const STATE_CONDITION: Record<AlertState, (eb: Alerts) => ReturnType<Alerts['and']>> = {
  open: (eb) => eb.and([eb('acknowledged_at', 'is', null), eb('closed_at', 'is', null)]),
  acknowledged: (eb) => eb.and([eb('acknowledged_at', 'is not', null)]),
  closed: (eb) => eb.and([eb('acknowledged_at', 'is', null), eb('closed_at', 'is not', null)]),
};

// The ORM's connection hands times over as text: read them as instants, give them as UTC ISO 8601.
type Time = Date | string;
const iso = (value: Time | null) => (value === null ? null : new Date(value).toISOString());

function view(row: AlertRow): AlertView {
  return {
    id: row.id,
    reference: row.reference,
    kind: row.kind as AlertKind,
    level: row.level,
    role: row.role,
    team: row.team,
    reason: row.reason,
    clock: row.clock,
    raisedAt: iso(row.raised_for)!,
    dueAt: iso(row.due_at),
    writtenAt: iso(row.created_at)!,
    state: row.acknowledged_at ? 'acknowledged' : row.closed_at ? 'closed' : 'open',
    acknowledgement: row.acknowledged_at
      ? { at: iso(row.acknowledged_at)!, by: { subject: row.acknowledged_by_subject!, role: row.acknowledged_by_role! }, action: row.acknowledgement_action! }
      : null,
    closedAt: iso(row.closed_at),
    delivery: { state: row.delivery_state, attempts: row.delivery_attempts, deliveredAt: iso(row.delivered_at) },
  };
}

/**
 * Reads of the alerts: a caller's inbox, one alert, and the stream's next batch. The stream orders
 * by the writing transaction's id (`xid8`, which Kysely has no type for): those comparisons are
 * SQL of their own, listed in docs/database.md.
 */
@Injectable()
export class AlertQueries {
  constructor(private readonly store: StoreDatabase) {}

  /** The alert columns a view is made of, with the writing transaction's id as text. */
  private rows() {
    return this.store.db.selectFrom('case_alert').select((eb) => [...COLUMNS, eb.cast<string>(eb.ref('xid'), 'text').as('xid')]);
  }

  /** The alerts addressed to any of `roles`: open ones first, then newest first. */
  async inbox(roles: readonly string[], filter: AlertFilter, page: { limit: number; offset: number }): Promise<{ total: number; items: AlertView[] }> {
    const where = (eb: Alerts) => {
      const conditions = [eb('role', 'in', [...roles])];
      if (filter.state) conditions.push(STATE_CONDITION[filter.state](eb));
      // Continuity drills' alerts are not operational: shown only when their team is asked for.
      if (filter.team === undefined) conditions.push(eb('team', '<>', DRILL_TEAM));
      if (filter.reference !== undefined) conditions.push(eb('reference', '=', filter.reference));
      if (filter.clock !== undefined) conditions.push(eb('clock', '=', filter.clock));
      if (filter.level !== undefined) conditions.push(eb('level', '=', filter.level));
      if (filter.team !== undefined) conditions.push(eb('team', '=', filter.team));
      return eb.and(conditions);
    };
    if (roles.length === 0) return { total: 0, items: [] };
    const [rows, { total }] = await Promise.all([
      this.rows()
        .where(where)
        .orderBy(sql`("acknowledged_at" is null and "closed_at" is null)`, 'desc')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      this.store.db.selectFrom('case_alert').select(countRows().as('total')).where(where).executeTakeFirstOrThrow(),
    ]);
    return { total, items: rows.map(view) };
  }

  async find(id: string): Promise<AlertView | null> {
    const row = await this.rows().where('id', '=', id).executeTakeFirst();
    return row ? view(row) : null;
  }

  /** Where a stream that starts now begins: just before every transaction still running. */
  async streamStart(): Promise<StreamCursor> {
    return { xid: await this.streamHorizon(), id: '' };
  }

  /** The oldest transaction still running: every alert of an older one is committed (or never will be). */
  async streamHorizon(): Promise<string> {
    const [row] = await this.store.run(sql<{ xid: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xid`);
    return row.xid;
  }

  /** Whether cursor `a` comes after `b` in stream order (the database's order of alert ids). */
  async cursorAfter(a: StreamCursor, b: StreamCursor): Promise<boolean> {
    if (a.xid !== b.xid) return BigInt(a.xid) > BigInt(b.xid);
    const [row] = await this.store.run(sql<{ after: boolean }>`select (${a.xid}::xid8, ${a.id}::varchar) > (${b.xid}::xid8, ${b.id}::varchar) as after`);
    return row.after;
  }

  /**
   * The next alerts after `cursor` (for `roles`, or for every role when it is null; up to `upTo`
   * when given), in stream order, taking only those whose transaction is older than `below` (by
   * default, than every transaction still running): none can commit behind them later.
   */
  async streamBatch(
    roles: readonly string[] | null,
    cursor: StreamCursor,
    limit: number,
    bounds: { upTo?: StreamCursor; below?: string } = {},
  ): Promise<Array<{ cursor: StreamCursor; alert: AlertView }>> {
    let batch = this.rows()
      .where(sql<boolean>`("xid", "id") > (${cursor.xid}::xid8, ${cursor.id}::varchar)`)
      .where(sql<boolean>`"xid" < coalesce(${bounds.below ?? null}::xid8, pg_snapshot_xmin(pg_current_snapshot()))`)
      .where('team', '<>', DRILL_TEAM);
    if (roles !== null) batch = batch.where('role', 'in', roles.length > 0 ? [...roles] : ['']);
    if (bounds.upTo) batch = batch.where(sql<boolean>`("xid", "id") <= (${bounds.upTo.xid}::xid8, ${bounds.upTo.id}::varchar)`);
    const rows = await batch.orderBy('xid').orderBy('id').limit(limit).execute();
    return rows.map((row) => ({ cursor: { xid: row.xid, id: row.id }, alert: view(row) }));
  }
}
