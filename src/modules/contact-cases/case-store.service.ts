import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import { type AppConfig } from '../../config/app-config.js';
import { type ActorRef } from '../../domain/actor.js';
import { hasBreach, nextDueAt } from '../../domain/clocks.js';
import { type ContactCaseState, priorityRank } from '../../domain/contact-case.js';
import { REFERENCE_SEQUENCE_DIGITS, referencePrefix } from '../../domain/reference.js';
import type { CaseChange, IntakeRecord, RecordedEntry } from '../../domain/case-records.js';
import { chainAuditEntries, GENESIS_HASH } from '../audit/audit-chain.js';
import { Sql, SqlParams } from '../database/sql.js';
import { recordPolicyVersion } from '../policy/policy-version.store.js';
import { contactCaseWorkflowId } from '../../workflows/contact-case.messages.js';
import { DomainError, DomainErrorCode } from '../errors/domain-error.js';
import { alertKindOf } from '../../domain/alerts.js';
import {
  CaseAlertSchema,
  CaseAssessmentSchema,
  CaseCrimeDecisionSchema,
  CaseEventSchema,
  CaseIncidentSchema,
  CaseNoteSchema,
  CaseReferralSchema,
} from './case-records.entity.js';
import { ContactCaseSchema } from './contact-case.entity.js';
import { CaseMessageSchema, ConversationSchema } from '../conversations/conversation.entity.js';
import { inboundMessageKey } from '../conversations/conversation-keys.js';

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
    // An assessment may find the caller vulnerable after intake, and a later message may show a
    // risk: the screening follows the case (and later contacts carry vulnerability forward).
    vulnerable: state.screening.vulnerable,
    riskMarker: state.screening.riskMarker,
    domesticAbuse: state.screening.domesticAbuse,
    sexualOffence: state.screening.sexualOffence,
    screeningReasons: [...state.screening.reasons],
    nextDueAt: due === null ? null : new Date(due),
    clocks: state.clocks,
    breached: hasBreach(state),
    closedAt: state.resolution ? new Date(state.resolution.closedAt) : null,
    assignee: state.assignee,
    team: state.team,
    version: state.version,
    updatedAt: at,
  };
}

/** One change to write: its timeline entries, who made it, and when. */
interface ChangeEntries {
  reference: string;
  policyVersion: string;
  /** The case after the change: its team and clocks go on the alerts the change raises. */
  state: ContactCaseState;
  actor: ActorRef;
  at: Date;
  entries: RecordedEntry[];
}

/**
 * Writes to the case store, for the workflow's activities. Every write is idempotent: a retried
 * activity finds its work done and changes nothing, so nothing accepted is ever written twice.
 *
 * A change is two round trips and no explicit transaction: one read (is the change written? what
 * is the head of the case's audit chain?), then one statement that writes everything the change
 * adds. A statement is atomic, so a change is written whole or not at all.
 */
@Injectable()
export class CaseStore {
  /** Policy versions this process has recorded: each is written by the first case opened under it. */
  private readonly recordedPolicies = new Set<string>();

