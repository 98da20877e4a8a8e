import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { LateAlarm } from '../../domain/continuity-drill.js';

/** One continuity drill, as judged: what it opened, the restart, and how every clock and alert did. */
export const ContinuityDrillSchema = defineEntity({
  name: 'ContinuityDrill',
  tableName: 'continuity_drill',
  properties: {
    id: p.uuid().primary(),
    workflowId: p.string().length(200).unique('continuity_drill_workflow_id_key'),
    trigger: p.string().length(16),
    requestedBySubject: p.string().length(128),
    requestedByRole: p.string().length(64),
    startedAt: p.datetime(),
    finishedAt: p.datetime(),
    outcome: p.string().length(8),
    cases: p.integer(),
    clockSeconds: p.integer(),
    toleranceMs: p.integer(),
    workerDownMs: p.integer(),
    workerIdentity: p.string().length(200),
    workerStoppedAt: p.datetime(),
    alarmsExpected: p.integer(),
    alarmsOnTime: p.integer(),
    alertsExpected: p.integer(),
    alertsDelivered: p.integer(),
    maxLatenessMs: p.integer().nullable(),
    lateAlarms: p.json<LateAlarm[]>(),
    problems: p.json<string[]>(),
    caseReferences: p.json<string[]>(),
  },
  indexes: [{ name: 'continuity_drill_finished', properties: ['finishedAt'] }],
});

export type ContinuityDrill = InferEntity<typeof ContinuityDrillSchema>;
