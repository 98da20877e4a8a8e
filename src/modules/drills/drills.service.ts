import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { DrillAlert, ExpectedAlarm, FiredAlarm } from '../../domain/continuity-drill.js';
import type { DrillRecord } from '../../workflows/continuity-drill.messages.js';
import { Sql } from '../platform/database/sql.js';
import { type ContinuityDrill, ContinuityDrillSchema } from './continuity-drill.entity.js';

/** The drills' records, and what a drill reads back from the case store to judge itself. */
@Injectable()
export class DrillsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly sql: Sql,
  ) {}

  /** Writes the drill once: a retried activity finds the row there and changes nothing. */
  async record(record: DrillRecord): Promise<void> {
    const { verdict, settings, restart } = record;
    await this.orm.em.fork().upsert(
      ContinuityDrillSchema,
      {
        id: record.drillId,
        workflowId: record.workflowId,
        trigger: record.trigger,
        requestedBySubject: record.requestedBy.subject,
        requestedByRole: record.requestedBy.role,
        startedAt: new Date(record.startedAt),
        finishedAt: new Date(record.finishedAt),
        outcome: verdict.outcome,
        cases: record.references.length,
        clockSeconds: settings.clockSeconds,
        toleranceMs: settings.toleranceSeconds * 1000,
        workerDownMs: restart.downMs,
        workerIdentity: restart.workerIdentity,
        workerStoppedAt: new Date(restart.stoppedAt),
        alarmsExpected: verdict.alarmsExpected,
        alarmsOnTime: verdict.alarmsOnTime,
        alertsExpected: verdict.alertsExpected,
        alertsDelivered: verdict.alertsDelivered,
        maxLatenessMs: verdict.maxLatenessMs,
        lateAlarms: verdict.late,
        problems: verdict.problems,
        caseReferences: record.references,
      },
      { onConflictFields: ['id'], onConflictAction: 'ignore', disableIdentityMap: true },
    );
  }

  /** The latest drills, newest first. */
  latest(limit: number): Promise<ContinuityDrill[]> {
    return this.orm.em.fork().find(ContinuityDrillSchema, {}, { orderBy: { finishedAt: 'desc' }, limit });
  }

  find(id: string): Promise<ContinuityDrill | null> {
    return this.orm.em.fork().findOne(ContinuityDrillSchema, { id });
  }

  /** Each warning and breach the drill's clocks recorded, from the cases' timelines. */
  async firedAlarms(expected: readonly ExpectedAlarm[]): Promise<FiredAlarm[]> {
    const references = [...new Set(expected.map((alarm) => alarm.reference))];
    const rows = await this.sql.query<{ reference: string; clock: string; type: string; at: Date | string }>(
      `select reference, details->>'clock' as clock, type, at from case_event
        where reference = any($1::varchar[]) and type in ('clock-warned', 'clock-breached')`,
      [references],
    );
    return rows.map((row) => ({ reference: row.reference, clock: row.clock, alarm: row.type === 'clock-warned' ? 'warning' : 'due', at: new Date(row.at).toISOString() }));
  }

  /** The alerts the drill's cases raised, with how far each one's delivery got. */
  async alerts(references: readonly string[]): Promise<DrillAlert[]> {
    const rows = await this.sql.query<{ id: string; reference: string; clock: string | null; reason: string; raised_for: Date | string; delivery_state: string }>(
      'select id, reference, clock, reason, raised_for, delivery_state from case_alert where reference = any($1::varchar[])',
      [references],
    );
    return rows.map((row) => ({ id: row.id, reference: row.reference, clock: row.clock, reason: row.reason, raisedFor: new Date(row.raised_for).toISOString(), deliveryState: row.delivery_state }));
  }
}
