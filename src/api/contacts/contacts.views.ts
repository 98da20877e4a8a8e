import { type DeliveryState, deliveryStates } from '../../domain/conversations.js';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { alertKinds } from '../../domain/alerts.js';
import { catalogueChannels } from '../../domain/channels.js';
import { projectCase } from '../../domain/case-projection.js';
import { type StoredCaseState } from '../../domain/case-records.js';
import { type CaseClock, pauseReasons } from '../../domain/clocks.js';
import { referralKinds } from '../../domain/commands/refer.js';
import { outcomes } from '../../domain/commands/resolve.js';
import { type ContactCaseState, stages } from '../../domain/contact-case.js';
import { clockKinds } from '../../domain/policy.js';
import { Permission } from '../../domain/permissions.js';
import { allIncidentCategories, incidentQualifiers } from '../../domain/recording.js';
import { RiskFlag } from '../../domain/risk-screening.js';
import { type CaseRecordView } from '../../modules/contact-cases/case-queries.service.js';
import { codes, integer, orNull } from '../common/text.js';

/*
 * What the contact routes answer, in the API's own terms: the workflow's bookkeeping (its version,
 * its timeline's length) stays inside. Each fact appears once.
 */


const actorViewFields = z.object({
  subject: z.string().meta({ description: "The staff member's identity-provider subject" }),
  role: z.string().meta({ description: 'The role that allowed the action' }),
});
export const actorViewSchema = actorViewFields.meta({ id: 'ActorView' });
export class ActorView extends createZodDto(actorViewFields) {}

const clockPauseViewFields = z.object({
  reason: codes(pauseReasons),
  by: actorViewSchema,
  at: z.string().meta({ format: 'date-time' }),
  resumedAt: orNull(z.string()).meta({ format: 'date-time' }),
  resumedBy: actorViewSchema.nullable(),
  pausedMs: orNull(integer()).meta({ description: 'Milliseconds the clock stood still, once resumed' }),
});
export const clockPauseViewSchema = clockPauseViewFields.meta({ id: 'ClockPauseView' });
export class ClockPauseView extends createZodDto(clockPauseViewFields) {}

const clockRebaselineViewFields = z.object({
  at: z.string().meta({ format: 'date-time' }),
  fromDueAt: z.string().meta({ format: 'date-time' }),
  toDueAt: z.string().meta({ format: 'date-time' }),
  fromGrade: integer().meta({ enum: [1, 2, 3, 4] }),
  toGrade: integer().meta({ enum: [1, 2, 3, 4] }),
});
export const clockRebaselineViewSchema = clockRebaselineViewFields.meta({ id: 'ClockRebaselineView' });
export class ClockRebaselineView extends createZodDto(clockRebaselineViewFields) {}

const clockViewFields = z.object({
  id: z.string().meta({ description: 'Unique on the case: kind and a counter', example: 'attendance-1' }),
  kind: codes(clockKinds),
  label: z.string().meta({ example: 'grade 2 attendance (60 min)' }),
  grade: orNull(integer()).meta({ enum: [1, 2, 3, 4] }),
  startedAt: z.string().meta({ format: 'date-time' }),
  warnAt: z.string().meta({ format: 'date-time' }),
  dueAt: z.string().meta({ format: 'date-time' }),
  state: codes(['running', 'warned', 'paused', 'breached', 'met', 'stopped']),
  resumeTo: codes(['running', 'warned', 'breached']).nullable().meta({ description: 'The state a paused clock returns to' }),
  warnedAt: orNull(z.string()).meta({ format: 'date-time' }),
  breachedAt: orNull(z.string()).meta({ format: 'date-time' }),
  metAt: orNull(z.string()).meta({ format: 'date-time' }),
  stoppedAt: orNull(z.string()).meta({ format: 'date-time' }),
  stopReason: orNull(z.string()),
  pausedAt: orNull(z.string()).meta({ format: 'date-time' }),
  pausedMs: integer().meta({ description: 'Milliseconds paused so far' }),
  pauses: z.array(clockPauseViewSchema),
  escalations: integer().meta({ description: 'Escalations this clock has raised' }),
  nextEscalationAt: orNull(z.string()).meta({ format: 'date-time', description: 'When a breached clock escalates again' }),
  rebaselines: z.array(clockRebaselineViewSchema),
});
export const clockViewSchema = clockViewFields.meta({ id: 'ClockView' });
export class ClockView extends createZodDto(clockViewFields) {}

