import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import { type AppConfig } from '../../config/app-config.js';
import { type ActorRef } from '../../domain/actor.js';
import { alertKindOf, raisedAlerts } from '../../domain/alerts.js';
import { type CaseProjection, projectCase } from '../../domain/case-projection.js';
import type { CaseChange, IntakeRecord, RecordedEntry, StoredCaseState } from '../../domain/case-records.js';
import { countsOfChange } from '../../domain/oversight.js';
import { miCountsStatement } from '../mi/mi-counts.statement.js';
import { REFERENCE_SEQUENCE_DIGITS, referencePrefix } from '../../domain/reference.js';
import { isEntry } from '../../domain/timeline.js';
import { alertsRaised, clocksBreached, clocksMet } from '../platform/telemetry/metrics.js';
import { chainAuditEntries, GENESIS_HASH } from '../audit/audit-chain.js';
import { canonicalJson, sha256 } from '../platform/common/canonical-json.js';
import { Sql, SqlParams } from '../platform/database/sql.js';
import { recordPolicyVersion } from '../policy/policy-version.store.js';
import { contactCaseWorkflowId } from '../../workflows/contact-case.messages.js';
import { DomainError, DomainErrorCode } from '../platform/errors/domain-error.js';
import {
  CaseAlertSchema,
  CaseChangeSchema,
  CaseEventSchema,
  StoreAlertSchema,
} from './case-records.entity.js';
import { ContactCaseSchema } from './contact-case.entity.js';
import { ConversationSchema } from '../conversations/conversation.entity.js';
import { commandRecordOf } from './command-records.js';

/**
 * How a change is written.
 * - `exact`: the change comes from the workflow's history (a regular activity's input), so it is
 *   the one and only version of that change. It is written on top of the change before it, once; a
 *   change of the same version with other content is refused (a `conflict`), and a change whose
 *   predecessor is missing waits (`held`) until a resync writes what is missing.
 * - `legacy`: cases recorded before writes were exact (local activities, whose retried workflow
 *   task could compute a change anew). The first version written stays, as it always did; another
 *   version of it is raised to administrators rather than kept quietly.
 */
export type WriteMode = 'exact' | 'legacy';

/** Why a change was not written. */
export type StoreRefusalKind = 'conflict' | 'held';

/** A change the store will not write: the same version with other content, or one whose predecessor is missing. */
export class StoreRefusal extends Error {
  constructor(
    readonly kind: StoreRefusalKind,
    message: string,
  ) {
    super(message);
    this.name = 'StoreRefusal';
  }
}

export interface WriteResult {
  /** `already-written`: the same change was there (a retried activity, or a resync). */
  outcome: 'written' | 'already-written';
  /** Alerts the change raised whose role has a webhook: each gets a delivery workflow of its own. */
  alertDeliveries: string[];
}

/** The channel each written change notifies when it commits, with the case's reference as payload. */
export const CASE_WRITTEN_CHANNEL = 'case_written';

/** The hash a change is known by: of the change exactly as the workflow handed it over. */
export const changeHash = (change: IntakeRecord | CaseChange) => sha256(canonicalJson(change));

/** The case row's columns that follow from the state, as the case store holds them. */
function caseRowOf(projected: CaseProjection, state: StoredCaseState, at: Date) {
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return {
    stage: projected.stage,
    grade: projected.grade,
    pendingGrade: projected.pendingGrade,
    priorityRank: projected.priorityRank,
    openingCategory: projected.openingCategory,
    qualifiers: projected.qualifiers,
    crimeRecorded: projected.crimeRecorded,
    outcome: projected.outcome,
    closingCategory: projected.closingCategory,
    firstContactResolution: projected.firstContactResolution,
    escalationLevel: projected.escalationLevel,
    vulnerable: projected.vulnerable,
    riskMarker: projected.riskMarker,
    domesticAbuse: projected.domesticAbuse,
    sexualOffence: projected.sexualOffence,
    screeningReasons: projected.screeningReasons,
    nextDueAt: date(projected.nextDueAt),
    clocks: projected.clocks,
    breached: projected.breached,
    closedAt: date(projected.closedAt),
    assignee: projected.assignee,
    team: projected.team,
    version: projected.version,
    state,
    updatedAt: at,
  };
}

