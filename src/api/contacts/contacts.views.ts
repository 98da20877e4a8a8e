import { type DeliveryState, deliveryStates } from '../../domain/conversations.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { alertKinds } from '../../domain/alerts.js';
import { type CallerHistory } from '../../domain/caller-identity.js';
import { catalogueChannels } from '../../domain/channels.js';
import { projectCase } from '../../domain/case-projection.js';
import { type StoredCaseState } from '../../domain/case-records.js';
import { type CaseClock, pauseReasons } from '../../domain/clocks.js';
import { type ContactCaseState, outcomes, referralKinds, stages } from '../../domain/contact-case.js';
import { clockKinds } from '../../domain/policy.js';
import { Permission } from '../../modules/platform/access/permissions.js';
import { allIncidentCategories, incidentQualifiers } from '../../domain/recording.js';
import { RiskFlag } from '../../domain/risk-screening.js';
import { type CaseRecordView } from '../../modules/contact-cases/case-queries.service.js';

/*
 * What the contact routes answer, in the API's own terms: the workflow's bookkeeping (its version,
 * its timeline's length) stays inside. Each fact appears once.
 */

const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { ...dateTime, nullable: true } as const;
const grade = { type: 'integer', enum: [1, 2, 3, 4] } as const;

export class ActorView {
  @ApiProperty({ description: "The staff member's identity-provider subject" }) subject!: string;
  @ApiProperty({ description: 'The role that allowed the action' }) role!: string;
}

export class ClockPauseView {
  @ApiProperty({ enum: pauseReasons }) reason!: string;
  @ApiProperty({ type: ActorView }) by!: ActorView;
  @ApiProperty(dateTime) at!: string;
  @ApiProperty(nullableDateTime) resumedAt!: string | null;
  @ApiProperty({ type: ActorView, nullable: true }) resumedBy!: ActorView | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Milliseconds the clock stood still, once resumed' }) pausedMs!: number | null;
}

export class ClockRebaselineView {
  @ApiProperty(dateTime) at!: string;
  @ApiProperty(dateTime) fromDueAt!: string;
  @ApiProperty(dateTime) toDueAt!: string;
  @ApiProperty(grade) fromGrade!: number;
  @ApiProperty(grade) toGrade!: number;
}

export class ClockView {
  @ApiProperty({ description: 'Unique on the case: kind and a counter', example: 'attendance-1' }) id!: string;
  @ApiProperty({ enum: clockKinds }) kind!: string;
  @ApiProperty({ example: 'grade 2 attendance (60 min)' }) label!: string;
  @ApiProperty({ ...grade, nullable: true }) grade!: number | null;
  @ApiProperty(dateTime) startedAt!: string;
  @ApiProperty(dateTime) warnAt!: string;
  @ApiProperty(dateTime) dueAt!: string;
  @ApiProperty({ enum: ['running', 'warned', 'paused', 'breached', 'met', 'stopped'] }) state!: string;
  @ApiProperty({ type: 'string', enum: ['running', 'warned', 'breached'], nullable: true, description: 'The state a paused clock returns to' }) resumeTo!: string | null;
  @ApiProperty(nullableDateTime) warnedAt!: string | null;
  @ApiProperty(nullableDateTime) breachedAt!: string | null;
  @ApiProperty(nullableDateTime) metAt!: string | null;
  @ApiProperty(nullableDateTime) stoppedAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) stopReason!: string | null;
  @ApiProperty(nullableDateTime) pausedAt!: string | null;
  @ApiProperty({ type: 'integer', description: 'Milliseconds paused so far' }) pausedMs!: number;
  @ApiProperty({ type: [ClockPauseView] }) pauses!: ClockPauseView[];
  @ApiProperty({ type: 'integer', description: 'Escalations this clock has raised' }) escalations!: number;
  @ApiProperty({ ...nullableDateTime, description: 'When a breached clock escalates again' }) nextEscalationAt!: string | null;
  @ApiProperty({ type: [ClockRebaselineView] }) rebaselines!: ClockRebaselineView[];
}

export class ScreeningView {
  @ApiProperty({ type: 'string', enum: ['IR'], nullable: true, description: '`IR`: a digital submission with potential risk, actioned first' }) riskMarker!: 'IR' | null;
  @ApiProperty() domesticAbuse!: boolean;
  @ApiProperty() sexualOffence!: boolean;
  @ApiProperty() vulnerable!: boolean;
  @ApiProperty({ type: [String], description: 'Why, as codes (never the words of the report)' }) reasons!: string[];
}