const screeningViewFields = z.object({
  riskMarker: z.enum(['IR']).nullable().meta({ description: '`IR`: a digital submission with potential risk, actioned first' }),
  domesticAbuse: z.boolean(),
  sexualOffence: z.boolean(),
  vulnerable: z.boolean(),
  reasons: z.array(z.string()).meta({ description: 'Why, as codes (never the words of the report)' }),
});
export const screeningViewSchema = screeningViewFields.meta({ id: 'ScreeningView' });
export class ScreeningView extends createZodDto(screeningViewFields) {}

const incidentViewFields = z.object({
  openingCategory: codes(allIncidentCategories),
  qualifiers: z.array(codes(incidentQualifiers)),
});
export const incidentViewSchema = incidentViewFields.meta({ id: 'IncidentView' });
export class IncidentView extends createZodDto(incidentViewFields) {}

const resolutionViewFields = z.object({
  outcome: codes(outcomes),
  closingCategory: codes(allIncidentCategories),
  firstContactResolution: z.boolean(),
  closedAt: z.string().meta({ format: 'date-time' }),
  closedBy: actorViewSchema.nullable().meta({ description: 'Who closed it (null on cases closed before it was kept with the case)' }),
  appointmentAt: orNull(z.string()).meta({ format: 'date-time', description: 'The appointment made (`appointment`)' }),
  signpostedTo: orNull(z.string()).meta({ description: 'Where the caller was signposted (`signposted`)' }),
  noFurtherActionReason: orNull(z.string()).meta({ description: 'Why no further action (`no-further-action`)' }),
});
export const resolutionViewSchema = resolutionViewFields.meta({ id: 'ResolutionView' });
export class ResolutionView extends createZodDto(resolutionViewFields) {}

const openAlertViewFields = z.object({
  id: z.string().meta({ description: 'The alert, as `GET /alerts/{id}` gives it' }),
  kind: codes(alertKinds),
  level: integer(),
  role: z.string(),
  clock: orNull(z.string()),
});
export const openAlertViewSchema = openAlertViewFields.meta({ id: 'OpenAlertView' });
export class OpenAlertView extends createZodDto(openAlertViewFields) {}

/** A case as it stands: the answer to every command, and the head of the case view. */
const conversationViewFields = z.object({
  platform: z.string(),
  messagesIn: integer(),
  messagesOut: integer(),
  awaitingReplySince: orNull(z.string()).meta({ format: 'date-time', description: 'Since when the public has waited for a reply (null: nobody waits)' }),
});
export const conversationViewSchema = conversationViewFields.meta({ id: 'ConversationView' });
export class ConversationView extends createZodDto(conversationViewFields) {}

const caseStateViewFields = z.object({
  reference: z.string().meta({ example: 'XP-20261123-000042' }),
  channel: codes(catalogueChannels()),
  receivedAt: z.string().meta({ format: 'date-time' }),
  policyVersion: z.string().meta({ description: 'The policy version the case runs under' }),
  team: z.string(),
  area: codes(['urban', 'rural']),
  assignee: z.string().meta({ description: 'The staff member the case is with' }),
  flags: z.array(codes(RiskFlag)),
  screening: screeningViewSchema,
  stage: codes(stages),
  grade: orNull(integer()).meta({ enum: [1, 2, 3, 4] }),
  pendingGrade: orNull(integer()).meta({ enum: [1, 2, 3, 4], description: 'A downgrade waiting for approval' }),
  assessmentCount: integer().meta({ description: 'THRIVE(S) assessments recorded' }),
  noteCount: integer(),
  incident: incidentViewSchema.nullable(),
  crimeRecorded: orNull(z.boolean()).meta({ description: 'The NCRS decision, once made' }),
  resolution: resolutionViewSchema.nullable(),
  escalationLevel: integer().meta({ description: "How far up the escalation chain the case has gone (0: not escalated)" }),
  clocks: z.array(clockViewSchema),
  nextDueAt: orNull(z.string()).meta({ format: 'date-time', description: 'The nearest deadline of a running clock' }),
  breached: z.boolean().meta({ description: 'A clock is breached' }),
  conversation: conversationViewSchema.nullable().meta({ description: 'The conversation, when the contact came as one' }),
});
export const caseStateViewSchema = caseStateViewFields.meta({ id: 'CaseStateView' });
export class CaseStateView extends createZodDto(caseStateViewFields) {}

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

