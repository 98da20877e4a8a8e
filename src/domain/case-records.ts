import type { ActorRef } from './actor.js';
import type { Channel, ChannelDetails } from './channels.js';
import { type CaseCommand, type ContactCaseState, openCase, type TimelineEntry } from './contact-case.js';
import type { ContactPolicy } from './policy.js';
import type { RiskFlag, RiskScreening } from './risk-screening.js';
import { afterAction, isPeoplesWork, noEffort } from './effort.js';

/**
 * What a case is opened with and what each change to it writes: the data that passes from the API
 * through the workflow to the case store. Plain data, so that every layer can name it.
 */

/** What the caller told us and how to reach them: personal data, kept only in encrypted payloads and the case store. */
export interface CaseRecordDetails {
  caller: { name?: string; phone?: string; email?: string; address?: string; dateOfBirth?: string; anonymous?: boolean; surveyOptOut?: boolean };
  narrative: string;
  location?: { description?: string; postcode?: string; area?: 'urban' | 'rural' };
  interpreterLanguage?: string;
  channelDetails?: ChannelDetails;
}

/** A contact as its case is opened: the workflow's input. */
export interface ContactIntake {
  reference: string;
  channel: Channel;
  receivedAt: string;
  /** The policy in force when the contact came in, whole: the case keeps it until it closes. */
  policy: ContactPolicy;
  team: string;
  area: 'urban' | 'rural';
  actor: ActorRef;
  flags: RiskFlag[];
  screening: RiskScreening;
  details: CaseRecordDetails;
  /** Earlier cases of the same caller found at intake (absent on intakes from before caller identities). */
  linkedReferences?: string[];
  /** Set when the contact is a conversation a connector carries: the case takes its later messages. */
  conversation?: ConversationRef;
}

/** Which platform conversation a case holds, and the key (a hash of the platform's ids) that finds it. */
export interface ConversationRef {
  platform: string;
  /** The platform's own id for the conversation: it is where replies go. */
  externalId: string;
  /** SHA-256 of channel, platform and the platform's id: how the case store finds the conversation. */
  key: string;
  /** 1 for the first case of the conversation; a message after that case has closed opens the next. */
  generation: number;
}

/**
 * The case as a change hands it to the store: its whole state but the open alerts, which the store
 * keeps as alert rows (each raised by an `escalated` entry, closed by an acknowledgement or the
 * case's closure). Left out, a case breached for weeks does not carry its growing list of
 * unacknowledged alerts in every change its history holds.
 */
export type StoredCaseState = Omit<ContactCaseState, 'alerts'>;

export const storedState = ({ alerts: _alerts, ...state }: ContactCaseState): StoredCaseState => state;

/** What the intake activity writes: the contact, the case as it opens, and its first timeline entries. */
export interface IntakeRecord {
  intake: ContactIntake;
  entries: RecordedEntry[];
  state: StoredCaseState;
}

/** Who changes a case when no person does: the rule that fired is named in the entry. */
export const SYSTEM_ACTOR: ActorRef = { subject: 'system', role: 'system' };

/** A timeline entry as the case store keeps it: its id makes a retried write harmless. */
export type RecordedEntry = TimelineEntry & {
  id: string;
  sequence: number;
};

/**
 * What the case store is told after each change (written by an idempotent activity): a command, or
 * the case's clocks firing (`command` null, actor {@link SYSTEM_ACTOR}).
 */
export interface CaseChange {
  reference: string;
  changeId: string;
  actor: ActorRef;
  at: string;
  command: CaseCommand | null;
  entries: RecordedEntry[];
  state: StoredCaseState;
}

/** The case as its workflow opens it from the intake: the one place the intake becomes a case. */
export function openCaseFromIntake(intake: ContactIntake): { state: ContactCaseState; entries: TimelineEntry[] } {
  const opened = openCase(
    {
      reference: intake.reference,
      channel: intake.channel,
      receivedAt: intake.receivedAt,
      policyVersion: intake.policy.version,
      team: intake.team,
      assignee: intake.actor.subject,
      area: intake.area,
      flags: intake.flags,
      screening: intake.screening,
      conversationPlatform: intake.conversation?.platform,
    },
    intake.policy,
  );
  // Under a policy that estimates people's effort, taking the contact is work too (a connector
  // handing a message over is not).
  const rule = intake.policy.effort;
  if (!rule) return opened;
  return { ...opened, state: { ...opened.state, effort: isPeoplesWork(intake.actor) ? afterAction(noEffort, intake.actor, Date.parse(intake.receivedAt), rule) : noEffort } };
}
