import { type AcknowledgementAction } from '../alerts.js';
import { quietenClock } from '../clocks.js';
import { type CaseCommandDefinition, invalid, stageConflict } from './command.js';

export interface AcknowledgeAlertCommand {
  type: 'acknowledge-alert';
  alert: string;
  action: AcknowledgementAction;
  note?: string;
}

/** The role an alert is addressed to acts on it: it closes, and a breached clock stops escalating again. */
export const acknowledgeAlert: CaseCommandDefinition<AcknowledgeAlertCommand> = {
  type: 'acknowledge-alert',
  update: 'acknowledgeAlert',
  // Given through the alerts (POST /alerts/{id}/acknowledgement), which name the alert: no request here.
  reject(state, command, actor) {
    const alert = state.alerts.find((candidate) => candidate.id === command.alert);
    if (!alert) return stageConflict(state, `alert ${command.alert} is not open: it was acknowledged already, or the case never raised it`);
    if (alert.role !== actor.role) return invalid(`Alert ${alert.id} is addressed to ${alert.role}`, [{ field: 'alert', message: `addressed to ${alert.role}, not ${actor.role}` }]);
    return null;
  },
  apply(next, command, { state }) {
    const alert = state.alerts.find((candidate) => candidate.id === command.alert)!;
    next.alerts = state.alerts.filter((candidate) => candidate.id !== alert.id);
    return [{ type: 'alert-acknowledged', details: { alert: alert.id, kind: alert.kind, level: alert.level, role: alert.role, clock: alert.clock, action: command.action } }];
  },
  clocks(plan, command, { state }) {
    // Someone has acted on the breach: that clock stops escalating again.
    const alert = state.alerts.find((candidate) => candidate.id === command.alert);
    if (alert?.clock && alert.kind !== 'warning') plan.then(quietenClock(plan.book, alert.clock));
  },
};