const caseHeadViewFields = caseStateViewFields.extend({
  workflowId: z.string().meta({ description: 'The Temporal workflow that runs the case' }),
  createdBy: actorViewSchema.nullable().meta({ description: 'Who took the contact (null until the case store has recorded it)' }),
  linkedReferences: z.array(z.string()).meta({ description: 'Earlier cases of the same caller, found at intake' }),
  openAlerts: z.array(openAlertViewSchema).meta({ description: 'Alerts raised and not yet acknowledged (live cases only)' }),
  updatedAt: z.string().meta({ format: 'date-time', description: 'When the case store last recorded a change' }),
});
export const caseHeadViewSchema = caseHeadViewFields.meta({ id: 'CaseHeadView' });
export class CaseHeadView extends createZodDto(caseHeadViewFields) {}

/** What the person reported and how to reach them: personal data, shown to those who may read the case. */
const contactDetailsViewFields = z.object({
  caller: z.record(z.string(), z.unknown()).meta({ description: 'Name, phone, e-mail, address, date of birth, or anonymous' }),
  narrative: z.string(),
  location: z.record(z.string(), z.unknown()).nullable(),
  interpreterLanguage: orNull(z.string()),
  channelDetails: z.record(z.string(), z.unknown()).nullable(),
});
export const contactDetailsViewSchema = contactDetailsViewFields.meta({ id: 'ContactDetailsView' });
export class ContactDetailsView extends createZodDto(contactDetailsViewFields) {}

const assessmentViewFields = z.object({
  id: z.string(),
  factors: z.record(z.string(), z.unknown()).meta({ description: 'The seven THRIVE(S) factors: level and rationale each' }),
  proposedGrade: integer().meta({ enum: [1, 2, 3, 4] }),
  result: z.string().meta({ description: 'What became of it: applied, or a downgrade waiting for approval' }),
  by: actorViewSchema,
  assessedAt: z.string().meta({ format: 'date-time' }),
});
export const assessmentViewSchema = assessmentViewFields.meta({ id: 'AssessmentView' });
export class AssessmentView extends createZodDto(assessmentViewFields) {}

const incidentRecordViewFields = z.object({
  id: z.string(),
  openingCategory: codes(allIncidentCategories),
  qualifiers: z.array(codes(incidentQualifiers)),
  by: actorViewSchema,
  recordedAt: z.string().meta({ format: 'date-time' }),
});
export const incidentRecordViewSchema = incidentRecordViewFields.meta({ id: 'IncidentRecordView' });
export class IncidentRecordView extends createZodDto(incidentRecordViewFields) {}

const crimeDecisionViewFields = z.object({
  id: z.string(),
  crimeRecorded: z.boolean(),
  classification: orNull(z.string()),
  noCrimeReason: orNull(z.string()),
  by: actorViewSchema,
  decidedAt: z.string().meta({ format: 'date-time' }),
});
export const crimeDecisionViewSchema = crimeDecisionViewFields.meta({ id: 'CrimeDecisionView' });
export class CrimeDecisionView extends createZodDto(crimeDecisionViewFields) {}

const referralViewFields = z.object({
  id: z.string(),
  agency: z.string(),
  kind: codes(referralKinds),
  reason: z.string(),
  by: actorViewSchema,
  referredAt: z.string().meta({ format: 'date-time' }),
});
export const referralViewSchema = referralViewFields.meta({ id: 'ReferralView' });
export class ReferralView extends createZodDto(referralViewFields) {}

