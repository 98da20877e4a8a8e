import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { type Stage } from '../../domain/contact-case.js';
import { Sql } from '../database/sql.js';

/** Cases ahead that a queue position counts exactly; past this many it is a lower bound. */
export const QUEUE_POSITION_EXACT_UP_TO = 1_000;

export interface QueuePosition {
  position: number;
  /** False when more cases are ahead than were counted: the position is then at least this. */
  exact: boolean;
}

export interface QueueFilter {
  stage?: Stage;
  channel?: string;
  grade?: number;
  riskMarker?: 'IR';
  assignee?: string;
  breached?: boolean;
}

export interface QueueEntry {
  reference: string;
  channel: string;
  stage: string;
  grade: number | null;
  pendingGrade: number | null;
  riskMarker: string | null;
  domesticAbuse: boolean;
  sexualOffence: boolean;
  vulnerable: boolean;
  assignee: string;
  team: string;
  receivedAt: string;
  nextDueAt: string | null;
  escalationLevel: number;
  breached: boolean;
}

const QUEUE_ORDER = 'priority_rank asc, next_due_at asc nulls last, received_at asc, reference asc';

const toIso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** Reads of the case store for the API: the queue and the case view. */
@Injectable()
export class CaseQueries {
  constructor(
    private readonly orm: MikroORM,
    private readonly sql: Sql,
  ) {}

  /** Open cases in queue order: IR and grade 1 first, then by nearest due time, then oldest first. */
  async queue(filter: QueueFilter, page: { limit: number; offset: number }): Promise<{ total: number; items: QueueEntry[] }> {
    const conditions = ['closed_at is null'];
    const params: unknown[] = [];
    for (const [column, value] of [
      ['stage', filter.stage],
      ['channel', filter.channel],
      ['grade', filter.grade],
      ['risk_marker', filter.riskMarker],
      ['assignee', filter.assignee],
    ] as const) {
      if (value !== undefined) {
        conditions.push(`${column} = ?`);
        params.push(value);
      }
    }
    if (filter.breached !== undefined) conditions.push(filter.breached ? 'breached' : 'not breached');
    const where = conditions.join(' and ');
    const em = this.orm.em.fork();
    const [rows, [{ total }]] = await Promise.all([
      em.execute<Array<Record<string, unknown>>>(
        `select reference, channel, stage, grade, pending_grade, risk_marker, domestic_abuse, sexual_offence, vulnerable, assignee, team, received_at, next_due_at, escalation_level, breached
         from contact_case where ${where} order by ${QUEUE_ORDER} limit ? offset ?`,
        [...params, page.limit, page.offset],
      ),
      em.execute<Array<{ total: number }>>(`select count(*)::int as total from contact_case where ${where}`, params),
    ]);
    return {
      total,
      items: rows.map((row) => ({
        reference: row.reference as string,
        channel: row.channel as string,
        stage: row.stage as string,
        grade: row.grade as number | null,
        pendingGrade: row.pending_grade as number | null,
        riskMarker: row.risk_marker as string | null,
        domesticAbuse: row.domestic_abuse as boolean,
        sexualOffence: row.sexual_offence as boolean,
        vulnerable: row.vulnerable as boolean,
        assignee: row.assignee as string,
        team: row.team as string,
        receivedAt: toIso(row.received_at as Date)!,
        nextDueAt: toIso(row.next_due_at as Date | null),
        escalationLevel: row.escalation_level as number,
        breached: row.breached as boolean,
      })),
    };
  }

  /** Where a case with this priority, due time and arrival would stand in the open queue (1 = next). */
  /**
   * Where a new case stands in the queue: 1 + the open cases ahead of it. The count is a range scan
   * of the queue-position index that stops at QUEUE_POSITION_EXACT_UP_TO, so it costs the same with
   * ten open cases or a hundred thousand; beyond the bound the answer is a lower bound, and says so.
   */
  async queuePosition(position: { priorityRank: number; nextDueAt: Date | null; receivedAt: Date; reference: string }): Promise<QueuePosition> {
    const { priorityRank: rank, nextDueAt: due, receivedAt, reference } = position;
    const [{ ahead }] = await this.sql.query<{ ahead: number }>(
      `select count(*)::int as ahead from (
         select 1 from contact_case
         where closed_at is null
           and (priority_rank, coalesce(next_due_at, 'infinity'::timestamptz), received_at, reference)
             < ($1::smallint, coalesce($2::timestamptz, 'infinity'::timestamptz), $3::timestamptz, $4::varchar)
         limit $5) as ahead`,
      [rank, due, receivedAt, reference, QUEUE_POSITION_EXACT_UP_TO],
    );
    return { position: ahead + 1, exact: ahead < QUEUE_POSITION_EXACT_UP_TO };
  }

  /** Who read which case, and how: appended to the access log (which the database keeps append-only). */
  async logAccess(reference: string, actor: { subject: string; role: string }, action: 'view' | 'history' | 'replay'): Promise<void> {
    await this.orm.em.fork().execute('insert into case_access_log (reference, subject, role, action, at) values (?, ?, ?, ?, ?)', [reference, actor.subject, actor.role, action, new Date()]);
  }

  /** The case record with everything recorded on it (field names as the API gives them), or null. */
  async caseRecord(reference: string): Promise<CaseRecordView | null> {
    const em = this.orm.em.fork();
    const [row] = await em.execute<Array<Record<string, unknown>>>('select * from contact_case where reference = ?', [reference]);
    if (!row) return null;
    const related = async (table: string, order: string) =>
      (await em.execute<Array<Record<string, unknown>>>(`select * from ${table} where reference = ? order by ${order}`, [reference])).map(apiFields);
    const [assessments, incidents, crimeDecisions, referrals, notes, timeline] = await Promise.all([
      related('case_assessment', 'assessed_at'),
      related('case_incident', 'recorded_at'),
      related('case_crime_decision', 'decided_at'),
      related('case_referral', 'referred_at'),
      related('case_note', 'written_at'),
      related('case_event', 'sequence'),
    ]);
    return { case: apiFields(row) as CaseRecordView['case'], assessments, incidents, crimeDecisions, referrals, notes, timeline };
  }
}

export interface CaseRecordView {
  case: Record<string, unknown> & { reference: string; stage: string };
  assessments: Array<Record<string, unknown>>;
  incidents: Array<Record<string, unknown>>;
  crimeDecisions: Array<Record<string, unknown>>;
  referrals: Array<Record<string, unknown>>;
  notes: Array<Record<string, unknown>>;
  timeline: Array<Record<string, unknown>>;
}

/** Column names as the API's field names (snake_case to camelCase); times as UTC ISO 8601. */
function apiFields(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [
      column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()),
      // Every time column is named `at` or `…_at`; the driver may hand them over as text.
      (column === 'at' || column.endsWith('_at')) && value !== null ? toIso(value as Date | string) : value,
    ]),
  );
}
