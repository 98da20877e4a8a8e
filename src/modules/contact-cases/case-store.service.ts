import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { type ContactCaseState, priorityRank } from '../../domain/contact-case.js';
import { formatReference } from '../../domain/reference.js';
import type { CaseChange, ContactIntake } from '../../workflows/contact-case.messages.js';
import { contactCaseWorkflowId } from '../../workflows/contact-case.messages.js';
import { DomainError, DomainErrorCode } from '../errors/domain-error.js';
import {
  CaseAssessmentSchema,
  CaseCrimeDecisionSchema,
  CaseEventSchema,
  CaseIncidentSchema,
  CaseNoteSchema,
  CaseReferralSchema,
} from './case-records.entity.js';
import { ContactCaseSchema } from './contact-case.entity.js';

/** The projection of the workflow's state that the queue and the case view read. */
function projection(state: ContactCaseState, at: Date) {
  return {
    stage: state.stage,
    grade: state.grade,
    pendingGrade: state.pendingDowngrade?.toGrade ?? null,
    priorityRank: priorityRank(state),
    openingCategory: state.incident?.openingCategory ?? null,
    qualifiers: state.incident ? [...state.incident.qualifiers] : null,
    crimeRecorded: state.crimeDecision?.crimeRecorded ?? null,
    outcome: state.resolution?.outcome ?? null,
    closingCategory: state.resolution?.closingCategory ?? null,
    firstContactResolution: state.resolution?.firstContactResolution ?? null,
    escalationLevel: state.escalationLevel,
    closedAt: state.resolution ? new Date(state.resolution.closedAt) : null,
    version: state.version,
    updatedAt: at,
  };
}

/**
 * Writes to the case store, for the workflow's activities. Every write is idempotent: a retried
 * activity finds its work done and changes nothing, so nothing accepted is ever written twice.
 */
@Injectable()
export class CaseStore {
  constructor(private readonly orm: MikroORM) {}

  async recordIntake(intake: ContactIntake): Promise<void> {
    const receivedAt = new Date(intake.receivedAt);
    const ignoreExisting = { onConflictAction: 'ignore' as const, disableIdentityMap: true };
    // Both rows are keyed by the reference, so a retried activity finds them and writes nothing.
    await this.orm.em.fork().transactional(async (em) => {
      await em.upsert(
        ContactCaseSchema,
        {
          reference: intake.reference,
          workflowId: contactCaseWorkflowId(intake.reference),
          channel: intake.channel,
          receivedAt,
          policyVersion: intake.policyVersion,
          team: intake.team,
          assignee: intake.actor.subject,
          createdBySubject: intake.actor.subject,
          createdByRole: intake.actor.role,
          flags: [...intake.flags],
          riskMarker: intake.screening.riskMarker,
          domesticAbuse: intake.screening.domesticAbuse,
          sexualOffence: intake.screening.sexualOffence,
          vulnerable: intake.screening.vulnerable,
          screeningReasons: [...intake.screening.reasons],
          caller: { ...intake.details.caller },
          narrative: intake.details.narrative,
          location: intake.details.location ? { ...intake.details.location } : null,
          interpreterLanguage: intake.details.interpreterLanguage ?? null,
          channelDetails: intake.details.channelDetails ? { ...intake.details.channelDetails } : null,
          stage: 'triage',
          grade: null,
          pendingGrade: null,
          priorityRank: intake.screening.riskMarker === 'IR' ? 0 : 1,
          nextDueAt: null,
          escalationLevel: 0,
          version: 1,
          updatedAt: new Date(),
        },
        { ...ignoreExisting, onConflictFields: ['reference'] },
      );
      await em.upsert(
        CaseEventSchema,
        {
          id: `${intake.reference}:received`,
          reference: intake.reference,
          sequence: 1,
          type: 'received',
          at: receivedAt,
          actorSubject: intake.actor.subject,
          actorRole: intake.actor.role,
          details: { channel: intake.channel, riskMarker: intake.screening.riskMarker, reasons: intake.screening.reasons.join(',') },
        },
        { ...ignoreExisting, onConflictFields: ['id'] },
      );
    });
  }