const downgradeDecisionViewFields = z.object({
  id: z.string(),
  fromGrade: integer().meta({ enum: [1, 2, 3, 4] }),
  toGrade: integer().meta({ enum: [1, 2, 3, 4] }),
  approved: z.boolean().meta({ description: 'Approved (the grade changed), or refused' }),
  rationale: z.string().meta({ description: "The supervisor's reasons" }),
  requestedBy: actorViewSchema.meta({ description: 'Who proposed the downgrade' }),
  requestedAt: z.string().meta({ format: 'date-time' }),
  by: actorViewSchema.meta({ description: 'Who decided' }),
  decidedAt: z.string().meta({ format: 'date-time' }),
});
export const downgradeDecisionViewSchema = downgradeDecisionViewFields.meta({ id: 'DowngradeDecisionView' });
export class DowngradeDecisionView extends createZodDto(downgradeDecisionViewFields) {}

const noteViewFields = z.object({
  id: z.string(),
  text: z.string(),
  by: actorViewSchema,
  writtenAt: z.string().meta({ format: 'date-time' }),
});
export const noteViewSchema = noteViewFields.meta({ id: 'NoteView' });
export class NoteView extends createZodDto(noteViewFields) {}

const messageViewFields = z.object({
  id: z.string().meta({ description: "The message's id on the case" }),
  direction: z.enum(['inbound', 'outbound']),
  platform: z.string().meta({ description: 'The platform it came by or went to' }),
  handle: orNull(z.string()).meta({ description: "The sender's handle on the platform (inbound)" }),
  by: actorViewSchema.meta({ description: 'Who recorded it: the connector (inbound), or the member of staff who replied (outbound)' }),
  text: z.string(),
  sentAt: z.string().meta({ format: 'date-time' }),
  deliveryState: z.enum(deliveryStates).meta({ description: '`received` (inbound); a reply goes `pending`, `retrying`, then `delivered` (or `failed` after a day, or `not-configured`)' }),
  deliveryAttempts: integer(),
  deliveredAt: orNull(z.string()).meta({ format: 'date-time' }),
  lastError: orNull(z.string()).meta({ description: 'Why the last attempt failed, while it is retried' }),
});
export const messageViewSchema = messageViewFields.meta({ id: 'MessageView' });
export class MessageView extends createZodDto(messageViewFields) {}

const timelineEntryViewFields = z.object({
  id: z.string(),
  sequence: integer(),
  type: z.string().meta({ description: 'What happened, as a code (`received`, `assessed`, `clock-breached`, …)' }),
  at: z.string().meta({ format: 'date-time' }),
  by: actorViewSchema,
  details: z.record(z.string(), z.unknown()).meta({ description: 'Codes, numbers and times only' }),
});
export const timelineEntryViewSchema = timelineEntryViewFields.meta({ id: 'TimelineEntryView' });
export class TimelineEntryView extends createZodDto(timelineEntryViewFields) {}

/** A case: where it stands, what was reported, and everything recorded on it, each once. */
const caseViewFields = z.object({
  case: caseHeadViewSchema,
  contact: contactDetailsViewSchema.nullable().meta({ description: 'Null for the moment between intake and the case store recording it' }),
  assessments: z.array(assessmentViewSchema),
  incidents: z.array(incidentRecordViewSchema),
  crimeDecisions: z.array(crimeDecisionViewSchema),
  referrals: z.array(referralViewSchema),
  downgradeDecisions: z.array(downgradeDecisionViewSchema).meta({ description: 'Each decision on a proposed downgrade, with its rationale' }),
  notes: z.array(noteViewSchema),
  timeline: z.array(timelineEntryViewSchema).meta({ description: 'Every change, in order' }),
  messages: z.array(messageViewSchema).meta({ description: "The case's conversation, in and out, in order (empty when the contact was not a conversation)" }),
  live: z.boolean().meta({ description: "Whether the case's workflow answered (a running case), or the case store alone (closed)" }),
});
export const caseViewSchema = caseViewFields.meta({ id: 'CaseView' });
export class CaseView extends createZodDto(caseViewFields) {}

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


/**
 * A case in the queue. Its fields are what the queue reads from the case store: each is a column
 * of the case row (the compiler holds it so), and a field added here is selected with no other change.
 */
