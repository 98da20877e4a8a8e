import { Injectable } from '@nestjs/common';
import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { type ActorRef } from '../../domain/actor.js';
import { hasBreach, nextDueAt } from '../../domain/clocks.js';
import { type ContactCaseState, priorityRank } from '../../domain/contact-case.js';
import { formatReference } from '../../domain/reference.js';
import type { CaseChange, IntakeRecord, RecordedEntry } from '../../workflows/contact-case.messages.js';
import { appendAuditEntries } from '../audit/audit-chain.js';
import { recordPolicyVersion } from '../policy/policy-version.store.js';
import { contactCaseWorkflowId } from '../../workflows/contact-case.messages.js';
import { DomainError, DomainErrorCode } from '../errors/domain-error.js';
import {
  CaseAssessmentSchema,
  CaseCrimeDecisionSchema,
  CaseIncidentSchema,
  CaseNoteSchema,
  CaseReferralSchema,
} from './case-records.entity.js';
import { ContactCaseSchema } from './contact-case.entity.js';

/** The projection of the workflow's state that the queue and the case view read. */
function projection(state: ContactCaseState, at: Date) {
  const due = nextDueAt(state);
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
    nextDueAt: due === null ? null : new Date(due),
    clocks: state.clocks,
    breached: hasBreach(state),
    closedAt: state.resolution ? new Date(state.resolution.closedAt) : null,
    version: state.version,
    updatedAt: at,
  };
}

type Transaction = EntityManager;

/**
 * Writes to the case store, for the workflow's activities. Every write is idempotent: a retried
 * activity finds its work done and changes nothing, so nothing accepted is ever written twice.
 */
@Injectable()
export class CaseStore {
  constructor(private readonly orm: MikroORM) {}

  async recordIntake({ intake, entries, state }: IntakeRecord): Promise<void> {
    const receivedAt = new Date(intake.receivedAt);
    const ignoreExisting = { onConflictAction: 'ignore' as const, disableIdentityMap: true };
    // Every row is keyed by the reference (or the policy's version), so a retried activity writes nothing.
    await this.orm.em.fork().transactional(async (em) => {
      // Every policy a case opened under is kept, by version (a conflict was refused at the API).
      await recordPolicyVersion(em, intake.policy);
      await em.upsert(
        ContactCaseSchema,
        {
          reference: intake.reference,
          workflowId: contactCaseWorkflowId(intake.reference),
          channel: intake.channel,
          receivedAt,
          policyVersion: intake.policy.version,
          team: intake.team,
          area: intake.area,
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
          ...projection(state, new Date()),
        },
        { ...ignoreExisting, onConflictFields: ['reference'] },
      );
      await this.insertEntries(em, intake.reference, intake.policy.version, intake.actor, receivedAt, entries);
    });
  }

  async applyChange(change: CaseChange): Promise<void> {
    const at = new Date(change.at);
    const actor = { actorSubject: change.actor.subject, actorRole: change.actor.role };
    await this.orm.em.fork().transactional(async (em) => {
      // The entries are keyed by the change's id: if the first exists, this change was applied already.
      if (!(await this.insertEntries(em, change.reference, change.state.policyVersion, change.actor, at, change.entries))) return;
      const base = { id: change.changeId, reference: change.reference, ...actor };
      const command = change.command;
      switch (command?.type) {
        case 'assess':
          em.create(CaseAssessmentSchema, {
            ...base,
            factors: command.assessment.factors,
            proposedGrade: command.assessment.proposedGrade,
            result: change.entries[0].type === 'downgrade-proposed' ? 'pending-downgrade' : 'applied',
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
        default:
          break; // the timeline entries and the projection hold everything else
      }
      await em.flush();
      await em.nativeUpdate(ContactCaseSchema, { reference: change.reference, version: { $lt: change.state.version } }, projection(change.state, at));
    });
  }

  /**
   * Writes a change's timeline entries, their audit entries (hash-chained), and a notification for
   * each escalation among them; false
   * when the change was written before (its first entry is there).
   */
  private async insertEntries(em: Transaction, reference: string, policyVersion: string, actor: ActorRef, at: Date, entries: RecordedEntry[]): Promise<boolean> {
    // One statement for all of a change's entries, and one for its notifications: an alarm on a
    // busy case store costs a single short transaction.
    const inserted = await em.execute<Array<{ id: string }>>(
      `insert into case_event (id, reference, sequence, type, at, actor_subject, actor_role, details)
       values ${entries.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} on conflict (id) do nothing returning id`,
      entries.flatMap((entry) => [entry.id, reference, entry.sequence, entry.type, at, actor.subject, actor.role, JSON.stringify(entry.details)]),
    );
    const written = new Set(inserted.map((row) => row.id));
    if (!written.has(entries[0].id)) return false;
    await appendAuditEntries(em, reference, policyVersion, actor, at, entries);
    const escalations = entries.filter((entry) => entry.type === 'escalated' && written.has(entry.id));
    if (escalations.length > 0) {
      const createdAt = new Date();
      await em.execute(
        `insert into case_notification (id, reference, level, role, reason, clock, raised_for, created_at)
         values ${escalations.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} on conflict (id) do nothing`,
        escalations.flatMap((entry) => {
          const details = entry.details as { level: number; role: string; reason: string; clock: string | null; raisedFor: string };
          return [entry.id, reference, details.level, details.role, details.reason, details.clock, new Date(details.raisedFor), createdAt];
        }),
      );
    }
    return true;
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
