import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { ContactCaseSchema } from './contact-case.entity.js';

/**
 * The case a record belongs to: its reference, held as the plain key (`mapToPk`) and checked by
 * the database as a foreign key, named as the migration names it.
 */
export const caseReference = (table: string) =>
  p.manyToOne(ContactCaseSchema).mapToPk().fieldName('reference').foreignKeyName(`${table}_reference_fkey`).deleteRule('no action').updateRule('no action');

/** Who did it, as on every record: the staff member's subject and the role that allowed it. */
const actorColumns = () => ({ actorSubject: p.string().length(128), actorRole: p.string().length(64) });

/** The per-case timeline: one entry per change, in the workflow's order. */
export const CaseEventSchema = defineEntity({
  name: 'CaseEvent',
  tableName: 'case_event',
  properties: {
    id: p.string().primary().length(128),
    reference: caseReference('case_event'),
    sequence: p.integer(),
    type: p.string().length(48),
    at: p.datetime(),
    ...actorColumns(),
    details: p.json<Record<string, unknown>>(),
  },
  uniques: [{ name: 'case_event_sequence_unique', properties: ['reference', 'sequence'] }],
});

export const CaseAssessmentSchema = defineEntity({
  name: 'CaseAssessment',
  tableName: 'case_assessment',
  properties: {
    id: p.string().primary().length(128),
    reference: caseReference('case_assessment'),
    factors: p.json<Record<string, unknown>>(),
    proposedGrade: p.smallint(),
    result: p.string().length(24),
    ...actorColumns(),
    assessedAt: p.datetime(),
  },
  indexes: [{ name: 'case_assessment_reference', properties: ['reference'] }],
});

export const CaseIncidentSchema = defineEntity({
  name: 'CaseIncident',
  tableName: 'case_incident',
  properties: {
    id: p.string().primary().length(128),
    reference: caseReference('case_incident'),
    openingCategory: p.string().length(48),
    qualifiers: p.array(),
    ...actorColumns(),
    recordedAt: p.datetime(),
  },
  indexes: [{ name: 'case_incident_reference', properties: ['reference'] }],
});

export const CaseCrimeDecisionSchema = defineEntity({
  name: 'CaseCrimeDecision',
  tableName: 'case_crime_decision',
  properties: {
    id: p.string().primary().length(128),
    reference: caseReference('case_crime_decision'),
    crimeRecorded: p.boolean(),
    classification: p.string().length(48).nullable(),
    noCrimeReason: p.string().length(48).nullable(),
    ...actorColumns(),
    decidedAt: p.datetime(),
  },
  indexes: [{ name: 'case_crime_decision_reference', properties: ['reference'] }],
});

export const CaseReferralSchema = defineEntity({
  name: 'CaseReferral',
  tableName: 'case_referral',
  properties: {
    id: p.string().primary().length(128),
    reference: caseReference('case_referral'),
    agency: p.string().length(128),
    kind: p.string().length(16),
    reason: p.text(),
    ...actorColumns(),
    referredAt: p.datetime(),
  },
  indexes: [{ name: 'case_referral_reference', properties: ['reference'] }],
});

export const CaseNoteSchema = defineEntity({
  name: 'CaseNote',
  tableName: 'case_note',
  properties: {
    id: p.string().primary().length(128),
    reference: caseReference('case_note'),
    text: p.text(),
    ...actorColumns(),
    writtenAt: p.datetime(),
  },
  indexes: [{ name: 'case_note_reference', properties: ['reference'] }],
});

/**
 * The changes the store holds of a case, one per version, each once: the hash is of the change as
 * its workflow's history holds it, so a second write of a version is known to be the same change
 * or not (see CaseStore.write).
 */
export const CaseChangeSchema = defineEntity({
  name: 'CaseChange',
  tableName: 'case_change',
  properties: {
    reference: caseReference('case_change').primary(),
    version: p.integer().primary(),
    changeId: p.string().length(128).unique('case_change_change_id_key'),
    hash: p.character().length(64),
    at: p.datetime(),
  },
});

/** How a case was closed, with the reasons its outcome needs (signposting, appointment, no further action). */
export const CaseResolutionSchema = defineEntity({
  name: 'CaseResolution',
  tableName: 'case_resolution',
  properties: {
    id: p.string().primary().length(128),
    reference: caseReference('case_resolution'),
    outcome: p.string().length(32),
    closingCategory: p.string().length(48),
    firstContactResolution: p.boolean(),
    appointmentAt: p.datetime().nullable(),
    signpostedTo: p.text().nullable(),
    noFurtherActionReason: p.text().nullable(),
    ...actorColumns(),
    resolvedAt: p.datetime(),
  },
  indexes: [{ name: 'case_resolution_reference', properties: ['reference'] }],
});

