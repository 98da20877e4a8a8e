/**
 * The list filters supervisors use in the Temporal Web UI: queries over the case search attributes
 * only (never personal data). The README lists them and `npm run temporal:setup` prints their links.
 */
export const savedViews = [
  { name: 'Open IR cases', query: 'CaseRiskMarker = "IR" AND ExecutionStatus = "Running"' },
  { name: 'Breached clocks', query: 'CaseBreached = true AND ExecutionStatus = "Running"' },
  { name: 'Unacknowledged alerts', query: 'CaseOpenAlert = true AND ExecutionStatus = "Running"' },
  { name: 'Escalation level 2 and above', query: 'CaseEscalationLevel >= 2 AND ExecutionStatus = "Running"' },
  { name: 'Grade 1 unresourced', query: 'CaseGrade = 1 AND CaseOpenClocks = "unresourced" AND ExecutionStatus = "Running"' },
  { name: 'Vulnerable, awaiting assessment', query: 'CaseVulnerable = true AND CaseStage = "triage" AND ExecutionStatus = "Running"' },
  { name: 'Due in order (all open cases)', query: 'ExecutionStatus = "Running" ORDER BY CaseNextDueAt' },
] as const;

/** A link that opens the Temporal UI's workflow list with a view's query. */
export const savedViewUrl = (uiUrl: string, namespace: string, query: string) =>
  `${uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
