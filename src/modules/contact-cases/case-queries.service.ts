import { Injectable } from '@nestjs/common';
import { DRILL_TEAM } from '../../domain/continuity-drill.js';
import { MikroORM } from '@mikro-orm/postgresql';
import { type Stage } from '../../domain/contact-case.js';
import { wrap } from '@mikro-orm/core';
import { CaseAccessLogSchema } from '../audit/audit.entity.js';
import { sql } from 'kysely';
import { StoreDatabase } from '../platform/database/store-db.js';
import { StoreAlertSchema } from './case-records.entity.js';
import { CaseAssessmentSchema, CaseCrimeDecisionSchema, CaseDowngradeDecisionSchema, CaseEventSchema, CaseIncidentSchema, CaseNoteSchema, CaseReferralSchema } from './case-records.entity.js';
import { CaseMessageSchema } from '../conversations/conversation.entity.js';
import { type ContactCaseRow, ContactCaseSchema } from './contact-case.entity.js';
import { asStated } from './case-row.js';

/**
 * The kinds of read the access log records: a case viewed, its history or replay, a caller lookup
 * (by hand, or with an intake, whose answer shows the caller's history), the hub's inbox, and payloads decoded
 * for the Temporal Web UI.
 */
export type CaseAccessAction = 'view' | 'history' | 'replay' | 'caller-lookup' | 'inbox' | 'payload-decode';

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
  team?: string;
  breached?: boolean;
}

/** A field of the case row the queue can show (an entity property of the case). */
export type QueueField = keyof ContactCaseRow;

/** A value as the API states it: a time as UTC ISO 8601, nothing missing but null. */
type AsStated<T> = T extends Date ? string : T extends undefined ? null : T;

/** A case in the queue: the fields asked for, each as the API states it. */
export type QueueEntry<F extends QueueField> = { [K in F]: AsStated<ContactCaseRow[K]> };

