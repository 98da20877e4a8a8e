/**
 * The system-check workflow's contract, shared by the API and the workflow. A system check proves
 * the whole chain: API → Temporal → worker → activity → case store.
 */
import type { ActorRef } from '../domain/actor.js';

export const systemCheckWorkflowType = 'systemCheckWorkflow';

export const systemCheckWorkflowId = (checkId: string) => `system-check-${checkId}`;

export interface SystemCheckInput {
  checkId: string;
  /** UTC ISO 8601. */
  requestedAt: string;
  requestedBy: ActorRef;
}

export interface SystemCheckResult {
  checkId: string;
  recordedAt: string;
  workerIdentity: string;
  requestedBy: ActorRef;
}

/** The activity the workflow calls, as it sees it; the worker's provider implements it. */
export interface SystemCheckActivities {
  recordSystemCheck(input: SystemCheckInput & { workflowId: string }): Promise<SystemCheckResult>;
}
