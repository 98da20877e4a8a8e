import { armClock, meetClocks } from '../clocks.js';
import { crimeClassifications, crimeDecisionProblems, type CrimeDecision, noCrimeReasons } from '../recording.js';
import { type CaseCommandDefinition, commandRequest, invalid, stageConflict } from './command.js';
import { Permission } from '../permissions.js';

export interface DecideCrimeCommand {
  type: 'decide-crime';
  decision: CrimeDecision;
}

/** The NCRS crime recording decision: meets its clock, and a recorded crime arms the Victims' Code clocks. */
export const decideCrime: CaseCommandDefinition<DecideCrimeCommand> = {
  type: 'decide-crime',
  update: 'recordCrimeDecision',
  request: commandRequest<DecideCrimeCommand>()({
    operation: 'decideCrime',
    bodyName: 'CrimeDecisionDto',
    resource: 'crime-decision',
    permission: Permission.ContactDecideCrime,
    summary: 'Record the NCRS crime recording decision',
    body: ({ z }) => z.strictObject({
      crimeRecorded: z.boolean(),
      classification: z.enum(crimeClassifications).optional(),
      noCrimeReason: z.enum(noCrimeReasons).optional(),
      victimSupportOptOut: z.boolean().optional().meta({ description: "The victim declined referral to victim support (Victims' Code): no 2-day referral clock" }),
    }),
    // Whether the decision holds together (a classification for a crime, a reason for none) is the
    // rule above, checked by the case's workflow: a 422 naming the field.
    given: (body) => ({
      command: {
        type: 'decide-crime',
        decision: { crimeRecorded: body.crimeRecorded, classification: body.classification, noCrimeReason: body.noCrimeReason, victimSupportOptOut: body.victimSupportOptOut },
      },
    }),
  }),
  reject(state, command) {
    if (!state.incident) return stageConflict(state, 'record the incident before the crime recording decision');
    const problems = crimeDecisionProblems(command.decision);
    return problems.length > 0 ? invalid(problems.map((p) => p.message).join('; '), problems) : null;
  },
  apply(next, command) {
    next.crimeDecision = { ...command.decision };
    return [
      {
        type: 'crime-decision',
        details: { crimeRecorded: command.decision.crimeRecorded, classification: command.decision.classification ?? null, noCrimeReason: command.decision.noCrimeReason ?? null },
      },
    ];
  },
  clocks(plan, command, { next, nowMs, policy }) {
    plan.then(meetClocks(plan.book, 'crime-recording', nowMs));
    if (command.decision.crimeRecorded && !plan.book.clocks.some((clock) => clock.kind.startsWith('victim-update'))) {
      const enhanced = next.screening.vulnerable || next.screening.domesticAbuse || next.screening.sexualOffence;
      plan.then(armClock(plan.book, policy, enhanced ? 'victim-update-enhanced' : 'victim-update', nowMs));
      if (!command.decision.victimSupportOptOut) plan.then(armClock(plan.book, policy, 'victim-support-referral', nowMs));
    }
  },
};