export class IncidentView {
  @ApiProperty({ enum: allIncidentCategories }) openingCategory!: string;
  @ApiProperty({ enum: incidentQualifiers, isArray: true }) qualifiers!: string[];
}

export class ResolutionView {
  @ApiProperty({ enum: outcomes }) outcome!: string;
  @ApiProperty({ enum: allIncidentCategories }) closingCategory!: string;
  @ApiProperty() firstContactResolution!: boolean;
  @ApiProperty(dateTime) closedAt!: string;
  @ApiProperty({ type: ActorView, nullable: true, description: 'Who closed it (null on cases closed before it was kept with the case)' }) closedBy!: ActorView | null;
  @ApiProperty({ ...nullableDateTime, description: 'The appointment made (`appointment`)' }) appointmentAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'Where the caller was signposted (`signposted`)' }) signpostedTo!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'Why no further action (`no-further-action`)' }) noFurtherActionReason!: string | null;
}

export class OpenAlertView {
  @ApiProperty({ description: 'The alert, as `GET /alerts/{id}` gives it' }) id!: string;
  @ApiProperty({ enum: alertKinds }) kind!: string;
  @ApiProperty({ type: 'integer' }) level!: number;
  @ApiProperty() role!: string;
  @ApiProperty({ type: 'string', nullable: true }) clock!: string | null;
}

/** A case as it stands: the answer to every command, and the head of the case view. */
export class ConversationView {
  @ApiProperty() platform!: string;
  @ApiProperty({ type: 'integer' }) messagesIn!: number;
  @ApiProperty({ type: 'integer' }) messagesOut!: number;
  @ApiProperty({ ...nullableDateTime, description: 'Since when the public has waited for a reply (null: nobody waits)' }) awaitingReplySince!: string | null;
}

export class CaseStateView {
  @ApiProperty({ example: 'XP-20261123-000042' }) reference!: string;
  @ApiProperty({ enum: catalogueChannels() }) channel!: string;
  @ApiProperty(dateTime) receivedAt!: string;
  @ApiProperty({ description: 'The policy version the case runs under' }) policyVersion!: string;
  @ApiProperty() team!: string;
  @ApiProperty({ enum: ['urban', 'rural'] }) area!: string;
  @ApiProperty({ description: 'The staff member the case is with' }) assignee!: string;
  @ApiProperty({ enum: RiskFlag, isArray: true }) flags!: string[];
  @ApiProperty({ type: ScreeningView }) screening!: ScreeningView;
  @ApiProperty({ enum: stages }) stage!: string;
  @ApiProperty({ ...grade, nullable: true }) grade!: number | null;
  @ApiProperty({ ...grade, nullable: true, description: 'A downgrade waiting for approval' }) pendingGrade!: number | null;
  @ApiProperty({ type: 'integer', description: 'THRIVE(S) assessments recorded' }) assessmentCount!: number;
  @ApiProperty({ type: 'integer' }) noteCount!: number;
  @ApiProperty({ type: IncidentView, nullable: true }) incident!: IncidentView | null;
  @ApiProperty({ type: 'boolean', nullable: true, description: 'The NCRS decision, once made' }) crimeRecorded!: boolean | null;
  @ApiProperty({ type: ResolutionView, nullable: true }) resolution!: ResolutionView | null;
  @ApiProperty({ type: 'integer', description: "How far up the escalation chain the case has gone (0: not escalated)" }) escalationLevel!: number;
  @ApiProperty({ type: [ClockView] }) clocks!: ClockView[];
  @ApiProperty({ ...nullableDateTime, description: 'The nearest deadline of a running clock' }) nextDueAt!: string | null;
  @ApiProperty({ description: 'A clock is breached' }) breached!: boolean;
  @ApiProperty({ type: ConversationView, nullable: true, description: 'The conversation, when the contact came as one' }) conversation!: ConversationView | null;
}