/** A supervisor's decision on a proposed downgrade, with its rationale and who proposed it. */
export const CaseDowngradeDecisionSchema = defineEntity({
  name: 'CaseDowngradeDecision',
  tableName: 'case_downgrade_decision',
  properties: {
    id: p.string().primary().length(128),
    reference: caseReference('case_downgrade_decision'),
    fromGrade: p.smallint(),
    toGrade: p.smallint(),
    approved: p.boolean(),
    rationale: p.text(),
    requestedBySubject: p.string().length(128),
    requestedByRole: p.string().length(64),
    requestedAt: p.datetime(),
    ...actorColumns(),
    decidedAt: p.datetime(),
  },
  indexes: [{ name: 'case_downgrade_decision_reference', properties: ['reference'] }],
});

/**
 * What administrators must look at about the case store: a change that could never be written (a
 * data error, retried a few times), or a change arriving again with other content. Names the case,
 * the change and codes; never a value from the case.
 */
export const StoreAlertSchema = defineEntity({
  name: 'StoreAlert',
  tableName: 'store_alert',
  properties: {
    id: p.string().primary().length(200),
    kind: p.string().length(24),
    reference: p.string().length(32),
    changeId: p.string().length(160).nullable(),
    version: p.integer().nullable(),
    sqlState: p.string().length(5).nullable(),
    errorName: p.string().length(64).nullable(),
    attempts: p.integer(),
    raisedAt: p.datetime(),
    resolvedAt: p.datetime().nullable(),
  },
  indexes: [
    { name: 'store_alert_open', expression: 'create index "store_alert_open" on "store_alert" ("raised_at") where "resolved_at" is null' },
    { name: 'store_alert_reference', properties: ['reference'] },
  ],
});

/** An intake seen before, by its Idempotency-Key: a retry gets the same case. */
export const IntakeRequestSchema = defineEntity({
  name: 'IntakeRequest',
  tableName: 'intake_request',
  properties: {
    idempotencyKey: p.string().primary().length(128),
    requestHash: p.string().length(64),
    reference: p.string().length(32),
    createdAt: p.datetime(),
  },
});

export const ReferenceSequenceSchema = defineEntity({
  name: 'ReferenceSequence',
  tableName: 'reference_sequence',
  properties: {
    day: p.string().primary().length(10),
    lastValue: p.integer(),
  },
});

/**
 * An alert: one per escalation, addressed to a role, open until acknowledged or until its case
 * closes. `xid` and `id` order the live stream (see the alerts migration).
 */
export const CaseAlertSchema = defineEntity({
  name: 'CaseAlert',
  tableName: 'case_alert',
  properties: {
    id: p.string().primary().length(160),
    reference: caseReference('case_alert'),
    xid: p.string().columnType('xid8').defaultRaw('pg_current_xact_id()'),
    kind: p.string().length(16),
    level: p.smallint(),
    role: p.string().length(64),
    team: p.string().length(64),
    reason: p.string().length(64),
    clock: p.string().length(48).nullable(),
    raisedFor: p.datetime(),
    dueAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    acknowledgedAt: p.datetime().nullable(),
    acknowledgedBySubject: p.string().length(128).nullable(),
    acknowledgedByRole: p.string().length(64).nullable(),
    acknowledgementAction: p.string().length(32).nullable(),
    acknowledgementNote: p.text().nullable(),
    closedAt: p.datetime().nullable(),
    deliveryState: p.string().length(16).default('not-configured'),
    deliveryAttempts: p.integer().default(0),
    deliveredAt: p.datetime().nullable(),
  },
  indexes: [
    { name: 'case_alert_reference', properties: ['reference'] },
    { name: 'case_alert_stream', properties: ['xid', 'id'] },
    { name: 'case_alert_inbox', properties: ['role', 'createdAt'] },
    // The alerts no one has acknowledged yet, by team (management information).
    { name: 'case_alert_open', expression: 'create index "case_alert_open" on "case_alert" ("team") where "acknowledged_at" is null and "closed_at" is null' },
  ],
});

/** A case's caller, one row per identifier: its HMAC under the key `keyId` (never the identifier itself). */
export const CallerIdentitySchema = defineEntity({
  name: 'CallerIdentity',
  tableName: 'caller_identity',
  properties: {
    hash: p.character().length(64).primary(),
    reference: p.string().length(32).primary(),
    keyId: p.string().length(32),
    receivedAt: p.datetime(),
  },
  indexes: [
    { name: 'caller_identity_recent', properties: ['hash', 'receivedAt'] },
    { name: 'caller_identity_reference', properties: ['reference'] },
  ],
});

export type CaseEventRow = InferEntity<typeof CaseEventSchema>;
