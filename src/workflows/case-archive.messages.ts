export const caseArchiveWorkflowId = (reference: string) => `case-archive-${reference}`;

export interface CaseArchiveInput {
  reference: string;
  workflowId: string;
  runId: string;
}

/** The failure type while the case's run is still open: retried until it closes. */
export const CASE_STILL_OPEN = 'CaseStillOpen';