/** A case as it stands (a command's answer, and the head of the case view, live or closed), from its state and its projection. */
export function caseStateView(state: ContactCaseState): CaseStateView {
  const projected = projectCase(state);
  return {
    reference: projected.reference,
    channel: projected.channel,
    receivedAt: projected.receivedAt,
    policyVersion: projected.policyVersion,
    team: projected.team,
    area: projected.area,
    assignee: projected.assignee,
    flags: projected.flags,
    screening: { riskMarker: projected.riskMarker, domesticAbuse: projected.domesticAbuse, sexualOffence: projected.sexualOffence, vulnerable: projected.vulnerable, reasons: projected.screeningReasons },
    stage: projected.stage,
    grade: projected.grade,
    pendingGrade: projected.pendingGrade,
    assessmentCount: state.assessmentCount,
    noteCount: state.noteCount,
    incident: state.incident ? { openingCategory: state.incident.openingCategory, qualifiers: [...state.incident.qualifiers] } : null,
    crimeRecorded: projected.crimeRecorded,
    resolution: state.resolution
      ? {
          outcome: state.resolution.outcome,
          closingCategory: state.resolution.closingCategory,
          firstContactResolution: state.resolution.firstContactResolution,
          closedAt: state.resolution.closedAt,
          closedBy: state.resolution.closedBy ? { subject: state.resolution.closedBy.subject, role: state.resolution.closedBy.role } : null,
          appointmentAt: state.resolution.appointmentAt ?? null,
          signpostedTo: state.resolution.signpostedTo ?? null,
          noFurtherActionReason: state.resolution.noFurtherActionReason ?? null,
        }
      : null,
    escalationLevel: projected.escalationLevel,
    clocks: projected.clocks.map(clockView),
    nextDueAt: projected.nextDueAt,
    breached: projected.breached,
    conversation: state.conversation ? { ...state.conversation } : null,
  };
}

export const clockView = (clock: CaseClock): ClockView => ({
  id: clock.id,
  kind: clock.kind,
  label: clock.label,
  grade: clock.grade,
  startedAt: clock.startedAt,
  warnAt: clock.warnAt,
  dueAt: clock.dueAt,
  state: clock.state,
  resumeTo: clock.resumeTo,
  warnedAt: clock.warnedAt,
  breachedAt: clock.breachedAt,
  metAt: clock.metAt,
  stoppedAt: clock.stoppedAt,
  stopReason: clock.stopReason,
  pausedAt: clock.pausedAt,
  pausedMs: clock.pausedMs,
  pauses: clock.pauses.map((pause) => ({ ...pause })),
  escalations: clock.escalations,
  nextEscalationAt: clock.nextEscalationAt,
  rebaselines: clock.rebaselines.map((rebaseline) => ({ ...rebaseline })),
});

export class CaseHeadView extends CaseStateView {
  @ApiProperty({ description: 'The Temporal workflow that runs the case' }) workflowId!: string;
  @ApiProperty({ type: ActorView, nullable: true, description: 'Who took the contact (null until the case store has recorded it)' }) createdBy!: ActorView | null;
  @ApiProperty({ type: [String], description: 'Earlier cases of the same caller, found at intake' }) linkedReferences!: string[];
  @ApiProperty({ type: [OpenAlertView], description: 'Alerts raised and not yet acknowledged (live cases only)' }) openAlerts!: OpenAlertView[];
  @ApiProperty({ ...dateTime, description: 'When the case store last recorded a change' }) updatedAt!: string;
}

/** What the person reported and how to reach them: personal data, shown to those who may read the case. */
export class ContactDetailsView {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Name, phone, e-mail, address, date of birth, or anonymous' }) caller!: Record<string, unknown>;
  @ApiProperty() narrative!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) location!: Record<string, unknown> | null;
  @ApiProperty({ type: 'string', nullable: true }) interpreterLanguage!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) channelDetails!: Record<string, unknown> | null;
}

export class AssessmentView {
  @ApiProperty() id!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The seven THRIVE(S) factors: level and rationale each' }) factors!: Record<string, unknown>;
  @ApiProperty(grade) proposedGrade!: number;
  @ApiProperty({ description: 'What became of it: applied, or a downgrade waiting for approval' }) result!: string;
  @ApiProperty({ type: ActorView }) by!: ActorView;
  @ApiProperty(dateTime) assessedAt!: string;
}

export class IncidentRecordView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: allIncidentCategories }) openingCategory!: string;
  @ApiProperty({ enum: incidentQualifiers, isArray: true }) qualifiers!: string[];
  @ApiProperty({ type: ActorView }) by!: ActorView;
  @ApiProperty(dateTime) recordedAt!: string;
}

