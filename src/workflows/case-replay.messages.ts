/** Replaying a case's history runs on the worker (which has the workflow code), asked by the API. */
export const caseReplayWorkflowType = 'caseReplayWorkflow';
/** One per request: several auditors may replay one case at once. */
export const caseReplayWorkflowId = (reference: string, requestId: string) => `case-replay-${reference}-${requestId}`;

export interface CaseReplayInput {
  reference: string;
}

export interface ReplayReport {
  reference: string;
  /** `archive`: exported into the case store as each run closed; `live`: from Temporal; or both (earlier runs exported, the current one live). */
  source: 'archive' | 'live' | 'archive and live';
  /** Runs of the case's workflow replayed (more than one once it has continued as new). */
  runs: number;
  events: number;
  reproduced: boolean;
  /** In plain words: "all decisions reproduced", or where and how the code and the record part. */
  verdict: string;
}

/** The activity the replay workflow calls, as it sees it; the worker's provider implements it. */
export interface CaseReplayActivities {
  replayCase(input: CaseReplayInput): Promise<ReplayReport>;
}
