import { type EntityName } from '@mikro-orm/core';
import type { CaseChange } from '../../domain/case-records.js';
import { type CommandOf } from '../../domain/commands/index.js';
import { type CaseCommandType } from '../../domain/contact-case.js';
import { inboundMessageKey } from '../conversations/conversation-keys.js';
import { CaseMessageSchema } from '../conversations/conversation.entity.js';
import {
  CaseAssessmentSchema,
  CaseCrimeDecisionSchema,
  CaseDowngradeDecisionSchema,
  CaseIncidentSchema,
  CaseNoteSchema,
  CaseReferralSchema,
  CaseResolutionSchema,
} from './case-records.entity.js';

/** The columns every command's record shares: the change's id, the case, and who gave the command. */
export interface RecordBase {
  id: string;
  reference: string;
  actorSubject: string;
  actorRole: string;
}

/** A row a command keeps beside the timeline, and the table it goes in. */
export interface CommandRecord {
  schema: EntityName;
  row: Record<string, unknown>;
  /** A row already there is kept (a message handed over twice is one message). */
  keepExisting?: boolean;
}

type RecordMaker<T extends CaseCommandType> = (command: CommandOf<T>, change: CaseChange, base: RecordBase, at: Date) => CommandRecord | null;

const record = (schema: EntityName, row: Record<string, unknown>, keepExisting = false): CommandRecord => ({ schema, row, keepExisting });

/**
 * The record each command keeps beside the timeline, by command type: what a person wrote or
 * decided that the timeline (codes and counts only) and the case row do not hold. `null` for a
 * command whose timeline entry and case row say everything. A command type missing here does not
 * compile, so a new command states whether it keeps a record.
 */
export const commandRecords: { readonly [T in CaseCommandType]: RecordMaker<T> | null } = {
  assess: (command, change, base, at) =>
    record(CaseAssessmentSchema, {
      ...base,
      factors: command.assessment.factors,
      proposedGrade: command.assessment.proposedGrade,
      result: change.entries[0].type === 'downgrade-proposed' ? 'pending-downgrade' : 'applied',
      assessedAt: at,
    }),
  'decide-downgrade': (command, change, base, at) => {
    const decided = change.entries.find((entry) => entry.type === 'downgrade-approved' || entry.type === 'downgrade-refused');
    if (!decided || (decided.type !== 'downgrade-approved' && decided.type !== 'downgrade-refused')) return null;
    const { fromGrade, toGrade, requestedBy, requestedByRole, requestedAt } = decided.details;
    return record(CaseDowngradeDecisionSchema, {
      ...base,
      fromGrade,
      toGrade,
      approved: command.approve,
      rationale: command.rationale,
      requestedBySubject: requestedBy,
      requestedByRole,
      requestedAt: new Date(requestedAt),
      decidedAt: at,
    });
  },
  'record-incident': (command, _change, base, at) =>
    record(CaseIncidentSchema, { ...base, openingCategory: command.incident.openingCategory, qualifiers: [...command.incident.qualifiers], recordedAt: at }),
  'decide-crime': (command, _change, base, at) =>
    record(CaseCrimeDecisionSchema, {
      ...base,
      crimeRecorded: command.decision.crimeRecorded,
      classification: command.decision.classification ?? null,
      noCrimeReason: command.decision.noCrimeReason ?? null,
      decidedAt: at,
    }),
  refer: (command, _change, base, at) => record(CaseReferralSchema, { ...base, agency: command.referral.agency, kind: command.referral.kind, reason: command.referral.reason, referredAt: at }),
  'add-note': (command, _change, base, at) => record(CaseNoteSchema, { ...base, text: command.text, writtenAt: at }),
  resolve: ({ resolution }, _change, base, at) =>
    record(CaseResolutionSchema, {
      ...base,
      outcome: resolution.outcome,
      closingCategory: resolution.closingCategory,
      firstContactResolution: resolution.outcome === 'resolved-at-first-contact',
      appointmentAt: resolution.appointmentAt ? new Date(resolution.appointmentAt) : null,
      signpostedTo: resolution.signpostedTo ?? null,
      noFurtherActionReason: resolution.noFurtherActionReason ?? null,
      resolvedAt: at,
    }),
  'receive-message': ({ message }, change, base, at) =>
    record(CaseMessageSchema, {
      ...base,
      direction: 'inbound',
      platform: message.platform,
      inboundKey: inboundMessageKey(change.state.channel, message.platform, message.externalId),
      authorHandle: message.handle,
      text: message.text,
      sentAt: new Date(message.sentAt),
      recordedAt: at,
      deliveryState: 'received',
      deliveryAttempts: 0,
      deliveredAt: null,
      platformMessageId: message.externalId,
      lastError: null,
    }, true),
  'send-message': (command, change, base, at) =>
    record(CaseMessageSchema, {
      ...base,
      direction: 'outbound',
      platform: change.state.conversation?.platform ?? change.state.channel,
      inboundKey: null,
      authorHandle: null,
      text: command.text,
      sentAt: at,
      recordedAt: at,
      deliveryState: 'pending',
      deliveryAttempts: 0,
      deliveredAt: null,
      platformMessageId: null,
      lastError: null,
    }, true),
  'record-attendance': null,
  escalate: null,
  'pause-clock': null,
  'resume-clock': null,
  'acknowledge-alert': null,
  assign: null,
  regrade: null,
  'caller-recontacted': null,
};

/** The record a change's command keeps, if any (a change of the clocks alone has no command). */
export function commandRecordOf(change: CaseChange, base: RecordBase, at: Date): CommandRecord | null {
  const command = change.command;
  if (!command) return null;
  const make = commandRecords[command.type] as RecordMaker<typeof command.type> | null;
  return make ? make(command, change, base, at) : null;
}
