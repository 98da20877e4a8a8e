import { type Referral } from '../contact-case.js';
import { meetClocks } from '../clocks.js';
import { alwaysAllowed, type CaseCommandDefinition } from './command.js';

export interface ReferCommand {
  type: 'refer';
  referral: Referral;
}

/** A referral to an agency: one to victim support meets the Victims' Code referral clock. */
export const refer: CaseCommandDefinition<ReferCommand> = {
  type: 'refer',
  update: 'addReferral',
  reject: alwaysAllowed,
  apply(next, command) {
    next.referrals.push({ agency: command.referral.agency, kind: command.referral.kind });
    return [{ type: 'referral', details: { kind: command.referral.kind, agency: command.referral.agency } }];
  },
  clocks(plan, command, { nowMs }) {
    if (command.referral.kind === 'victim-support') plan.then(meetClocks(plan.book, 'victim-support-referral', nowMs));
  },
};
