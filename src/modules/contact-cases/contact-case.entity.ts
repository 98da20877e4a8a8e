import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { StoredCaseState } from '../../domain/case-records.js';

const queueOrder = '"priority_rank", "next_due_at" nulls last, "received_at", "reference"';
const queueIndex = (name: string, columns: string, alsoWhere = '') => ({
  name,
  expression: `create index "${name}" on "contact_case" (${columns}) where "closed_at" is null${alsoWhere}`,
});

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
    workflowId: p.string().unique('contact_case_workflow_id_key').length(64),
    channel: p.string().length(32),
    receivedAt: p.datetime(),
    policyVersion: p.string().length(64),
    team: p.string().length(64),
    area: p.string().length(8).default('urban'),
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
    clocks: p.json<unknown[]>().defaultRaw("'[]'"),
    breached: p.boolean().default(false),
    closedAt: p.datetime().nullable(),
    version: p.integer(),
    updatedAt: p.datetime(),
    /** The case's state (codes only, its open alerts aside: they are alert rows) at `version`: what a closed case reads as, exactly as its workflow left it. */
    state: p.json<StoredCaseState>().nullable(),
    /** Earlier cases of the same caller, found at intake. */
    linkedReferences: p.array().defaultRaw(`'{}'::text[]`),
  },
  // The queue reads open cases only, in queue order; each filter has an index that keeps the order.
  // Written as their DDL: partial indexes with a nulls order (or an expression) compare reliably so.
  indexes: [
    queueIndex('contact_case_queue', queueOrder),
    ...(['stage', 'channel', 'grade', 'risk_marker', 'assignee'] as const).map((column) => queueIndex(`contact_case_queue_by_${column}`, `"${column}", ${queueOrder}`)),
    // The supervisors' view: open cases with a breached clock.
    queueIndex('contact_case_queue_breached', queueOrder, ' and "breached"'),
    // A new case's queue position: a range scan over a row comparison, so no nulls in the key.
    // `team` is carried, not a key: the count leaves the continuity drill's team out without a table visit.
    queueIndex('contact_case_queue_position', `"priority_rank", coalesce("next_due_at", 'infinity'::timestamptz), "received_at", "reference") include ("team"`),
  ],
});

export type ContactCaseRow = InferEntity<typeof ContactCaseSchema>;
