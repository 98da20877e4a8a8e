import { meetClocks } from '../clocks.js';
import { type CaseCommandDefinition, commandRequest, invalid, stageConflict } from './command.js';
import { Permission } from '../permissions.js';

export interface RecordAttendanceCommand {
  type: 'record-attendance';
  event: 'dispatched' | 'arrived';
  unit?: string;
}

/** A unit dispatched, then arrived: meets the unresourced and then the attendance clock. */
export const recordAttendance: CaseCommandDefinition<RecordAttendanceCommand> = {
  type: 'record-attendance',
  update: 'recordAttendance',
  request: commandRequest<RecordAttendanceCommand>()({
    operation: 'recordAttendance',
    bodyName: 'AttendanceDto',
    resource: 'attendance',
    permission: Permission.ContactRecordAttendance,
    summary: 'Record deployment: a unit dispatched, then arrived',
    body: ({ z, text }) => z.strictObject({ event: z.enum(['dispatched', 'arrived']), unit: text(1, 32).optional().meta({ description: 'Call sign of the unit' }) }),
    given: (body) => ({ command: { type: 'record-attendance', event: body.event, unit: body.unit } }),
  }),
  reject(state, command) {
    if (state.grade === null) return stageConflict(state, 'grade the case before deploying to it');
    if (state.grade === 4) return invalid('A grade 4 case is resolved without deployment', [{ field: 'event', message: 'no deployment at grade 4' }]);
    if (command.event === 'dispatched' && state.attendance.dispatchedAt) return invalid('A unit has already been dispatched', [{ field: 'event', message: 'already dispatched' }]);
    if (command.event === 'arrived' && !state.attendance.dispatchedAt) return invalid('No unit has been dispatched yet', [{ field: 'event', message: 'dispatch first' }]);
    if (command.event === 'arrived' && state.attendance.arrivedAt) return invalid('Arrival is already recorded', [{ field: 'event', message: 'already arrived' }]);
    return null;
  },
  apply(next, command, { now }) {
    if (command.event === 'dispatched') {
      next.attendance.dispatchedAt = now;
      next.attendance.unit = command.unit ?? null;
    } else {
      next.attendance.arrivedAt = now;
    }
    return [{ type: `attendance-${command.event}`, details: { unit: command.unit ?? next.attendance.unit } }];
  },
  clocks(plan, command, { nowMs }) {
    plan.then(meetClocks(plan.book, command.event === 'dispatched' ? 'unresourced' : 'attendance', nowMs));
  },
};
