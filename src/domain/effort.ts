import { type ActorRef } from './actor.js';

/**
 * The effort a case takes, as people's work on it: an estimate from the commands they give, until
 * the handler's desk records work sessions of its own. A work session is a run of one person's
 * commands on the case with no more than the policy's gap between one and the next; it lasts from
 * its first command to its last, plus the minutes the first took to prepare. A case keeps it only
 * under a policy with an effort rule (`effort`; none before 2026.12-national-defaults-5), so that
 * the histories of cases from before replay to the same writes.
 */
export interface EffortRule {
  /** A longer pause between a person's commands on a case ends their work session. */
  sessionGapMinutes: number;
  /** What a session's first command took to prepare (the reading and the call before it). */
  minutesPerSession: number;
  /** What an hour of a member of staff costs the force, for the cost of a contact; none when absent. */
  costPerStaffHour?: number;
}


export interface CaseEffort {
  /** The handling time so far, in milliseconds. */
  handlingMs: number;
  sessions: number;
  /** Commands people gave the case. */
  actions: number;
  /** Who gave the last of them, and when. */
  last: { subject: string; atMs: number } | null;
}

export const noEffort: CaseEffort = { handlingMs: 0, sessions: 0, actions: 0, last: null };

/** Work by a person: not the clocks firing, not a platform connector handing a message over. */
export const isPeoplesWork = (actor: ActorRef) => actor.role !== 'system' && actor.role !== 'channel-connector';

/** The effort after one more command by `actor` at `atMs`. */
export function afterAction(effort: CaseEffort, actor: ActorRef, atMs: number, rule: EffortRule): CaseEffort {
  const sinceLast = effort.last !== null && effort.last.subject === actor.subject ? atMs - effort.last.atMs : null;
  const continuing = sinceLast !== null && sinceLast <= rule.sessionGapMinutes * 60_000;
  return {
    handlingMs: effort.handlingMs + (continuing ? Math.max(0, sinceLast) : rule.minutesPerSession * 60_000),
    sessions: effort.sessions + (continuing ? 0 : 1),
    actions: effort.actions + 1,
    last: { subject: actor.subject, atMs },
  };
}
