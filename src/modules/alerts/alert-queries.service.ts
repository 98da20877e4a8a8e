import { Injectable } from '@nestjs/common';
import { DRILL_TEAM } from '../../domain/continuity-drill.js';
import { type AlertKind } from '../../domain/alerts.js';
import { Sql } from '../platform/database/sql.js';

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

interface AlertRow {
  id: string;
  reference: string;
  kind: AlertKind;
  level: number;
  role: string;
  team: string;
  reason: string;
  clock: string | null;
  raised_for: Time;
  due_at: Time | null;
  created_at: Time;
  acknowledged_at: Time | null;
  acknowledged_by_subject: string | null;
  acknowledged_by_role: string | null;
  acknowledgement_action: string | null;
  closed_at: Time | null;
  delivery_state: string;
  delivery_attempts: number;
  delivered_at: Time | null;
  xid: string;
}

const COLUMNS = `"id", "reference", "kind", "level", "role", "team", "reason", "clock", "raised_for", "due_at", "created_at", "acknowledged_at",
  "acknowledged_by_subject", "acknowledged_by_role", "acknowledgement_action", "closed_at", "delivery_state", "delivery_attempts", "delivered_at", "xid"::text as "xid"`;

const STATE_CONDITION: Record<AlertState, string> = {
  open: '"acknowledged_at" is null and "closed_at" is null',
  acknowledged: '"acknowledged_at" is not null',
  closed: '"acknowledged_at" is null and "closed_at" is not null',
};

// The ORM's connection hands times over as text: read them as instants, give them as UTC ISO 8601.
type Time = Date | string;
const iso = (value: Time | null) => (value === null ? null : new Date(value).toISOString());

function view(row: AlertRow): AlertView {
  return {
    id: row.id,
    reference: row.reference,
    kind: row.kind,
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
 * Reads of the alerts: a caller's inbox, one alert, and the stream's next batch. Plain SQL: the
 * inbox orders by a condition (open first), and the stream compares transaction ids.
 */
@Injectable()
export class AlertQueries {
  constructor(private readonly sql: Sql) {}

  /** The alerts addressed to any of `roles`: open ones first, then newest first. */
  async inbox(roles: readonly string[], filter: AlertFilter, page: { limit: number; offset: number }): Promise<{ total: number; items: AlertView[] }> {
    const values: unknown[] = [roles];
    const conditions = ['"role" = any($1::varchar[])'];
    if (filter.state) conditions.push(STATE_CONDITION[filter.state]);
    // Continuity drills' alerts are not operational: shown only when their team is asked for.
    if (filter.team === undefined) {
      values.push(DRILL_TEAM);
      conditions.push(`"team" <> $${values.length}`);
    }
    for (const [column, value] of [['reference', filter.reference], ['clock', filter.clock], ['level', filter.level], ['team', filter.team]] as const) {
      if (value === undefined) continue;
      values.push(value);
      conditions.push(`"${column}" = $${values.length}`);
    }
    const where = conditions.join(' and ');
    const [rows, [{ total }]] = await Promise.all([
      this.sql.query<AlertRow>(
        `select ${COLUMNS} from "case_alert" where ${where}
         order by ("acknowledged_at" is null and "closed_at" is null) desc, "created_at" desc, "id" desc
         limit $${values.length + 1} offset $${values.length + 2}`,
        [...values, page.limit, page.offset],
      ),
      this.sql.query<{ total: number }>(`select count(*)::int as total from "case_alert" where ${where}`, values),
    ]);
    return { total, items: rows.map(view) };
  }

  async find(id: string): Promise<AlertView | null> {
    const [row] = await this.sql.query<AlertRow>(`select ${COLUMNS} from "case_alert" where "id" = $1`, [id]);
    return row ? view(row) : null;
  }

  /** Where a stream that starts now begins: just before every transaction still running. */
  async streamStart(): Promise<StreamCursor> {
    return { xid: await this.streamHorizon(), id: '' };
  }

  /** The oldest transaction still running: every alert of an older one is committed (or never will be). */
  async streamHorizon(): Promise<string> {
    const [row] = await this.sql.query<{ xid: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as xid');
    return row.xid;
  }

  /** Whether cursor `a` comes after `b` in stream order (the database's order of alert ids). */
  async cursorAfter(a: StreamCursor, b: StreamCursor): Promise<boolean> {
    if (a.xid !== b.xid) return BigInt(a.xid) > BigInt(b.xid);
    const [row] = await this.sql.query<{ after: boolean }>('select ($1::xid8, $2::varchar) > ($3::xid8, $4::varchar) as after', [a.xid, a.id, b.xid, b.id]);
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
    const rows = await this.sql.query<AlertRow>(
      `select ${COLUMNS} from "case_alert"
       where ($1::varchar[] is null or "role" = any($1::varchar[])) and ("xid", "id") > ($2::xid8, $3::varchar)
         and ($6::xid8 is null or ("xid", "id") <= ($6::xid8, $7::varchar))
         and "xid" < coalesce($8::xid8, pg_snapshot_xmin(pg_current_snapshot())) and "team" <> $5
       order by "xid", "id" limit $4`,
      [roles, cursor.xid, cursor.id, limit, DRILL_TEAM, bounds.upTo?.xid ?? null, bounds.upTo?.id ?? null, bounds.below ?? null],
    );
    return rows.map((row) => ({ cursor: { xid: row.xid, id: row.id }, alert: view(row) }));
  }
}
