import { type Insertable } from 'kysely';
import type { CaseChange } from '../../domain/case-records.js';
import { type CommandOf } from '../../domain/commands/index.js';
import { type CaseCommandType } from '../../domain/contact-case.js';
import { inboundMessageKey } from '../conversations/conversation-keys.js';
import { type StoreTable, type StoreTables } from '../platform/database/store-db.js';

/** The columns every command's record shares: the change's id, the case, and who gave the command. */
export interface RecordBase {
  id: string;
  reference: string;
  actor_subject: string;
  actor_role: string;
}

/** A table a command's record goes in: every one has the record base's columns. */
type RecordTable = { [T in StoreTable]: StoreTables[T] extends { id: string; reference: string; actor_subject: string; actor_role: string } ? T : never }[StoreTable];

/** A row a command keeps beside the timeline, and the table it goes in (typed: a row must fit its table). */
export type CommandRecord = {
  [T in RecordTable]: {
    table: T;
    row: Insertable<StoreTables[T]>;
    /** A row already there is kept (a message handed over twice is one message). */
    keepExisting: boolean;
  };
}[RecordTable];

interface RecordMaker<T extends CaseCommandType, Table extends RecordTable = RecordTable> {
  table: Table;
  /** A row already there is kept (a message handed over twice is one message). */
  keepExisting?: boolean;
  row: (command: CommandOf<T>, change: CaseChange, base: RecordBase, at: Date) => Insertable<StoreTables[Table]> | null;
}

/** A command's record, typed on its table. */
const record = <T extends CaseCommandType, Table extends RecordTable>(table: Table, row: RecordMaker<T, Table>['row'], keepExisting = false): RecordMaker<T, Table> => ({ table, row, keepExisting });

/**
 * The record a command keeps beside the timeline, by command type: what a person wrote or decided
 * that the timeline (codes and counts only) and the case row do not hold. A command whose timeline
 * entry and case row say everything (a code, who, when) has none and is not listed: escalations,
 * pauses, assignments, regrades, attendance, risk reviews and the rest.
 */
export const commandRecords: { readonly [T in CaseCommandType]?: RecordMaker<T> } = {
  assess: record('case_assessment', (command, change, base, at) => ({
    ...base,
    factors: command.assessment.factors,
    proposed_grade: command.assessment.proposedGrade,
    result: change.entries[0].type === 'downgrade-proposed' ? 'pending-downgrade' : 'applied',
    assessed_at: at,
  })),
  'decide-downgrade': record('case_downgrade_decision', (command, change, base, at) => {
    const decided = change.entries.find((entry) => entry.type === 'downgrade-approved' || entry.type === 'downgrade-refused');
    if (!decided || (decided.type !== 'downgrade-approved' && decided.type !== 'downgrade-refused')) return null;
    const { fromGrade, toGrade, requestedBy, requestedByRole, requestedAt } = decided.details;
    return {
      ...base,
      from_grade: fromGrade,
      to_grade: toGrade,
      approved: command.approve,
      rationale: command.rationale,
      requested_by_subject: requestedBy,
      requested_by_role: requestedByRole,
      requested_at: new Date(requestedAt),
      decided_at: at,
    };
  }),
  'record-incident': record('case_incident', (command, _change, base, at) => ({
    ...base,
    opening_category: command.incident.openingCategory,
    qualifiers: [...command.incident.qualifiers],
    recorded_at: at,
  })),
  'decide-crime': record('case_crime_decision', (command, _change, base, at) => ({
    ...base,
    crime_recorded: command.decision.crimeRecorded,
    classification: command.decision.classification ?? null,
    no_crime_reason: command.decision.noCrimeReason ?? null,
    decided_at: at,
  })),
  refer: record('case_referral', (command, _change, base, at) => ({ ...base, agency: command.referral.agency, kind: command.referral.kind, reason: command.referral.reason, referred_at: at })),
  'add-note': record('case_note', (command, _change, base, at) => ({ ...base, text: command.text, written_at: at })),
  resolve: record('case_resolution', ({ resolution }, _change, base, at) => ({
    ...base,
    outcome: resolution.outcome,
    closing_category: resolution.closingCategory,
    first_contact_resolution: resolution.outcome === 'resolved-at-first-contact',
    appointment_at: resolution.appointmentAt ? new Date(resolution.appointmentAt) : null,
    signposted_to: resolution.signpostedTo ?? null,
    no_further_action_reason: resolution.noFurtherActionReason ?? null,
    resolved_at: at,
  })),
  'receive-message': record(
    'case_message',
    ({ message }, change, base, at) => ({
      ...base,
      direction: 'inbound',
      platform: message.platform,
      inbound_key: inboundMessageKey(change.state.channel, message.platform, message.externalId),
      author_handle: message.handle,
      text: message.text,
      sent_at: new Date(message.sentAt),
      recorded_at: at,
      delivery_state: 'received',
      delivery_attempts: 0,
      delivered_at: null,
      platform_message_id: message.externalId,
      last_error: null,
    }),
    true,
  ),
  'send-message': record(
    'case_message',
    (command, change, base, at) => ({
      ...base,
      direction: 'outbound',
      platform: change.state.conversation?.platform ?? change.state.channel,
      inbound_key: null,
      author_handle: null,
      text: command.text,
      sent_at: at,
      recorded_at: at,
      delivery_state: 'pending',
      delivery_attempts: 0,
      delivered_at: null,
      platform_message_id: null,
      last_error: null,
    }),
    true,
  ),
};

/** The record a change's command keeps, if any (a change of the clocks alone has no command). */
export function commandRecordOf(change: CaseChange, base: RecordBase, at: Date): CommandRecord | null {
  const command = change.command;
  if (!command) return null;
  const maker = commandRecords[command.type] as RecordMaker<typeof command.type> | undefined;
  const row = maker?.row(command, change, base, at);
  return maker && row ? ({ table: maker.table, row, keepExisting: maker.keepExisting ?? false } as CommandRecord) : null;
}

/** Every table a command keeps its records in. */
export function commandRecordTables(): RecordTable[] {
  return [...new Set(Object.values(commandRecords).flatMap((maker) => (maker ? [maker.table] : [])))];
}

/** Whether a command of this type keeps a record of its own. */
export function keepsRecord(type: CaseCommandType): boolean {
  return commandRecords[type] !== undefined;
}