export class CrimeDecisionView {
  @ApiProperty() id!: string;
  @ApiProperty() crimeRecorded!: boolean;
  @ApiProperty({ type: 'string', nullable: true }) classification!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) noCrimeReason!: string | null;
  @ApiProperty({ type: ActorView }) by!: ActorView;
  @ApiProperty(dateTime) decidedAt!: string;
}

export class ReferralView {
  @ApiProperty() id!: string;
  @ApiProperty() agency!: string;
  @ApiProperty({ enum: referralKinds }) kind!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: ActorView }) by!: ActorView;
  @ApiProperty(dateTime) referredAt!: string;
}

export class DowngradeDecisionView {
  @ApiProperty() id!: string;
  @ApiProperty(grade) fromGrade!: number;
  @ApiProperty(grade) toGrade!: number;
  @ApiProperty({ description: 'Approved (the grade changed), or refused' }) approved!: boolean;
  @ApiProperty({ description: "The supervisor's reasons" }) rationale!: string;
  @ApiProperty({ type: ActorView, description: 'Who proposed the downgrade' }) requestedBy!: ActorView;
  @ApiProperty(dateTime) requestedAt!: string;
  @ApiProperty({ type: ActorView, description: 'Who decided' }) by!: ActorView;
  @ApiProperty(dateTime) decidedAt!: string;
}

export class NoteView {
  @ApiProperty() id!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: ActorView }) by!: ActorView;
  @ApiProperty(dateTime) writtenAt!: string;
}

export class MessageView {
  @ApiProperty({ description: "The message's id on the case" }) id!: string;
  @ApiProperty({ enum: ['inbound', 'outbound'] }) direction!: 'inbound' | 'outbound';
  @ApiProperty({ description: 'The platform it came by or went to' }) platform!: string;
  @ApiProperty({ type: 'string', nullable: true, description: "The sender's handle on the platform (inbound)" }) handle!: string | null;
  @ApiProperty({ type: ActorView, description: 'Who recorded it: the connector (inbound), or the member of staff who replied (outbound)' }) by!: ActorView;
  @ApiProperty() text!: string;
  @ApiProperty(dateTime) sentAt!: string;
  @ApiProperty({ enum: deliveryStates, description: '`received` (inbound); a reply goes `pending`, `retrying`, then `delivered` (or `failed` after a day, or `not-configured`)' })
  deliveryState!: DeliveryState;
  @ApiProperty({ type: 'integer' }) deliveryAttempts!: number;
  @ApiProperty({ ...dateTime, nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'Why the last attempt failed, while it is retried' }) lastError!: string | null;
}

export class TimelineEntryView {
  @ApiProperty() id!: string;
  @ApiProperty({ type: 'integer' }) sequence!: number;
  @ApiProperty({ description: 'What happened, as a code (`received`, `assessed`, `clock-breached`, …)' }) type!: string;
  @ApiProperty(dateTime) at!: string;
  @ApiProperty({ type: ActorView }) by!: ActorView;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Codes, numbers and times only' }) details!: Record<string, unknown>;
}

/** A case: where it stands, what was reported, and everything recorded on it, each once. */
export class CaseView {
  @ApiProperty({ type: CaseHeadView }) case!: CaseHeadView;
  @ApiProperty({ type: ContactDetailsView, nullable: true, description: 'Null for the moment between intake and the case store recording it' }) contact!: ContactDetailsView | null;
  @ApiProperty({ type: [AssessmentView] }) assessments!: AssessmentView[];
  @ApiProperty({ type: [IncidentRecordView] }) incidents!: IncidentRecordView[];
  @ApiProperty({ type: [CrimeDecisionView] }) crimeDecisions!: CrimeDecisionView[];
  @ApiProperty({ type: [ReferralView] }) referrals!: ReferralView[];
  @ApiProperty({ type: [DowngradeDecisionView], description: 'Each decision on a proposed downgrade, with its rationale' }) downgradeDecisions!: DowngradeDecisionView[];
  @ApiProperty({ type: [NoteView] }) notes!: NoteView[];
  @ApiProperty({ type: [TimelineEntryView], description: 'Every change, in order' }) timeline!: TimelineEntryView[];
  @ApiProperty({ type: [MessageView], description: "The case's conversation, in and out, in order (empty when the contact was not a conversation)" }) messages!: MessageView[];
  @ApiProperty({ description: "Whether the case's workflow answered (a running case), or the case store alone (closed)" }) live!: boolean;
}

