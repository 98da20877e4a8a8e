import { activeClocks, hasBreach, nextDueAt } from './clocks.js';
import { type ContactCaseState, priorityRank } from './contact-case.js';

/** A case's state, with or without its open alerts (the store keeps those as rows of their own). */
export type ProjectedState = Omit<ContactCaseState, 'alerts'> & { alerts?: ContactCaseState['alerts'] };

/**
 * What everyone who does not ask the workflow reads of a case, derived from its state in one place:
 * the case store's row (and so the queue), the search attributes supervisors filter on in the
 * Temporal UI, and the head of the case view. Each reader takes the fields it needs from here, so
 * a new field of the case is derived once and cannot be derived two ways; its type is this
 * function's. A field added here is written to the case row, compared by the reconciler and open
 * to the queue as soon as the case entity has a column of the same name.
 */
export function projectCase(state: ProjectedState) {
  return {
    reference: state.reference,
    channel: state.channel,
    receivedAt: state.receivedAt,
    policyVersion: state.policyVersion,
    team: state.team,
    area: state.area,
    assignee: state.assignee,
    flags: [...state.flags],
    stage: state.stage,
    grade: state.grade,
    /** A downgrade waiting for a supervisor's approval. */
    pendingGrade: state.pendingDowngrade?.toGrade ?? null,
    /** Queue order: 0 for IR and grade 1, then 1. */
    priorityRank: priorityRank(state),
    riskMarker: state.screening.riskMarker,
    domesticAbuse: state.screening.domesticAbuse,
    sexualOffence: state.screening.sexualOffence,
    // An assessment may find the caller vulnerable after intake, and a later message may show a
    // risk: the screening follows the case (and later contacts carry vulnerability forward).
    vulnerable: state.screening.vulnerable,
    screeningReasons: [...state.screening.reasons],
    openingCategory: state.incident?.openingCategory ?? null,
    qualifiers: state.incident ? [...state.incident.qualifiers] : null,
    crimeRecorded: state.crimeDecision?.crimeRecorded ?? null,
    outcome: state.resolution?.outcome ?? null,
    closingCategory: state.resolution?.closingCategory ?? null,
    firstContactResolution: state.resolution?.firstContactResolution ?? null,
    closedAt: state.resolution?.closedAt ?? null,
    escalationLevel: state.escalationLevel,
    /** The nearest due time of a clock still counting (or breached). */
    nextDueAt: nextDueAt(state),
    breached: hasBreach(state),
    /** The kinds of the clocks still counting (running, warned, breached or paused), sorted. */
    openClockKinds: [...new Set(activeClocks(state).map((clock) => clock.kind))].sort(),
    /** An alert raised on the case waits to be acknowledged. */
    openAlert: (state.alerts ?? []).length > 0,
    clocks: state.clocks,
    /** How many changes the case has had: the store holds exactly this many. */
    version: state.version,
  };
}

export type CaseProjection = ReturnType<typeof projectCase>;
