import { activeClocks, stopClocks } from '../clocks.js';
import { type ContactCaseState, type Rejection } from '../contact-case.js';
import { allIncidentCategories, type IncidentCategory, needsCrimeDecision } from '../recording.js';
import { type CaseCommandDefinition, commandRequest, invalid, stageConflict } from './command.js';
import { Permission } from '../permissions.js';

export const outcomes = ['resolved-at-first-contact', 'attended', 'appointment', 'referred', 'signposted', 'no-further-action'] as const;
export type Outcome = (typeof outcomes)[number];

export interface Resolution {
  outcome: Outcome;
  closingCategory: IncidentCategory;
  appointmentAt?: string;
  signpostedTo?: string;
  noFurtherActionReason?: string;
}

const safeguardingDone = (state: ContactCaseState) => state.referrals.some((referral) => referral.kind === 'safeguarding');

/** What each outcome needs first, as the policy's resolution standards say. */
function resolutionRejection(state: ContactCaseState, resolution: Resolution): Rejection | null {
  if (state.stage !== 'resolution') return stageConflict(state, 'a case is resolved only once it is assessed and its incident recorded');
  const missing: string[] = [];
  if (state.pendingDowngrade) missing.push('the pending downgrade must be approved or refused');
  if (needsCrimeDecision(state.incident, resolution.closingCategory) && !state.crimeDecision) missing.push('an NCRS crime recording decision');
  switch (resolution.outcome) {
    case 'resolved-at-first-contact':
      // Single call resolution is measured, so it must not reward closing early.
      if (state.grade !== 4) missing.push('grade 4 (resolved without deployment)');
      if (state.safeguardingRequired && !safeguardingDone(state)) missing.push('a safeguarding referral');
      break;
    case 'attended':
      if (!state.attendance.arrivedAt) missing.push('attendance (arrival)');
      break;
    case 'appointment':
      if (!resolution.appointmentAt) missing.push('appointmentAt');
      break;
    case 'referred':
      if (state.referrals.length === 0) missing.push('a referral');
      break;
    case 'signposted':
      if (!resolution.signpostedTo) missing.push('signpostedTo');
      break;
    case 'no-further-action':
      if (!resolution.noFurtherActionReason) missing.push('noFurtherActionReason');
      break;
  }
  if (missing.length === 0) return null;
  return invalid(`Cannot close as ${resolution.outcome}: first ${missing.join(', ')}`, missing.map((message) => ({ field: 'outcome', message })));
}

export interface ResolveCommand {
  type: 'resolve';
  resolution: Resolution;
}

/** Closes the case with its outcome: every running clock stops, and its open alerts close with it. */
export const resolve: CaseCommandDefinition<ResolveCommand> = {
  type: 'resolve',
  update: 'resolveCase',
  request: commandRequest<ResolveCommand>()({
    operation: 'resolve',
    bodyName: 'ResolutionDto',
    resource: 'resolution',
    permission: Permission.ContactResolve,
    summary: 'Resolve and close the case (first contact resolution only once assessed, recorded and safeguarded)',
    body: ({ z, dateTime, text }) => z.strictObject({
      outcome: z.enum(outcomes),
      closingCategory: z.enum(allIncidentCategories).meta({ description: 'NSIR closing category (may differ from the opening one)' }),
      appointmentAt: dateTime().optional(),
      signpostedTo: text(2, 200).optional(),
      noFurtherActionReason: text(5, 2000).optional(),
    }),
    explicitCreated: true,
    given: ({ outcome, closingCategory, appointmentAt, signpostedTo, noFurtherActionReason }) => ({
      command: { type: 'resolve', resolution: { outcome, closingCategory, appointmentAt, signpostedTo, noFurtherActionReason } },
    }),
  }),
  reject: (state, command) => resolutionRejection(state, command.resolution),
  apply(next, command, { actor, now }) {
    const firstContactResolution = command.resolution.outcome === 'resolved-at-first-contact';
    next.resolution = { ...command.resolution, firstContactResolution, closedAt: now, closedBy: actor };
    // A closed case has nothing left to act on: its open alerts close with it.
    next.alerts = [];
    const effort = next.effort;
    return [
      {
        type: 'closed',
        details: {
          outcome: command.resolution.outcome,
          closingCategory: command.resolution.closingCategory,
          firstContactResolution,
          ...(effort ? { handlingMs: effort.handlingMs, sessions: effort.sessions } : {}),
        },
      },
    ];
  },
  clocks(plan, _command, { nowMs }) {
    plan.then(stopClocks(plan.book, activeClocks(plan.book).map((clock) => clock.id), 'case-closed', nowMs));
  },
};