type Row = Record<string, unknown>;

/** A case store row as `CaseQueries` gives it: times as ISO 8601, absent values as null. */
interface CaseRow {
  reference: string;
  workflowId: string;
  channel: string;
  receivedAt: string;
  policyVersion: string;
  team: string;
  area: string;
  assignee: string;
  createdBySubject: string;
  createdByRole: string;
  flags: string[];
  riskMarker: 'IR' | null;
  domesticAbuse: boolean;
  sexualOffence: boolean;
  vulnerable: boolean;
  screeningReasons: string[];
  /** The case's state as its last recorded change left it (absent on cases recorded before it was kept). */
  state: StoredCaseState | null;
  caller: Row;
  narrative: string;
  location: Row | null;
  interpreterLanguage: string | null;
  channelDetails: Row | null;
  stage: string;
  grade: number | null;
  pendingGrade: number | null;
  openingCategory: string | null;
  qualifiers: string[] | null;
  crimeRecorded: boolean | null;
  outcome: string | null;
  closingCategory: string | null;
  firstContactResolution: boolean | null;
  escalationLevel: number;
  clocks: CaseClock[];
  breached: boolean;
  nextDueAt: string | null;
  closedAt: string | null;
  updatedAt: string;
  linkedReferences: string[];
}

interface ActorColumns {
  actorSubject: string;
  actorRole: string;
}
const by = (row: ActorColumns): ActorView => ({ subject: row.actorSubject, role: row.actorRole });
const rows = <T>(list: Row[] | undefined) => (list ?? []) as unknown as Array<T & ActorColumns>;

/** The conversation as its recorded messages show it. */
function recordedConversation(record: CaseRecordView): ConversationView | null {
  const messages = rows<{ direction: string; platform: string; sentAt: string }>(record.messages);
  if (messages.length === 0) return null;
  const lastOut = messages.findLastIndex((m) => m.direction === 'outbound');
  const waiting = messages.slice(lastOut + 1).find((m) => m.direction === 'inbound');
  return {
    platform: messages[0].platform,
    messagesIn: messages.filter((m) => m.direction === 'inbound').length,
    messagesOut: messages.filter((m) => m.direction === 'outbound').length,
    awaitingReplySince: waiting?.sentAt ?? null,
  };
}

/** The case as the case store last recorded it: its state, read as a live one is. */
function recordedState(row: CaseRow, record: CaseRecordView): CaseStateView {
  if (row.state) return caseStateView({ ...row.state, alerts: [] });
  // Recorded before the store kept the state: what its columns say.
  return {
    reference: row.reference,
    channel: row.channel,
    receivedAt: row.receivedAt,
    policyVersion: row.policyVersion,
    team: row.team,
    area: row.area,
    assignee: row.assignee,
    flags: row.flags,
    screening: { riskMarker: row.riskMarker, domesticAbuse: row.domesticAbuse, sexualOffence: row.sexualOffence, vulnerable: row.vulnerable, reasons: row.screeningReasons },
    stage: row.stage,
    grade: row.grade,
    pendingGrade: row.pendingGrade,
    assessmentCount: record.assessments.length,
    noteCount: record.notes.length,
    conversation: recordedConversation(record),
    incident: row.openingCategory ? { openingCategory: row.openingCategory, qualifiers: row.qualifiers ?? [] } : null,
    crimeRecorded: row.crimeRecorded,
    resolution:
      row.outcome && row.closingCategory && row.closedAt
        ? {
            outcome: row.outcome,
            closingCategory: row.closingCategory,
            firstContactResolution: row.firstContactResolution ?? false,
            closedAt: row.closedAt,
            closedBy: null,
            appointmentAt: null,
            signpostedTo: null,
            noFurtherActionReason: null,
          }
        : null,
    escalationLevel: row.escalationLevel,
    clocks: row.clocks.map(clockView),
    nextDueAt: row.nextDueAt,
    breached: row.breached,
  };
}

/**
 * The case view from the case store's record and, for a running case, the workflow's state: the
 * workflow is the fresher where both say something (the record follows it by an activity).
 */