  async applyChange(change: CaseChange): Promise<void> {
    const at = new Date(change.at);
    const actor = { actorSubject: change.actor.subject, actorRole: change.actor.role };
    await this.orm.em.fork().transactional(async (em) => {
      // The timeline entry is keyed by the command id: if it exists, this change was applied already.
      const inserted = await em.execute<Array<{ id: string }>>(
        `insert into case_event (id, reference, sequence, type, at, actor_subject, actor_role, details)
         values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing returning id`,
        [change.commandId, change.reference, change.state.version, change.entry.type, at, actor.actorSubject, actor.actorRole, JSON.stringify(change.entry.details)],
      );
      if (inserted.length === 0) return;
      const base = { id: change.commandId, reference: change.reference, ...actor };
      const command = change.command;
      switch (command.type) {
        case 'assess':
          em.create(CaseAssessmentSchema, {
            ...base,
            factors: command.assessment.factors,
            proposedGrade: command.assessment.proposedGrade,
            result: change.entry.type === 'downgrade-proposed' ? 'pending-downgrade' : 'applied',
            assessedAt: at,
          });
          break;
        case 'record-incident':
          em.create(CaseIncidentSchema, { ...base, openingCategory: command.incident.openingCategory, qualifiers: [...command.incident.qualifiers], recordedAt: at });
          break;
        case 'decide-crime':
          em.create(CaseCrimeDecisionSchema, {
            ...base,
            crimeRecorded: command.decision.crimeRecorded,
            classification: command.decision.classification ?? null,
            noCrimeReason: command.decision.noCrimeReason ?? null,
            decidedAt: at,
          });
          break;
        case 'refer':
          em.create(CaseReferralSchema, { ...base, agency: command.referral.agency, kind: command.referral.kind, reason: command.referral.reason, referredAt: at });
          break;
        case 'add-note':
          em.create(CaseNoteSchema, { ...base, text: command.text, writtenAt: at });
          break;
        case 'decide-downgrade':
        case 'record-attendance':
        case 'resolve':
          break; // the timeline entry and the projection hold all of these
      }
      await em.flush();
      await em.nativeUpdate(ContactCaseSchema, { reference: change.reference, version: { $lt: change.state.version } }, projection(change.state, at));
    });
  }

  /**
   * A new case reference, or for a repeated Idempotency-Key the reference it was given before. The
   * key's row is written before the sequence moves, so concurrent repeats wait for the first and
   * share its reference, and the day's sequence has no gaps.
   */
  async allocateReference(forceCode: string, day: string, idempotency?: { key: string; requestHash: string }): Promise<{ reference: string; replayed: boolean }> {
    return this.orm.em.fork().transactional(async (em) => {
      if (idempotency) {
        const claimed = await em.execute<Array<{ idempotency_key: string }>>(
          `insert into intake_request (idempotency_key, request_hash, reference, created_at) values (?, ?, '', ?)
           on conflict (idempotency_key) do nothing returning idempotency_key`,
          [idempotency.key, idempotency.requestHash, new Date()],
        );
        if (claimed.length === 0) {
          const [earlier] = await em.execute<Array<{ reference: string; request_hash: string }>>(
            'select reference, request_hash from intake_request where idempotency_key = ?',
            [idempotency.key],
          );
          if (earlier.request_hash !== idempotency.requestHash) {
            throw new DomainError(DomainErrorCode.IdempotencyConflict, 'This Idempotency-Key was used for a different request', [
              { field: 'Idempotency-Key', message: 'already used for a different request body' },
            ]);
          }
          return { reference: earlier.reference, replayed: true };
        }
      }
      const [{ last_value: sequence }] = await em.execute<Array<{ last_value: number }>>(
        `insert into reference_sequence (day, last_value) values (?, 1)
         on conflict (day) do update set last_value = reference_sequence.last_value + 1 returning last_value`,
        [day],
      );
      const reference = formatReference(forceCode, day, sequence);
      if (idempotency) await em.execute('update intake_request set reference = ? where idempotency_key = ?', [reference, idempotency.key]);
      return { reference, replayed: false };
    });
  }
}
