import { activeClocks, armClock, stopClocks } from '../clocks.js';
import { allIncidentCategories, incidentQualifiers, needsCrimeDecision, type IncidentRecord } from '../recording.js';
import { alwaysAllowed, type CaseCommandDefinition, commandRequest } from './command.js';
import { Permission } from '../permissions.js';

export interface RecordIncidentCommand {
  type: 'record-incident';
  incident: IncidentRecord;
}

/** The NSIR incident record (or its amendment): arms the crime recording clock when it is a crime. */
export const recordIncident: CaseCommandDefinition<RecordIncidentCommand> = {
  type: 'record-incident',
  update: 'recordIncident',
  request: commandRequest<RecordIncidentCommand>()({
    operation: 'recordIncident',
    bodyName: 'IncidentDto',
    resource: 'incident',
    permission: Permission.ContactRecordIncident,
    summary: 'Record the NSIR incident: opening category and qualifiers',
    body: ({ z }) => z.strictObject({
      openingCategory: z.enum(allIncidentCategories),
      qualifiers: z
        .array(z.enum(incidentQualifiers))
        .max(incidentQualifiers.length)
        .refine((qualifiers) => new Set(qualifiers).size === qualifiers.length, { error: 'must not repeat a qualifier' })
        .meta({ uniqueItems: true }),
    }),
    given: (body) => ({ command: { type: 'record-incident', incident: { openingCategory: body.openingCategory, qualifiers: body.qualifiers } } }),
  }),
  reject: alwaysAllowed,
  apply(next, command, { state }) {
    next.incident = { openingCategory: command.incident.openingCategory, qualifiers: [...command.incident.qualifiers] };
    return [
      { type: state.incident ? 'incident-amended' : 'incident-recorded', details: { openingCategory: command.incident.openingCategory, qualifiers: command.incident.qualifiers.join(',') } },
    ];
  },
  clocks(plan, _command, { next, nowMs, policy }) {
    const crime = needsCrimeDecision(next.incident);
    const [running] = activeClocks(plan.book, 'crime-recording');
    // NCRS: recorded within 24 h of the report, so the clock runs from when the contact came in.
    if (crime && !running && next.crimeDecision === null && !plan.book.clocks.some((clock) => clock.kind === 'crime-recording')) {
      plan.then(armClock(plan.book, policy, 'crime-recording', Date.parse(next.receivedAt)));
    }
    if (!crime && running) plan.then(stopClocks(plan.book, [running.id], 'not-a-crime-incident', nowMs));
  },
};