export function caseView(record: CaseRecordView | null, live: ContactCaseState | null): CaseView {
  const row = record ? (record.case as unknown as CaseRow) : null;
  const state = live ? caseStateView(live) : recordedState(row!, record!);
  return {
    case: {
      ...state,
      workflowId: row?.workflowId ?? `contact-${state.reference}`,
      createdBy: row ? { subject: row.createdBySubject, role: row.createdByRole } : null,
      linkedReferences: row?.linkedReferences ?? [],
      openAlerts: (live?.alerts ?? []).map((alert) => ({ id: alert.id, kind: alert.kind, level: alert.level, role: alert.role, clock: alert.clock })),
      updatedAt: row?.updatedAt ?? state.receivedAt,
    },
    contact: row
      ? { caller: row.caller, narrative: row.narrative, location: row.location, interpreterLanguage: row.interpreterLanguage, channelDetails: row.channelDetails }
      : null,
    assessments: rows<{ id: string; factors: Row; proposedGrade: number; result: string; assessedAt: string }>(record?.assessments).map((a) => ({
      id: a.id,
      factors: a.factors,
      proposedGrade: a.proposedGrade,
      result: a.result,
      by: by(a),
      assessedAt: a.assessedAt,
    })),
    incidents: rows<{ id: string; openingCategory: string; qualifiers: string[]; recordedAt: string }>(record?.incidents).map((i) => ({
      id: i.id,
      openingCategory: i.openingCategory,
      qualifiers: i.qualifiers,
      by: by(i),
      recordedAt: i.recordedAt,
    })),
    crimeDecisions: rows<{ id: string; crimeRecorded: boolean; classification: string | null; noCrimeReason: string | null; decidedAt: string }>(record?.crimeDecisions).map((d) => ({
      id: d.id,
      crimeRecorded: d.crimeRecorded,
      classification: d.classification,
      noCrimeReason: d.noCrimeReason,
      by: by(d),
      decidedAt: d.decidedAt,
    })),
    referrals: rows<{ id: string; agency: string; kind: string; reason: string; referredAt: string }>(record?.referrals).map((r) => ({
      id: r.id,
      agency: r.agency,
      kind: r.kind,
      reason: r.reason,
      by: by(r),
      referredAt: r.referredAt,
    })),
    downgradeDecisions: rows<{
      id: string;
      fromGrade: number;
      toGrade: number;
      approved: boolean;
      rationale: string;
      requestedBySubject: string;
      requestedByRole: string;
      requestedAt: string;
      decidedAt: string;
    }>(record?.downgradeDecisions).map((d) => ({
      id: d.id,
      fromGrade: d.fromGrade,
      toGrade: d.toGrade,
      approved: d.approved,
      rationale: d.rationale,
      requestedBy: { subject: d.requestedBySubject, role: d.requestedByRole },
      requestedAt: d.requestedAt,
      by: by(d),
      decidedAt: d.decidedAt,
    })),
    notes: rows<{ id: string; text: string; writtenAt: string }>(record?.notes).map((n) => ({ id: n.id, text: n.text, by: by(n), writtenAt: n.writtenAt })),
    timeline: rows<{ id: string; sequence: number; type: string; at: string; details: Row }>(record?.timeline).map((e) => ({
      id: e.id,
      sequence: e.sequence,
      type: e.type,
      at: e.at,
      by: by(e),
      details: e.details,
    })),
    messages: rows<{ id: string; direction: 'inbound' | 'outbound'; platform: string; authorHandle: string | null; text: string; sentAt: string; deliveryState: DeliveryState; deliveryAttempts: number; deliveredAt: string | null; lastError: string | null }>(
      record?.messages,
    ).map((m) => ({
      id: m.id,
      direction: m.direction,
      platform: m.platform,
      handle: m.authorHandle,
      by: by(m),
      text: m.text,
      sentAt: m.sentAt,
      deliveryState: m.deliveryState,
      deliveryAttempts: m.deliveryAttempts,
      deliveredAt: m.deliveredAt,
      lastError: m.lastError,
    })),
    live: live !== null,
  };
}

const gradeSchema = z.int().min(1).max(4).meta({ enum: [1, 2, 3, 4] });
const dateTimeSchema = z.string().meta({ format: 'date-time' });
const count = z.int().min(0);

/**
 * A case in the queue. Its fields are what the queue reads from the case store: each is a column
 * of the case row (the compiler holds it so), and a field added here is selected with no other change.
 */