/** Reads of the case store for the API: the queue and the case view. */
@Injectable()
export class CaseQueries {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: StoreDatabase,
  ) {}

  /** Open cases in queue order: IR and grade 1 first, then by nearest due time, then oldest first. */
  async queue<F extends QueueField>(fields: readonly F[], filter: QueueFilter, page: { limit: number; offset: number }): Promise<{ total: number; items: Array<QueueEntry<F>> }> {
    const { breached, ...equal } = filter;
    const where = {
      closedAt: null,
      // A continuity drill's synthetic cases are in no one's queue unless their team is asked for.
      team: { $ne: DRILL_TEAM },
      ...Object.fromEntries(Object.entries(equal).filter(([, value]) => value !== undefined)),
      ...(breached === undefined ? {} : { breached }),
    };
    const [rows, total] = await this.orm.em.fork().findAndCount(ContactCaseSchema, where, {
      fields: [...fields] as never[],
      orderBy: [{ priorityRank: 'asc' }, { nextDueAt: 'asc nulls last' }, { receivedAt: 'asc' }, { reference: 'asc' }],
      limit: page.limit,
      offset: page.offset,
    });
    return {
      total,
      items: rows.map((row) => Object.fromEntries(fields.map((field) => [field, asStated(row[field])])) as QueueEntry<F>),
    };
  }

  /**
   * Where a new case stands in the queue: 1 + the open cases ahead of it. The count is a range scan
   * of the queue-position index that stops at QUEUE_POSITION_EXACT_UP_TO, so it costs the same with
   * ten open cases or a hundred thousand; beyond the bound the answer is a lower bound, and says so.
   */
  async queuePosition(position: { priorityRank: number; nextDueAt: Date | null; receivedAt: Date; reference: string }): Promise<QueuePosition> {
    const { priorityRank: rank, nextDueAt: due, receivedAt, reference } = position;
    // Raw SQL (listed in docs/database.md): the row comparison is written as the queue-position
    // index's expression, with the constant 'infinity' the planner matches it by.
    const [{ ahead }] = await this.store.run(sql<{ ahead: number }>`select count(*)::int as ahead from (
         select 1 from contact_case
         where closed_at is null and team <> ${DRILL_TEAM}
           and (priority_rank, coalesce(next_due_at, 'infinity'::timestamptz), received_at, reference)
             < (${rank}::smallint, coalesce(${due}::timestamptz, 'infinity'::timestamptz), ${receivedAt}::timestamptz, ${reference}::varchar)
         limit ${QUEUE_POSITION_EXACT_UP_TO}) as ahead`);
    return { position: ahead + 1, exact: ahead < QUEUE_POSITION_EXACT_UP_TO };
  }

  /** The store alerts for administrators and auditors: the unsettled first, newest first. */
  async storeAlerts(limit: number) {
    const rows = await this.orm.em.fork().find(StoreAlertSchema, {}, { orderBy: [{ resolvedAt: 'desc nulls first' }, { raisedAt: 'desc' }], limit });
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      reference: row.reference,
      changeId: row.changeId ?? null,
      version: row.version ?? null,
      sqlState: row.sqlState ?? null,
      errorName: row.errorName ?? null,
      attempts: row.attempts,
      raisedAt: row.raisedAt.toISOString(),
      resolvedAt: row.resolvedAt?.toISOString() ?? null,
    }));
  }

  /**
   * Who read which case, and how: appended to the access log (which the database keeps
   * append-only). A read that showed several cases logs one row for each; one that showed none (a
   * caller lookup that matched nothing) logs one row with no reference.
   */
  async logAccess(references: string | null | ReadonlyArray<string | null>, actor: { subject: string; role: string }, action: CaseAccessAction): Promise<void> {
    const list = references === null ? [null] : typeof references === 'string' ? [references] : references.length > 0 ? references : [null];
    const at = new Date();
    await this.orm.em.fork().insertMany(
      CaseAccessLogSchema,
      list.map((reference) => ({ reference, subject: actor.subject, role: actor.role, action, at })),
    );
  }

  /** The case record with everything recorded on it (field names as the API gives them), or null. */
  async caseRecord(reference: string): Promise<CaseRecordView | null> {
    const em = this.orm.em.fork();
    const row = await em.findOne(ContactCaseSchema, { reference });
    if (!row) return null;
    const [assessments, incidents, crimeDecisions, referrals, downgradeDecisions, notes, timeline, messages] = await Promise.all([
      em.find(CaseAssessmentSchema, { reference }, { orderBy: { assessedAt: 'asc' } }),
      em.find(CaseIncidentSchema, { reference }, { orderBy: { recordedAt: 'asc' } }),
      em.find(CaseCrimeDecisionSchema, { reference }, { orderBy: { decidedAt: 'asc' } }),
      em.find(CaseReferralSchema, { reference }, { orderBy: { referredAt: 'asc' } }),
      em.find(CaseDowngradeDecisionSchema, { reference }, { orderBy: { decidedAt: 'asc' } }),
      em.find(CaseNoteSchema, { reference }, { orderBy: { writtenAt: 'asc' } }),
      em.find(CaseEventSchema, { reference }, { orderBy: { sequence: 'asc' } }),
      em.find(CaseMessageSchema, { reference }, { orderBy: { sentAt: 'asc', id: 'asc' } }),
    ]);
    const view = (rows: object[]) => rows.map(apiFields);
    return {
      case: apiFields(row) as CaseRecordView['case'],
      assessments: view(assessments),
      incidents: view(incidents),
      crimeDecisions: view(crimeDecisions),
      referrals: view(referrals),
      downgradeDecisions: view(downgradeDecisions),
      notes: view(notes),
      timeline: view(timeline),
      messages: view(messages),
    };
  }
}

export interface CaseRecordView {
  case: Record<string, unknown> & { reference: string; stage: string };
  assessments: Array<Record<string, unknown>>;
  incidents: Array<Record<string, unknown>>;
  crimeDecisions: Array<Record<string, unknown>>;
  referrals: Array<Record<string, unknown>>;
  downgradeDecisions: Array<Record<string, unknown>>;
  notes: Array<Record<string, unknown>>;
  timeline: Array<Record<string, unknown>>;
  messages: Array<Record<string, unknown>>;
}

/** A record as the API gives it: its properties as they are, times as UTC ISO 8601, absent values as null. */
function apiFields(row: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(wrap(row).toObject()).map(([name, value]) => [name, value instanceof Date ? value.toISOString() : (value ?? null)]));
}
