/**
 * The continuity drill's contract, shared by the API, the CLI, the schedule and the workflow.
 */
import type { ActorRef } from '../domain/actor.js';
import type { CaseClock } from '../domain/clocks.js';
import type { DrillSettings, DrillVerdict, ExpectedAlarm } from '../domain/continuity-drill.js';

export const continuityDrillWorkflowType = 'continuityDrillWorkflow';

/** A drill started by hand: `continuity-drill-<id>`; the schedule's runs carry its id and a time. */
export const continuityDrillWorkflowId = (drillId: string) => `continuity-drill-${drillId}`;

/** One schedule per task queue, so that deployments sharing a namespace keep theirs apart. */
export const continuityDrillScheduleId = (taskQueue: string) => `continuity-drill-${taskQueue}`;

export interface ContinuityDrillInput {
  trigger: 'manual' | 'schedule';
  requestedBy: ActorRef;
  settings: DrillSettings;
}

export interface DrillCase {
  reference: string;
  clocks: CaseClock[];
}

export interface WorkerRestart {
  /** The worker that took the request and went down. */
  workerIdentity: string;
  stoppedAt: string;
  downMs: number;
}

export interface DrillRecord {
  drillId: string;
  workflowId: string;
  trigger: ContinuityDrillInput['trigger'];
  requestedBy: ActorRef;
  settings: DrillSettings;
  startedAt: string;
  finishedAt: string;
  references: string[];
  restart: WorkerRestart;
  verdict: DrillVerdict;
}

/** The activities the drill calls, as it sees them; the worker's provider implements them. */
export interface ContinuityDrillActivities {
  openDrillCases(input: { drillId: string; settings: DrillSettings; actor: ActorRef }): Promise<DrillCase[]>;
  restartWorker(input: { downMs: number }): Promise<WorkerRestart>;
  verifyDrill(input: { expected: ExpectedAlarm[]; toleranceMs: number; settleMs: number }): Promise<DrillVerdict>;
  recordDrill(record: DrillRecord): Promise<void>;
  closeDrillCases(input: { references: string[]; actor: ActorRef; drillId: string }): Promise<number>;
}