export const queueEntrySchema = z
  .object({
    reference: z.string().meta({ example: 'XP-20261123-000042' }),
    channel: z.enum(catalogueChannels()),
    stage: z.enum(stages),
    grade: gradeSchema.nullable(),
    pendingGrade: gradeSchema.nullable(),
    riskMarker: z.enum(['IR']).nullable(),
    domesticAbuse: z.boolean(),
    sexualOffence: z.boolean(),
    vulnerable: z.boolean(),
    assignee: z.string(),
    team: z.string(),
    receivedAt: dateTimeSchema,
    nextDueAt: dateTimeSchema.nullable(),
    escalationLevel: count,
    breached: z.boolean(),
  })
  .meta({ id: 'QueueEntryView' });

/** The fields the queue shows, in its view's order. */
export const queueFields = queueEntrySchema.keyof().options;

export class QueuePageView extends createZodDto(
  z.object({
    total: count.meta({ description: 'Open cases matching the filters' }),
    limit: count,
    offset: count,
    items: z.array(queueEntrySchema).meta({ description: 'In queue order: IR and grade 1 first, then by nearest due time, then arrival' }),
  }),
) {}

export class CallerHistoryView implements CallerHistory {
  @ApiProperty({ type: 'integer', description: 'Earlier contacts within the window, this one not counted' }) previousContacts!: number;
  @ApiProperty({ type: 'integer' }) windowDays!: number;
  @ApiProperty({ type: 'string', nullable: true }) lastReference!: string | null;
  @ApiProperty({ type: [String], description: 'Earlier cases of this caller still open' }) openReferences!: string[];
  @ApiProperty({ description: 'An earlier case marked the caller vulnerable' }) previouslyVulnerable!: boolean;
  @ApiProperty({ type: 'string', nullable: true }) vulnerableReference!: string | null;
}

export class IntakeView {
  @ApiProperty({ example: 'XP-20261123-000042' }) reference!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty({ enum: ['triage'] }) stage!: string;
  @ApiProperty({ type: 'string', enum: ['IR'], nullable: true }) riskMarker!: 'IR' | null;
  @ApiProperty() domesticAbuse!: boolean;
  @ApiProperty() sexualOffence!: boolean;
  @ApiProperty() vulnerable!: boolean;
  @ApiProperty() policyVersion!: string;
  @ApiProperty({ type: [ClockView] }) clocks!: ClockView[];
  @ApiProperty({ type: 'integer', description: '1 + the open cases ahead of this one' }) queuePosition!: number;
  @ApiProperty({ description: 'False when the queue was longer than the count goes: the position is then a lower bound' }) queuePositionExact!: boolean;
  @ApiPropertyOptional({
    type: CallerHistoryView,
    description: `What earlier contacts from the caller show: only for a caller holding ${Permission.CallerLookup}, and logged as a caller lookup of each case it names`,
  })
  callerHistory?: CallerHistoryView;
  @ApiProperty({ description: 'The answer to an earlier request with the same Idempotency-Key' }) replayed!: boolean;
}

const historySources = ['archive', 'live', 'archive and live'];

export class HistoryItemView {
  @ApiProperty({ type: 'integer' }) eventId!: number;
  @ApiProperty(dateTime) at!: string;
  @ApiProperty({ description: 'What kind of event: a command, a clock, an activity, the start or the close' }) kind!: string;
  @ApiProperty({ description: "Who, for a person's command; `system` for the workflow's own doing" }) actor!: string;
  @ApiProperty({ description: 'In plain words, with codes, clock names and times only' }) text!: string;
}

export class HistoryView {
  @ApiProperty() reference!: string;
  @ApiProperty({ enum: historySources, description: '`archive`: exported as each run closed; `live`: from Temporal' }) source!: string;
  @ApiProperty({ type: 'string', nullable: true }) policyVersion!: string | null;
  @ApiProperty({ type: 'integer' }) runs!: number;
  @ApiProperty({ type: 'integer' }) events!: number;
  @ApiProperty({ type: [HistoryItemView] }) items!: HistoryItemView[];
}

export class ReplayView {
  @ApiProperty() reference!: string;
  @ApiProperty({ enum: historySources }) source!: string;
  @ApiProperty({ type: 'integer' }) runs!: number;
  @ApiProperty({ type: 'integer' }) events!: number;
  @ApiProperty({ description: 'Every decision reproduced by the current code' }) reproduced!: boolean;
  @ApiProperty({ description: 'In plain words: all decisions reproduced, or where the code and the record part' }) verdict!: string;
}