export const queueEntrySchema = z
  .object({
    reference: z.string().meta({ example: 'XP-20261123-000042' }),
    channel: z.enum(catalogueChannels()),
    stage: z.enum(stages),
    grade: orNull(integer()).meta({ enum: [1, 2, 3, 4] }),
    pendingGrade: orNull(integer()).meta({ enum: [1, 2, 3, 4] }),
    riskMarker: z.enum(['IR']).nullable(),
    domesticAbuse: z.boolean(),
    sexualOffence: z.boolean(),
    vulnerable: z.boolean(),
    assignee: z.string(),
    team: z.string(),
    receivedAt: z.string().meta({ format: 'date-time' }),
    nextDueAt: orNull(z.string()).meta({ format: 'date-time' }),
    escalationLevel: integer(),
    breached: z.boolean(),
  })
  .meta({ id: 'QueueEntryView' });

/** The fields the queue shows, in its view's order. */
export const queueFields = queueEntrySchema.keyof().options;

export class QueuePageView extends createZodDto(
  z.object({
    total: integer().meta({ description: 'Open cases matching the filters' }),
    limit: integer(),
    offset: integer(),
    items: z.array(queueEntrySchema).meta({ description: 'In queue order: IR and grade 1 first, then by nearest due time, then arrival' }),
  }),
) {}

const callerHistoryViewFields = z.object({
  previousContacts: integer().meta({ description: 'Earlier contacts within the window, this one not counted' }),
  windowDays: integer(),
  lastReference: orNull(z.string()),
  openReferences: z.array(z.string()).meta({ description: 'Earlier cases of this caller still open' }),
  previouslyVulnerable: z.boolean().meta({ description: 'An earlier case marked the caller vulnerable' }),
  vulnerableReference: orNull(z.string()),
});
export const callerHistoryViewSchema = callerHistoryViewFields.meta({ id: 'CallerHistoryView' });
export class CallerHistoryView extends createZodDto(callerHistoryViewFields) {}

const intakeViewFields = z.object({
  reference: z.string().meta({ example: 'XP-20261123-000042' }),
  workflowId: z.string(),
  stage: codes(['triage']),
  riskMarker: z.enum(['IR']).nullable(),
  domesticAbuse: z.boolean(),
  sexualOffence: z.boolean(),
  vulnerable: z.boolean(),
  policyVersion: z.string(),
  clocks: z.array(clockViewSchema),
  queuePosition: integer().meta({ description: '1 + the open cases ahead of this one' }),
  queuePositionExact: z.boolean().meta({ description: 'False when the queue was longer than the count goes: the position is then a lower bound' }),
  callerHistory: callerHistoryViewSchema.meta({ description: `What earlier contacts from the caller show: only for a caller holding ${Permission.CallerLookup}, and logged as a caller lookup of each case it names` }).optional(),
  replayed: z.boolean().meta({ description: 'The answer to an earlier request with the same Idempotency-Key' }),
});
export const intakeViewSchema = intakeViewFields.meta({ id: 'IntakeView' });
export class IntakeView extends createZodDto(intakeViewFields) {}

const historySources = ['archive', 'live', 'archive and live'];

const historyItemViewFields = z.object({
  eventId: integer(),
  at: z.string().meta({ format: 'date-time' }),
  kind: z.string().meta({ description: 'What kind of event: a command, a clock, an activity, the start or the close' }),
  actor: z.string().meta({ description: "Who, for a person's command; `system` for the workflow's own doing" }),
  text: z.string().meta({ description: 'In plain words, with codes, clock names and times only' }),
});
export const historyItemViewSchema = historyItemViewFields.meta({ id: 'HistoryItemView' });
export class HistoryItemView extends createZodDto(historyItemViewFields) {}

const historyViewFields = z.object({
  reference: z.string(),
  source: codes(historySources).meta({ description: '`archive`: exported as each run closed; `live`: from Temporal' }),
  policyVersion: orNull(z.string()),
  runs: integer(),
  events: integer(),
  items: z.array(historyItemViewSchema),
});
export const historyViewSchema = historyViewFields.meta({ id: 'HistoryView' });
export class HistoryView extends createZodDto(historyViewFields) {}

const replayViewFields = z.object({
  reference: z.string(),
  source: codes(historySources),
  runs: integer(),
  events: integer(),
  reproduced: z.boolean().meta({ description: 'Every decision reproduced by the current code' }),
  verdict: z.string().meta({ description: 'In plain words: all decisions reproduced, or where the code and the record part' }),
});
export const replayViewSchema = replayViewFields.meta({ id: 'ReplayView' });
export class ReplayView extends createZodDto(replayViewFields) {}
