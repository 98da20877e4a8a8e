import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * The case record: what the contact said (personal data lives here and in encrypted workflow
 * payloads only) and a projection of the workflow's state for the queue and the case view, written
 * only by the workflow's activities.
 */
export const ContactCaseSchema = defineEntity({
  name: 'ContactCase',
  tableName: 'contact_case',
  properties: {
    reference: p.string().primary().length(32),
    workflowId: p.string().unique().length(64),
    channel: p.string().length(32),
    receivedAt: p.datetime(),
    policyVersion: p.string().length(64),
    team: p.string().length(64),
    area: p.string().length(8),
    assignee: p.string().length(128),
    createdBySubject: p.string().length(128),
    createdByRole: p.string().length(64),
    flags: p.array(),
    riskMarker: p.string().length(4).nullable(),
    domesticAbuse: p.boolean(),
    sexualOffence: p.boolean(),
    vulnerable: p.boolean(),
    screeningReasons: p.array(),
    caller: p.json<Record<string, unknown>>(),
    narrative: p.text(),
    location: p.json<Record<string, unknown>>().nullable(),
    interpreterLanguage: p.string().length(64).nullable(),
    channelDetails: p.json<Record<string, unknown>>().nullable(),
    stage: p.string().length(16),
    grade: p.smallint().nullable(),
    pendingGrade: p.smallint().nullable(),
    priorityRank: p.smallint(),
    nextDueAt: p.datetime().nullable(),
    openingCategory: p.string().length(48).nullable(),
    qualifiers: p.array().nullable(),
    crimeRecorded: p.boolean().nullable(),
    outcome: p.string().length(32).nullable(),
    closingCategory: p.string().length(48).nullable(),
    firstContactResolution: p.boolean().nullable(),
    escalationLevel: p.smallint(),
    /** The case's SLA clocks as the workflow last recorded them. */
    clocks: p.json<unknown[]>(),
    breached: p.boolean(),
    closedAt: p.datetime().nullable(),
    version: p.integer(),
    updatedAt: p.datetime(),
  },
});

export type ContactCaseRow = InferEntity<typeof ContactCaseSchema>;
