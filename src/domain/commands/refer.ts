import { meetClocks } from '../clocks.js';
import { alwaysAllowed, type CaseCommandDefinition, commandRequest } from './command.js';
import { Permission } from '../permissions.js';

export const referralKinds = ['safeguarding', 'partner', 'victim-support'] as const;
export type ReferralKind = (typeof referralKinds)[number];

export interface Referral {
  agency: string;
  kind: ReferralKind;
  reason: string;
}

export interface ReferCommand {
  type: 'refer';
  referral: Referral;
}

/** A referral to an agency: one to victim support meets the Victims' Code referral clock. */
export const refer: CaseCommandDefinition<ReferCommand> = {
  type: 'refer',
  update: 'addReferral',
  request: commandRequest<ReferCommand>()({
    operation: 'refer',
    bodyName: 'ReferralDto',
    resource: 'referrals',
    permission: Permission.ContactRefer,
    summary: 'Refer to a partner agency or for safeguarding',
    body: ({ z, text }) => z.strictObject({ agency: text(2, 128), kind: z.enum(referralKinds), reason: text(5, 2000) }),
    given: (body) => ({ command: { type: 'refer', referral: { agency: body.agency, kind: body.kind, reason: body.reason } } }),
  }),
  reject: alwaysAllowed,
  apply(next, command) {
    next.referrals.push({ agency: command.referral.agency, kind: command.referral.kind });
    return [{ type: 'referral', details: { kind: command.referral.kind, agency: command.referral.agency } }];
  },
  clocks(plan, command, { nowMs }) {
    if (command.referral.kind === 'victim-support') plan.then(meetClocks(plan.book, 'victim-support-referral', nowMs));
  },
};