/** One change, ready to write. */
interface Write {
  reference: string;
  changeId: string;
  version: number;
  hash: string;
  policyVersion: string;
  state: StoredCaseState;
  actor: ActorRef;
  at: Date;
  entries: RecordedEntry[];
  /** The statement that writes the case row (insert at intake, update after): it must return `reference`. */
  caseRow: (params: SqlParams, exact: boolean) => string;
  /** The change's own statements (its record, the conversation), each guarded by `guard`. */
  parts: (params: SqlParams, guard: string) => string[];
  /** Extra counts for the management information, as a statement guarded by `guard`. */
  extraCounts?: (params: SqlParams, guard: string) => string;
}

interface Found {
  version: number | null;
  writtenHash: string | null;
  entryWritten: boolean;
  head: string | null;
  last: number;
}

/**
 * Writes to the case store, for the workflow's activities. What it writes comes from the workflow's
 * history, and a change is two round trips and no explicit transaction: one read (what does the
 * store hold of the case?), then one statement that writes everything the change adds (the case row,
 * its timeline and audit entries, its alerts, its record, its management-information counts and
 * the change's own row). A statement is atomic, so a change is written whole or not at all, and the
 * case row's version is the guard every part of it is written under.
 */
/** What a written change raised and settled, for the metrics (counted once: when it is first written). */
function countWritten(entries: RecordedEntry[]): void {
  for (const alert of raisedAlerts(entries)) alertsRaised.inc({ kind: alert.kind, role: alert.role });
  for (const entry of entries.filter(isEntry('clock-met'))) clocksMet.inc({ clock_kind: entry.details.clockKind, late: String(entry.details.late) });
  for (const entry of entries.filter(isEntry('clock-breached'))) clocksBreached.inc({ clock_kind: entry.details.clockKind });
}

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

  /** The contact, the case as it opens, and its first timeline entries. */
  async recordIntake(record: IntakeRecord, mode: WriteMode): Promise<WriteResult> {
    const { intake, entries, state } = record;
    const receivedAt = new Date(intake.receivedAt);
    // Every policy a case opened under is kept, by version (a conflict was refused at the API).
    if (!this.recordedPolicies.has(intake.policy.version)) {
      await recordPolicyVersion(this.sql, intake.policy);
      this.recordedPolicies.add(intake.policy.version);
    }
    return this.write(
      {
        reference: intake.reference,
        changeId: entries[0].id,
        version: state.version,
        hash: changeHash(record),
        policyVersion: intake.policy.version,
        state,
        actor: intake.actor,
        at: receivedAt,
        entries,
        caseRow: (params) => {
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
                ...caseRowOf(projectCase(state), state, receivedAt),
              },
            ],
            params,
          );
          // Keyed by the reference: a retry, or a second version of the intake, adds nothing.
          return `insert into ${row.table} (${row.columns}) values ${row.values} on conflict ("reference") do nothing returning "reference"`;
        },
        parts: (params, guard) => {
          const conversation = intake.conversation;
          if (!conversation) return [];
          const rows = this.sql.rows(
            ConversationSchema,
            [{ key: conversation.key, generation: conversation.generation, reference: intake.reference, channel: intake.channel, platform: conversation.platform, externalId: conversation.externalId, openedAt: receivedAt, unanswered: 0 }],
            params,
          );
          return [`insert into ${rows.table} (${rows.columns}) select * from (values ${rows.values}) as v where ${guard} on conflict do nothing`];
        },
        // A case resolved at first contact whose caller comes back within 7 days of its closure is
        // counted once (at the first such contact), in the day and team of the closure. It needs the
        // callers of other cases (written before the case's workflow started), so it is counted here.
        extraCounts: (params, guard) => {
          const reference = params.add(intake.reference, 'varchar');
          const received = params.add(receivedAt, 'timestamptz');
          return `insert into mi_count (grain, period, team, measure, dimension, count, total_ms)
            select g.grain, case g.grain when 'day' then mi_local(x.closed_at)::date else date_trunc('month', mi_local(x.closed_at))::date end,
                   x.team, 'fcr-recontacted', 'within-7-days', count(*), 0
            from contact_case x cross join (values ('day'), ('month')) as g(grain)
            where ${guard} and x.first_contact_resolution
              and x.reference <> ${reference}
              and x.closed_at < ${received} and x.closed_at >= ${received} - interval '7 days'
              and exists (select 1 from caller_identity mine join caller_identity theirs on theirs.hash = mine.hash
                          where mine.reference = ${reference} and theirs.reference = x.reference)
              and not exists (select 1 from caller_identity mine join caller_identity other on other.hash = mine.hash
                              where mine.reference = ${reference} and other.reference not in (${reference}, x.reference)
                                and other.received_at > x.closed_at and other.received_at < ${received})
            group by 1, 2, 3
            on conflict (grain, period, team, measure, dimension) do update set count = mi_count.count + excluded.count`;
        },
      },
      mode,
    );
  }

  /** One later change: a command, or the case's clocks firing. */
  async applyChange(change: CaseChange, mode: WriteMode): Promise<WriteResult> {
    const at = new Date(change.at);
    const base = { id: change.changeId, reference: change.reference, actorSubject: change.actor.subject, actorRole: change.actor.role };
    const record = commandRecordOf(change, base, at);
    return this.write(
      {
        reference: change.reference,
        changeId: change.changeId,
        version: change.state.version,
        hash: changeHash(change),
        policyVersion: change.state.policyVersion,
        state: change.state,
        actor: change.actor,
        at,
        entries: change.entries,
        caseRow: (params, exact) =>
          // Exact: only on top of the change before it. Legacy: only forward, never back to an older state.
          `update ${this.sql.table(ContactCaseSchema)} set ${this.sql.assignments(ContactCaseSchema, caseRowOf(projectCase(change.state), change.state, at), params)}
           where "reference" = ${params.add(change.reference, 'varchar')} and "version" ${exact ? '=' : '<'} ${params.add(exact ? change.state.version - 1 : change.state.version, 'int')}
           returning "reference"`,
        parts: (params, guard) => {
          const steps: string[] = [];
          const command = change.command;
          const alerts = this.sql.table(CaseAlertSchema);
          if (command?.type === 'acknowledge-alert') {
            const acknowledged = this.sql.assignments(
              CaseAlertSchema,
              { acknowledgedAt: at, acknowledgedBySubject: change.actor.subject, acknowledgedByRole: change.actor.role, acknowledgementAction: command.action, acknowledgementNote: command.note ?? null },
              params,
            );
            steps.push(`update ${alerts} set ${acknowledged} where "id" = ${params.add(command.alert, 'varchar')} and "acknowledged_at" is null and ${guard}`);
          }
          if (command?.type === 'resolve') {
            // The case is closed: what it still had open closes with it.
            steps.push(`update ${alerts} set "closed_at" = ${params.add(at, 'timestamptz')} where "reference" = ${params.add(change.reference, 'varchar')} and "acknowledged_at" is null and "closed_at" is null and ${guard}`);
          }
          if (record) {
            const rows = this.sql.rows(record.schema, [record.row], params);
            steps.push(`insert into ${rows.table} (${rows.columns}) select * from (values ${rows.values}) as v where ${guard}${record.keepExisting ? ' on conflict do nothing' : ''}`);
          }
          const conversations = this.sql.table(ConversationSchema);
          if (command?.type === 'receive-message') {
            // The hub's inbox: who waits for a reply, since when, and how many messages are unanswered.
            const waiting = change.state.conversation?.awaitingReplySince;
            steps.push(
              `update ${conversations} set "unanswered" = "unanswered" + 1, "last_inbound_at" = greatest("last_inbound_at", ${params.add(at, 'timestamptz')}),
                 "awaiting_since" = coalesce("awaiting_since", ${params.add(waiting ? new Date(waiting) : at, 'timestamptz')})
               where "reference" = ${params.add(change.reference, 'varchar')} and ${guard}`,
            );
          }
          if (command?.type === 'send-message') {
            steps.push(
              `update ${conversations} set "unanswered" = 0, "awaiting_since" = null, "last_outbound_at" = ${params.add(at, 'timestamptz')} where "reference" = ${params.add(change.reference, 'varchar')} and ${guard}`,
            );
          }
          return steps;
        },
      },
      mode,
    );
  }

  /** What the store holds of the case, for the change of `version` whose first entry is `firstEntryId`. */
  private async found(reference: string, version: number, firstEntryId: string): Promise<Found> {
    const [found] = await this.sql.query<Found>(
      `select (select version from contact_case where reference = $1) as version,
              (select hash from case_change where reference = $1 and version = $2) as "writtenHash",
              exists (select 1 from case_event where id = $3) as "entryWritten",
              (select hash from audit_entry where reference = $1 order by sequence desc limit 1) as head,
              (select coalesce(max(sequence), 0)::int from case_event where reference = $1) as last`,
      [reference, version, firstEntryId],
    );
    return found;
  }

  private deliveriesOf(entries: RecordedEntry[]): string[] {
    return entries.filter(isEntry('escalated')).filter((entry) => this.hasWebhook(entry.details.role)).map((entry) => entry.id);
  }

  /**
   * Writes one change (see WriteMode): the case row, the timeline and audit entries, an alert for
   * each escalation, the change's own record and statements, its management-information counts and
   * its `case_change` row. Idempotent: the same change written again changes nothing.
   */
  private async write(change: Write, mode: WriteMode): Promise<WriteResult> {
    const deliveries = this.deliveriesOf(change.entries);
    const already: WriteResult = { outcome: 'already-written', alertDeliveries: deliveries };
    for (let attempt = 1; ; attempt++) {
      const found = await this.found(change.reference, change.version, change.entries[0].id);
      if (found.writtenHash !== null) {
        if (found.writtenHash === change.hash) return already;
        const message = `Change ${change.changeId} (version ${change.version} of ${change.reference}) arrived with other content than the one written`;
        await this.raiseAlert({ kind: 'change-conflict', reference: change.reference, changeId: change.changeId, version: change.version, attempts: 1 });
        if (mode === 'legacy') return already; // the first version stays, as it always did
        throw new StoreRefusal('conflict', message);
      }
      // Written by the writer before changes were counted: nothing to compare it with.
      if (found.entryWritten) return already;
      const held = (found.version ?? 0) < change.version - 1;
      if (mode === 'exact' && held) {
        await this.raiseAlert({ kind: 'write-held', reference: change.reference, changeId: change.changeId, version: change.version, attempts: 1 });
        throw new StoreRefusal('held', `Change ${change.changeId} (version ${change.version} of ${change.reference}) waits: the store holds version ${found.version ?? 0}; run store:resync`);
      }
      if (mode === 'exact' && (found.version ?? 0) >= change.version) {
        // Another change holds this version: only a case recorded before changes were counted can.
        await this.raiseAlert({ kind: 'change-conflict', reference: change.reference, changeId: change.changeId, version: change.version, attempts: 1 });
        throw new StoreRefusal('conflict', `Version ${change.version} of ${change.reference} is written already, by another change than ${change.changeId}`);
      }
      if (await this.writeStatement(change, found, mode)) {
        countWritten(change.entries);
        return { outcome: 'written', alertDeliveries: deliveries };
      }
      // Someone else moved the case between the read and the write (a resync): look again.
      if (attempt >= 3) throw new Error(`Change ${change.changeId} of ${change.reference} could not be written: the case kept moving under it`);
    }
  }

  /** The one statement that writes a change; false when its guard found the case moved on. */
  private async writeStatement(change: Write, found: Found, mode: WriteMode): Promise<boolean> {
    const exact = mode === 'exact';
    const { reference, policyVersion, actor, at } = change;
    // The store numbers the entries after its own last one (a case recorded before writes were
    // exact may number its timeline apart from its workflow; the entries' ids are what match).
    const entries = change.entries.map((entry, index) => ({ ...entry, sequence: found.last + index + 1 }));
    const params = new SqlParams();
    const steps: Array<[string, string]> = [];
    // Exact: everything is written only when the case row moved from the version before this one.
    // Legacy: only when the change's entries were new.
    const timeline = this.sql.rows(
      CaseEventSchema,
      entries.map((entry) => ({ id: entry.id, reference, sequence: entry.sequence, type: entry.type, at, actorSubject: actor.subject, actorRole: actor.role, details: entry.details })),
      params,
    );
    let guard: string;
    if (exact) {
      steps.push(['advanced', change.caseRow(params, true)]);
      guard = 'exists (select 1 from advanced)';
      steps.push(['new_entries', `insert into ${timeline.table} (${timeline.columns}) select * from (values ${timeline.values}) as v where ${guard} returning id`]);
    } else {
      const intake = change.version === 1;
      if (intake) steps.push(['advanced', change.caseRow(params, false)]);
      steps.push(['new_entries', `insert into ${timeline.table} (${timeline.columns}) values ${timeline.values} on conflict ("id") do nothing returning id`]);
      guard = `exists (select 1 from new_entries where id = ${params.add(entries[0].id, 'varchar')})`;
      if (!intake) steps.push(['advanced', `${change.caseRow(params, false).replace(/returning "reference"$/, '')} and ${guard} returning "reference"`]);
    }

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
    steps.push([
      'audit',
      `insert into audit_entry (reference, sequence, entry_id, at, actor_subject, actor_role, rule, action, summary, policy_version, prev_hash, hash)
       select * from (values ${audit.join(', ')}) as v where ${guard}`,
    ]);

    const raised = entries.filter(isEntry('escalated'));
    if (raised.length > 0) {
      const alerts = this.sql.rows(
        CaseAlertSchema,
        raised.map((entry) => {
          const { details } = entry;
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
            // The change's time, from the workflow: a resync writes the same row.
            createdAt: at,
            deliveryState: this.hasWebhook(details.role) ? 'pending' : 'not-configured',
          };
        }),
        params,
      );
      steps.push(['alerts', `insert into ${alerts.table} (${alerts.columns}) select * from (values ${alerts.values}) as v where ${guard} on conflict ("id") do nothing`]);
    }

    for (const [index, part] of change.parts(params, guard).entries()) steps.push([`part_${index}`, part]);

    const counts = countsOfChange(projectCase(change.state), change.entries, at.toISOString());
    if (counts.length > 0) steps.push(['counts', miCountsStatement(counts, params, guard)]);
    if (change.extraCounts) steps.push(['recontacts', change.extraCounts(params, guard)]);

    const changeRow = this.sql.rows(CaseChangeSchema, [{ reference, version: change.version, changeId: change.changeId, hash: change.hash, at }], params);
    steps.push(['change_row', `insert into ${changeRow.table} (${changeRow.columns}) select * from (values ${changeRow.values}) as v where ${guard}${exact ? '' : ' on conflict do nothing'}`]);

    // Those waiting to read the change (the API, before it answers the command) hear of it at commit.
    const notice = params.add(reference, 'text');
    const [result] = await this.sql.query<{ written: number }>(
      `with ${steps.map(([name, step]) => `${name} as (${step})`).join(',\n')}
       select count(*)::int as written, (select count(pg_notify('${CASE_WRITTEN_CHANNEL}', ${notice})) from new_entries) as notified from new_entries`,
      params.values,
    );
    return result.written > 0 || !exact;
  }

  /** Raises (once per change and kind) what administrators must look at about the store. */
  async raiseAlert(alert: { kind: 'write-failed' | 'change-conflict' | 'write-held'; reference: string; changeId: string; version: number; attempts: number; sqlState?: string; errorName?: string }): Promise<void> {
    const params = new SqlParams();
    const rows = this.sql.rows(
      StoreAlertSchema,
      [
        {
          id: `${alert.kind}:${alert.changeId}`,
          kind: alert.kind,
          reference: alert.reference,
          changeId: alert.changeId,
          version: alert.version,
          sqlState: alert.sqlState ?? null,
          errorName: alert.errorName?.slice(0, 64) ?? null,
          attempts: alert.attempts,
          raisedAt: new Date(),
          resolvedAt: null,
        },
      ],
      params,
    );
    await this.sql.query(`insert into ${rows.table} (${rows.columns}) values ${rows.values} on conflict ("id") do nothing`, params.values);
  }

  /** The case's store alerts are settled: a resync has written what was missing. */
  async resolveAlerts(reference: string): Promise<number> {
    const rows = await this.sql.query<{ id: string }>(`update store_alert set resolved_at = now() where reference = $1 and resolved_at is null returning id`, [reference]);
    return rows.length;
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
