import { isEntry, type TimelineEntry } from './timeline.js';

/**
 * Alerts: every escalation a case raises (a clock's warning, breach or repeat, or a person's
 * escalation by hand) is an alert addressed to a role in the policy's chain. An alert stays open
 * until someone in that role acknowledges it with an action from a fixed list; acknowledging a
 * breach stops that clock escalating again. Plain data and pure functions.
 */

export const alertKinds = ['warning', 'breach', 're-escalation', 'manual'] as const;
export type AlertKind = (typeof alertKinds)[number];

/** What the person who acknowledged an alert did about it. */
export const acknowledgementActions = [
  'contacted-caller',
  'resource-requested',
  'regraded',
  'reassigned',
  'escalated-further',
  'no-action-needed',
] as const;
export type AcknowledgementAction = (typeof acknowledgementActions)[number];

/** Why a case moved to another person or team. */
export const assignmentReasons = ['claim', 'workload', 'skills', 'shift-change', 'escalation', 'other'] as const;
export type AssignmentReason = (typeof assignmentReasons)[number];

/** Why a supervisor regraded a case (no approval needed; recorded like every grade change). */
export const regradeReasons = ['risk-increased', 'risk-reduced', 'new-information', 'resource-position', 'other'] as const;
export type RegradeReason = (typeof regradeReasons)[number];

/** An alert that no one has acknowledged yet, as the case's workflow keeps it. */
export interface OpenAlert {
  /** The id of the `escalated` timeline entry that raised it: unique, and stable across retries. */
  id: string;
  kind: AlertKind;
  level: number;
  role: string;
  clock: string | null;
}

/** The kind of alert an `escalated` entry's reason raises. */
export function alertKindOf(reason: string): AlertKind {
  if (reason === 'clock-warning') return 'warning';
  if (reason === 'clock-breach') return 'breach';
  if (reason === 'clock-re-escalation') return 're-escalation';
  return 'manual';
}

/** The alerts raised by a change's recorded entries: one per `escalated` entry. */
export function raisedAlerts(entries: ReadonlyArray<{ id: string } & TimelineEntry>): OpenAlert[] {
  return entries.filter(isEntry('escalated')).map((entry) => ({
    id: entry.id,
    kind: alertKindOf(entry.details.reason),
    level: entry.details.level,
    role: entry.details.role,
    clock: entry.details.clock,
  }));
}
