export const caseArchiveWorkflowId = (reference: string) => `case-archive-${reference}`;
/** The archive of a run that continued as new (the last run's is {@link caseArchiveWorkflowId}). */
export const caseRunArchiveWorkflowId = (reference: string, runId: string) => `case-archive-${reference}-${runId}`;

export interface CaseArchiveInput {
  reference: string;
  workflowId: string;
  runId: string;
}

/** The activity the archive workflow calls, as it sees it; the worker's provider implements it. */
export interface CaseHistoryActivities {
  exportCaseHistory(input: CaseArchiveInput): Promise<void>;
}