  constructor(
    private readonly sql: Sql,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether alerts to this role also go to a webhook (the alert delivery workflow posts them). */
  private hasWebhook(role: string): boolean {
    return Object.hasOwn(this.config.alerts.webhooks, role);
  }

  async recordIntake({ intake, entries, state }: IntakeRecord): Promise<void> {
    const receivedAt = new Date(intake.receivedAt);
    // Every policy a case opened under is kept, by version (a conflict was refused at the API).
    if (!this.recordedPolicies.has(intake.policy.version)) {
      await recordPolicyVersion(this.sql, intake.policy);
      this.recordedPolicies.add(intake.policy.version);
    }
    await this.writeChange({ reference: intake.reference, policyVersion: intake.policy.version, state, actor: intake.actor, at: receivedAt, entries }, (params) => {
      const row = this.sql.rows(
        ContactCaseSchema,
        [
          {
            reference: intake.reference,
            workflowId: contactCaseWorkflowId(intake.reference),
            channel: intake.channel,
            receivedAt,
            policyVersion: intake.policy.version,
            area: intake.area,
            createdBySubject: intake.actor.subject,
            createdByRole: intake.actor.role,
            flags: [...intake.flags],
            caller: { ...intake.details.caller },
            narrative: intake.details.narrative,
            location: intake.details.location ? { ...intake.details.location } : null,
            interpreterLanguage: intake.details.interpreterLanguage ?? null,
            channelDetails: intake.details.channelDetails ? { ...intake.details.channelDetails } : null,
            linkedReferences: [...(intake.linkedReferences ?? [])],
            ...projection(state, new Date()),
          },
        ],
        params,
      );
      // Keyed by the reference: the case row is there before its entries (and a retry adds nothing).
      const before = [`insert into ${row.table} (${row.columns}) values ${row.values} on conflict ("reference") do nothing`];
      const conversation = intake.conversation;
      if (conversation) {
        const rows = this.sql.rows(
          ConversationSchema,
          [{ key: conversation.key, generation: conversation.generation, reference: intake.reference, channel: intake.channel, platform: conversation.platform, externalId: conversation.externalId, openedAt: receivedAt, unanswered: 0 }],
          params,
        );
        before.push(`insert into ${rows.table} (${rows.columns}) values ${rows.values} on conflict do nothing`);
      }
      return { before, after: [] };
    });
  }

  /** Writes one change; answers the ids of the alerts it raised that have a webhook to reach. */
  async applyChange(change: CaseChange): Promise<string[]> {
    const at = new Date(change.at);
    const base = { id: change.changeId, reference: change.reference, actorSubject: change.actor.subject, actorRole: change.actor.role };
    const command = change.command;
    const record = (() => {
      switch (command?.type) {
        case 'assess':
          return {
            schema: CaseAssessmentSchema,
            row: {
              ...base,
              factors: command.assessment.factors,
              proposedGrade: command.assessment.proposedGrade,
              result: change.entries[0].type === 'downgrade-proposed' ? 'pending-downgrade' : 'applied',
              assessedAt: at,
            },
          };
        case 'record-incident':
          return { schema: CaseIncidentSchema, row: { ...base, openingCategory: command.incident.openingCategory, qualifiers: [...command.incident.qualifiers], recordedAt: at } };
        case 'decide-crime':
          return {
            schema: CaseCrimeDecisionSchema,
            row: {
              ...base,
              crimeRecorded: command.decision.crimeRecorded,
              classification: command.decision.classification ?? null,
              noCrimeReason: command.decision.noCrimeReason ?? null,
              decidedAt: at,
            },
          };
        case 'refer':
          return { schema: CaseReferralSchema, row: { ...base, agency: command.referral.agency, kind: command.referral.kind, reason: command.referral.reason, referredAt: at } };
        case 'add-note':
          return { schema: CaseNoteSchema, row: { ...base, text: command.text, writtenAt: at } };
        case 'receive-message': {
          const { message } = command;
          return {
            schema: CaseMessageSchema,
            row: {
              ...base,
              direction: 'inbound',
              platform: message.platform,
              inboundKey: inboundMessageKey(change.state.channel, message.platform, message.externalId),
              authorHandle: message.handle,
              text: message.text,
              sentAt: new Date(message.sentAt),
              recordedAt: at,
              deliveryState: 'received',
              deliveryAttempts: 0,
              deliveredAt: null,
              platformMessageId: message.externalId,
              lastError: null,
            },
          };
        }
        case 'send-message':
          return {
            schema: CaseMessageSchema,
            row: {
              ...base,
              direction: 'outbound',
              platform: change.state.conversation?.platform ?? change.state.channel,
              inboundKey: null,
              authorHandle: null,
              text: command.text,
              sentAt: at,
              recordedAt: at,
              deliveryState: 'pending',
              deliveryAttempts: 0,
              deliveredAt: null,
              platformMessageId: null,
              lastError: null,
            },
          };
        default:
          return null; // the timeline entries and the projection hold everything else
      }
    })();
    const deliveries = change.entries.filter((entry) => entry.type === 'escalated' && this.hasWebhook(String(entry.details.role))).map((entry) => entry.id);
    await this.writeChange({ reference: change.reference, policyVersion: change.state.policyVersion, state: change.state, actor: change.actor, at, entries: change.entries }, (params, applied) => {
      const after: string[] = [];
      const alerts = this.sql.table(CaseAlertSchema);
      if (command?.type === 'acknowledge-alert') {
        const acknowledged = this.sql.assignments(
          CaseAlertSchema,
          { acknowledgedAt: at, acknowledgedBySubject: change.actor.subject, acknowledgedByRole: change.actor.role, acknowledgementAction: command.action, acknowledgementNote: command.note ?? null },
          params,
        );
        after.push(`update ${alerts} set ${acknowledged} where "id" = ${params.add(command.alert, 'varchar')} and "acknowledged_at" is null and ${applied}`);
      }
      if (command?.type === 'resolve') {
        // The case is closed: what it still had open closes with it.
        after.push(`update ${alerts} set "closed_at" = ${params.add(at, 'timestamptz')} where "reference" = ${params.add(change.reference, 'varchar')} and "acknowledged_at" is null and "closed_at" is null and ${applied}`);
      }
      if (record) {
        const rows = this.sql.rows(record.schema, [record.row], params);
        after.push(`insert into ${rows.table} (${rows.columns}) select * from (values ${rows.values}) as v where ${applied}${record.schema === CaseMessageSchema ? ' on conflict do nothing' : ''}`);
      }
      const conversations = this.sql.table(ConversationSchema);
      // Added only where used: a parameter no statement reads has no type, and PostgreSQL refuses it.
      const reference = () => params.add(change.reference, 'varchar');
      if (command?.type === 'receive-message') {
        // The hub's inbox: who waits for a reply, since when, and how many messages are unanswered.
        const waiting = change.state.conversation?.awaitingReplySince;
        after.push(
          `update ${conversations} set "unanswered" = "unanswered" + 1, "last_inbound_at" = greatest("last_inbound_at", ${params.add(at, 'timestamptz')}),
             "awaiting_since" = coalesce("awaiting_since", ${params.add(waiting ? new Date(waiting) : at, 'timestamptz')})
           where "reference" = ${reference()} and ${applied}`,
        );
      }
      if (command?.type === 'send-message') {
        after.push(`update ${conversations} set "unanswered" = 0, "awaiting_since" = null, "last_outbound_at" = ${params.add(at, 'timestamptz')} where "reference" = ${reference()} and ${applied}`);
      }
      // Only forward: a projection is never replaced by an older state of the case.
      after.push(
        `update ${this.sql.table(ContactCaseSchema)} set ${this.sql.assignments(ContactCaseSchema, projection(change.state, at), params)}
         where "reference" = ${params.add(change.reference)} and "version" < ${params.add(change.state.version, 'int')} and ${applied}`,
      );
      return { before: [], after };
    });
    return deliveries;
  }

  /**
   * Writes a change's timeline entries, their audit entries (hash-chained), an alert for each
   * escalation among them, and what `parts` adds: `before` statements always (idempotent in
   * themselves), `after` statements only when the entries were new. False when the change was
   * written before (its first entry is there).
   */
  private async writeChange(change: ChangeEntries, parts: (params: SqlParams, applied: string) => { before: string[]; after: string[] }): Promise<boolean> {
    const { reference, policyVersion, actor, at } = change;
    const [found] = await this.sql.query<{ written: boolean; head: string | null; last: number }>(
      `select exists (select 1 from case_event where id = $1) as written,
              (select hash from audit_entry where reference = $2 order by sequence desc limit 1) as head,
              (select coalesce(max(sequence), 0)::int from case_event where reference = $2) as last`,
      [change.entries[0].id, reference],
    );
    if (found.written) return false;
    // The store numbers the entries after its own last one. The workflow's numbering agrees with it
    // but for one case: a workflow task that wrote, then failed (a timeout under load), is run
    // again, and commands that came together may then be taken in another order. The change the
    // failed task wrote is already here (its id is found and it is not written twice), and the
    // next one must follow it, not take its number: otherwise it could never be written.
    const entries = change.entries.map((entry, index) => ({ ...entry, sequence: found.last + index + 1 }));

    const params = new SqlParams();
    const applied = `exists (select 1 from new_entries where id = ${params.add(entries[0].id, 'varchar')})`;
    const { before, after } = parts(params, applied);
    const timeline = this.sql.rows(
      CaseEventSchema,
      entries.map((entry) => ({
        id: entry.id,
        reference,
        sequence: entry.sequence,
        type: entry.type,
        at,
        actorSubject: actor.subject,
        actorRole: actor.role,
        details: entry.details,
      })),
      params,
    );
    const audit = chainAuditEntries(found.head ?? GENESIS_HASH, reference, policyVersion, actor, at, entries).map(
      (row) =>
        `(${[
          params.add(row.reference, 'varchar'),
          params.add(row.sequence, 'int'),
          params.add(row.entryId, 'varchar'),
          params.add(at, 'timestamptz'),
          params.add(row.actor.subject, 'varchar'),
          params.add(row.actor.role, 'varchar'),
          params.add(row.rule, 'varchar'),
          params.add(row.action, 'varchar'),
          params.add(JSON.stringify(row.summary), 'jsonb'),
          params.add(row.policyVersion, 'varchar'),
          params.add(row.prevHash, 'char(64)'),
          params.add(row.hash, 'char(64)'),
        ].join(', ')})`,
    );
    const createdAt = new Date();
    const raised = entries.filter((entry) => entry.type === 'escalated');
    const alerts =
      raised.length === 0
        ? null
        : this.sql.rows(
            CaseAlertSchema,
            raised.map((entry) => {
              const details = entry.details as { level: number; role: string; reason: string; clock: string | null; raisedFor: string };
              const clock = details.clock === null ? undefined : change.state.clocks.find((candidate) => candidate.id === details.clock);
              return {
                id: entry.id,
                reference,
                kind: alertKindOf(details.reason),
                level: details.level,
                role: details.role,
                team: change.state.team,
                reason: details.reason,
                clock: details.clock,
                raisedFor: new Date(details.raisedFor),
                dueAt: clock ? new Date(clock.dueAt) : null,
                createdAt,
                deliveryState: this.hasWebhook(details.role) ? 'pending' : 'not-configured',
              };
            }),
            params,
          );
    const steps = [
      ...before,
      `insert into ${timeline.table} (${timeline.columns}) values ${timeline.values} on conflict ("id") do nothing returning id`,
      `insert into audit_entry (reference, sequence, entry_id, at, actor_subject, actor_role, rule, action, summary, policy_version, prev_hash, hash)
       select * from (values ${audit.join(', ')}) as v where ${applied}`,
      ...(alerts ? [`insert into ${alerts.table} (${alerts.columns}) select * from (values ${alerts.values}) as v where ${applied} on conflict ("id") do nothing`] : []),
      ...after,
    ];
    const names = steps.map((_, index) => (index === before.length ? 'new_entries' : `step_${index}`));
    const [result] = await this.sql.query<{ written: number }>(
      `with ${steps.map((step, index) => `${names[index]} as (${step})`).join(',\n')}
       select count(*)::int as written from new_entries`,
      params.values,
    );
    return result.written > 0;
  }

  /**
   * A new case reference, or for a repeated Idempotency-Key the reference it was given before, in
   * one call (the database function `allocate_case_reference`): the key is claimed before the
   * sequence moves, so concurrent repeats wait for the first and share its reference, and the
   * day's sequence has no gaps.
   */
  async allocateReference(
    forceCode: string,
    day: string,
    idempotency?: { key: string; requestHash: string },
  ): Promise<{ reference: string; replayed: boolean; firstReceivedAt?: Date }> {
    const [allocated] = await this.sql.query<{ reference: string; request_hash: string | null; replayed: boolean }>(
      'select reference, request_hash, replayed from allocate_case_reference($1, $2, $3, $4, $5)',
      [day, referencePrefix(forceCode, day), REFERENCE_SEQUENCE_DIGITS, idempotency?.key ?? null, idempotency?.requestHash ?? null],
    );
    if (allocated.replayed && allocated.request_hash !== idempotency?.requestHash) {
      throw new DomainError(DomainErrorCode.IdempotencyConflict, 'This Idempotency-Key was used for a different request', [
        { field: 'Idempotency-Key', message: 'already used for a different request body' },
      ]);
    }
    if (!allocated.replayed) return { reference: allocated.reference, replayed: false };
    // A repeat may start the case's workflow itself (the first request may have died before it
    // did, or be a moment behind): it then opens the case at the time the first one claimed the key.
    const [first] = await this.sql.query<{ created_at: string }>('select created_at from intake_request where idempotency_key = $1', [idempotency?.key]);
    return { reference: allocated.reference, replayed: true, firstReceivedAt: new Date(first.created_at) };
  }
}
