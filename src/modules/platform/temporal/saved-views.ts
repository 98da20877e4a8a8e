/**
 * The list filters supervisors use in the Temporal Web UI: queries over the case search attributes
 * only (never personal data). docs/supervision-and-audit.md lists them and `npm run temporal:setup` prints their links.
 * Each must run on SQL visibility, which takes no `ORDER BY`: the order of work (IR and grade 1
 * first, then the nearest due time) is the API's queue, `GET /api/v1/contacts`. No view shows the
 * continuity drill's synthetic cases (team `continuity-drill`).
 */
export const savedViews = [
  { name: 'Open IR cases', query: 'CaseRiskMarker = "IR" AND ExecutionStatus = "Running" AND CaseTeam != "continuity-drill"' },
  { name: 'Breached clocks', query: 'CaseBreached = true AND ExecutionStatus = "Running" AND CaseTeam != "continuity-drill"' },
  { name: 'Unacknowledged alerts', query: 'CaseOpenAlert = true AND ExecutionStatus = "Running" AND CaseTeam != "continuity-drill"' },
  { name: 'Escalation level 2 and above', query: 'CaseEscalationLevel >= 2 AND ExecutionStatus = "Running" AND CaseTeam != "continuity-drill"' },
  { name: 'Grade 1 unresourced', query: 'CaseGrade = 1 AND CaseOpenClocks = "unresourced" AND ExecutionStatus = "Running" AND CaseTeam != "continuity-drill"' },
  { name: 'Vulnerable, awaiting assessment', query: 'CaseVulnerable = true AND CaseStage = "triage" AND ExecutionStatus = "Running" AND CaseTeam != "continuity-drill"' },
  { name: 'Direct messages awaiting a first response', query: 'CaseOpenClocks = "first-response" AND ExecutionStatus = "Running" AND CaseTeam != "continuity-drill"' },
  { name: 'All open cases', query: 'ExecutionStatus = "Running" AND CaseTeam != "continuity-drill"' },
] as const;

/** A link that opens the Temporal UI's workflow list with a view's query. */
export const savedViewUrl = (uiUrl: string, namespace: string, query: string) =>
  `${uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
