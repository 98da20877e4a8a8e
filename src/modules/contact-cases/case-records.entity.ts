import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** Who did it, as on every record: the staff member's subject and the role that allowed it. */
const actorColumns = () => ({ actorSubject: p.string().length(128), actorRole: p.string().length(64) });

/** The per-case timeline: one entry per change, in the workflow's order. */
export const CaseEventSchema = defineEntity({
  name: 'CaseEvent',
  tableName: 'case_event',
  properties: {
    id: p.string().primary().length(128),
    reference: p.string().length(32),
    sequence: p.integer(),
    type: p.string().length(48),
    at: p.datetime(),
    ...actorColumns(),
    details: p.json<Record<string, unknown>>(),
  },
});

export const CaseAssessmentSchema = defineEntity({
  name: 'CaseAssessment',
  tableName: 'case_assessment',
  properties: {
    id: p.string().primary().length(128),
    reference: p.string().length(32),
    factors: p.json<Record<string, unknown>>(),
    proposedGrade: p.smallint(),
    result: p.string().length(24),
    ...actorColumns(),
    assessedAt: p.datetime(),
  },
});

export const CaseIncidentSchema = defineEntity({
  name: 'CaseIncident',
  tableName: 'case_incident',
  properties: {
    id: p.string().primary().length(128),
    reference: p.string().length(32),
    openingCategory: p.string().length(48),
    qualifiers: p.array(),
    ...actorColumns(),
    recordedAt: p.datetime(),
  },
});

export const CaseCrimeDecisionSchema = defineEntity({
  name: 'CaseCrimeDecision',
  tableName: 'case_crime_decision',
  properties: {
    id: p.string().primary().length(128),
    reference: p.string().length(32),
    crimeRecorded: p.boolean(),
    classification: p.string().length(48).nullable(),
    noCrimeReason: p.string().length(48).nullable(),
    ...actorColumns(),
    decidedAt: p.datetime(),
  },
});

export const CaseReferralSchema = defineEntity({
  name: 'CaseReferral',
  tableName: 'case_referral',
  properties: {
    id: p.string().primary().length(128),
    reference: p.string().length(32),
    agency: p.string().length(128),
    kind: p.string().length(16),
    reason: p.text(),
    ...actorColumns(),
    referredAt: p.datetime(),
  },
});

export const CaseNoteSchema = defineEntity({
  name: 'CaseNote',
  tableName: 'case_note',
  properties: {
    id: p.string().primary().length(128),
    reference: p.string().length(32),
    text: p.text(),
    ...actorColumns(),
    writtenAt: p.datetime(),
  },
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

export type CaseEventRow = InferEntity<typeof CaseEventSchema>;
