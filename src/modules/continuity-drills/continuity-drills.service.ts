import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { DrillAlert, ExpectedAlarm, FiredAlarm } from '../../domain/continuity-drill.js';
import type { DrillRecord } from '../../workflows/continuity-drill.messages.js';
import { StoreDatabase } from '../platform/database/store-db.js';
import { type ContinuityDrill, ContinuityDrillSchema } from './continuity-drill.entity.js';

/** The drills' records, and what a drill reads back from the case store to judge itself. */
@Injectable()
export class ContinuityDrillsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: StoreDatabase,
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
    if (references.length === 0) return [];
    const rows = await this.store.db
      .selectFrom('case_event')
      .select((eb) => ['reference', eb.ref('details', '->>').key('clock').$castTo<string>().as('clock'), 'type', 'at'])
      .where('reference', 'in', references)
      .where('type', 'in', ['clock-warned', 'clock-breached'])
      .execute();
    return rows.map((row) => ({ reference: row.reference, clock: row.clock, alarm: row.type === 'clock-warned' ? 'warning' : 'due', at: new Date(row.at).toISOString() }));
  }

  /** The alerts the drill's cases raised, with how far each one's delivery got. */
  async alerts(references: readonly string[]): Promise<DrillAlert[]> {
    if (references.length === 0) return [];
    const rows = await this.store.db
      .selectFrom('case_alert')
      .select(['id', 'reference', 'clock', 'reason', 'raised_for', 'delivery_state'])
      .where('reference', 'in', [...references])
      .execute();
    return rows.map((row) => ({ id: row.id, reference: row.reference, clock: row.clock, reason: row.reason, raisedFor: new Date(row.raised_for).toISOString(), deliveryState: row.delivery_state }));
  }
}
