export const caseArchiveWorkflowId = (reference: string) => `case-archive-${reference}`;

export interface CaseArchiveInput {
  reference: string;
  workflowId: string;
  runId: string;
}

