import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import { type AppConfig } from '../../config/app-config.js';
import { type ActorRef } from '../../domain/actor.js';
import { alertKindOf, raisedAlerts } from '../../domain/alerts.js';
import { projectCase } from '../../domain/case-projection.js';
import type { CaseChange, IntakeRecord, RecordedEntry, StoredCaseState } from '../../domain/case-records.js';
import { countsOfChange } from '../../domain/mi.js';
import { isPeoplesWork } from '../../domain/effort.js';
import { miCountsStatement } from '../mi/mi-counts.statement.js';
import { REFERENCE_SEQUENCE_DIGITS, referencePrefix } from '../../domain/reference.js';
import { isEntry } from '../../domain/timeline.js';
import { alertsRaised, clocksBreached, clocksMet } from '../platform/telemetry/metrics.js';
import { chainAuditEntries, GENESIS_HASH } from '../audit/audit-chain.js';
import { canonicalJson, sha256 } from '../platform/common/canonical-json.js';
import { type OperationNodeSource, type RawBuilder, sql } from 'kysely';
import { StoreDatabase } from '../platform/database/store-db.js';
import { recordPolicyVersion } from '../policy/policy-version.store.js';
import { contactCaseWorkflowId } from '../../workflows/contact-case.messages.js';
import { DomainError, DomainErrorCode } from '../platform/errors/domain-error.js';
import { commandRecordOf } from './command-records.js';
import { caseRowOf } from './case-row.js';

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

/** One part of the statement that writes a change: a typed statement of the store, or SQL of its own. */
type Step = OperationNodeSource;
/** The condition every part of a change is written under. */
type Guard = RawBuilder<boolean>;

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
  /**
   * The statement that writes the case row (insert at intake, update after), under `guard` when
   * one is given: it must return `reference`.
   */
  caseRow: (exact: boolean, guard?: Guard) => Step;
  /** The change's own statements (its record, the conversation), each guarded by `guard`. */
  parts: (guard: Guard) => Step[];
  /** Extra counts for the management information, as a statement guarded by `guard`. */
  extraCounts?: (guard: Guard) => Step;
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
    private readonly store: StoreDatabase,
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
      await recordPolicyVersion(this.store, intake.policy);
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
        caseRow: () =>
          // Keyed by the reference: a retry, or a second version of the intake, adds nothing.
          this.store.db
            .insertInto('contact_case')
            .values({
              reference: intake.reference,
              workflow_id: contactCaseWorkflowId(intake.reference),
              channel: intake.channel,
              received_at: receivedAt,
              policy_version: intake.policy.version,
              area: intake.area,
              created_by_subject: intake.actor.subject,
              created_by_role: intake.actor.role,
              flags: [...intake.flags],
              caller: { ...intake.details.caller },
              narrative: intake.details.narrative,
              location: intake.details.location ? { ...intake.details.location } : null,
              interpreter_language: intake.details.interpreterLanguage ?? null,
              channel_details: intake.details.channelDetails ? { ...intake.details.channelDetails } : null,
              linked_references: [...(intake.linkedReferences ?? [])],
              ...caseRowOf(this.store, projectCase(state), state, receivedAt),
            })
            .onConflict((conflict) => conflict.column('reference').doNothing())
            .returning('reference'),
        parts: (guard) => {
          const conversation = intake.conversation;
          if (!conversation) return [];
          const row = {
            key: conversation.key,
            generation: conversation.generation,
            reference: intake.reference,
            channel: intake.channel,
            platform: conversation.platform,
            external_id: conversation.externalId,
            opened_at: receivedAt,
            unanswered: 0,
          };
          return [sql`${this.store.guardedRows('conversation', [row], guard)} on conflict do nothing`];
        },
        // A case resolved at first contact whose caller comes back within 7 days of its closure is
        // counted once (at the first such contact), in the day and team of the closure. It needs the
        // callers of other cases (written before the case's workflow started), so it is counted here.
        // SQL of its own (listed in docs/database.md): days and months in the force's time zone (`mi_local`).
        extraCounts: (guard) => {
          const reference = sql`${intake.reference}::varchar`;
          const received = sql`${receivedAt}::timestamptz`;
          return sql`insert into mi_count (grain, period, team, measure, dimension, count, total_ms)
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
    const base = { id: change.changeId, reference: change.reference, actor_subject: change.actor.subject, actor_role: change.actor.role };
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
        caseRow: (exact, guard) => {
          // Exact: only on top of the change before it. Legacy: only forward, never back to an older state.
          const update = this.store.db
            .updateTable('contact_case')
            .set(caseRowOf(this.store, projectCase(change.state), change.state, at))
            .where('reference', '=', change.reference)
            .where('version', exact ? '=' : '<', exact ? change.state.version - 1 : change.state.version);
          return (guard ? update.where(guard) : update).returning('reference');
        },
        parts: (guard) => {
          const steps: Step[] = [];
          const command = change.command;
          const db = this.store.db;
          if (command?.type === 'acknowledge-alert') {
            steps.push(
              db
                .updateTable('case_alert')
                .set({
                  acknowledged_at: at,
                  acknowledged_by_subject: change.actor.subject,
                  acknowledged_by_role: change.actor.role,
                  acknowledgement_action: command.action,
                  acknowledgement_note: command.note ?? null,
                })
                .where('id', '=', command.alert)
                .where('acknowledged_at', 'is', null)
                .where(guard),
            );
          }
          if (command?.type === 'resolve') {
            // The case is closed: what it still had open closes with it.
            steps.push(
              db.updateTable('case_alert').set({ closed_at: at }).where('reference', '=', change.reference).where('acknowledged_at', 'is', null).where('closed_at', 'is', null).where(guard),
            );
          }
          if (record) {
            const rows = this.store.guardedRows(record.table, [record.row] as never, guard);
            steps.push(record.keepExisting ? sql`${rows} on conflict do nothing` : rows);
          }
          if (command?.type === 'receive-message') {
            // The hub's inbox: who waits for a reply, since when, and how many messages are unanswered.
            const waiting = change.state.conversation?.awaitingReplySince;
            steps.push(
              db
                .updateTable('conversation')
                .set((eb) => ({
                  unanswered: eb('unanswered', '+', 1),
                  last_inbound_at: eb.fn('greatest', [eb.ref('last_inbound_at'), eb.val(at)]),
                  awaiting_since: eb.fn.coalesce('awaiting_since', eb.val(waiting ? new Date(waiting) : at)),
                }))
                .where('reference', '=', change.reference)
                .where(guard),
            );
          }
          if (command?.type === 'send-message') {
            steps.push(db.updateTable('conversation').set({ unanswered: 0, awaiting_since: null, last_outbound_at: at }).where('reference', '=', change.reference).where(guard));
          }
          return steps;
        },
      },
      mode,
    );
  }

  /** What the store holds of the case, for the change of `version` whose first entry is `firstEntryId`. */
  private async found(reference: string, version: number, firstEntryId: string): Promise<Found> {
    const found = await this.store.db
      .selectNoFrom((eb) => [
        eb.selectFrom('contact_case').select('version').where('reference', '=', reference).as('version'),
        eb.selectFrom('case_change').select('hash').where('reference', '=', reference).where('version', '=', version).as('writtenHash'),
        eb.exists(eb.selectFrom('case_event').select('id').where('id', '=', firstEntryId)).as('entryWritten'),
        eb.selectFrom('audit_entry').select('hash').where('reference', '=', reference).orderBy('sequence', 'desc').limit(1).as('head'),
        eb
          .selectFrom('case_event')
          .select((inner) => inner.fn.coalesce(inner.fn.max('sequence'), inner.lit(0)).as('last'))
          .where('reference', '=', reference)
          .as('last'),
      ])
      .executeTakeFirstOrThrow();
    return { version: found.version, writtenHash: found.writtenHash, entryWritten: found.entryWritten === true, head: found.head, last: found.last ?? 0 };
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

  /**
   * The one statement that writes a change; false when its guard found the case moved on. A
   * with-query of typed steps, each written only under the guard (SQL of its own, listed in
   * docs/database.md: Kysely's builder types a fixed chain of steps, and a change's steps vary).
   */
  private async writeStatement(change: Write, found: Found, mode: WriteMode): Promise<boolean> {
    const exact = mode === 'exact';
    const { reference, policyVersion, actor, at } = change;
    const db = this.store.db;
    // The store numbers the entries after its own last one (a case recorded before writes were
    // exact may number its timeline apart from its workflow; the entries' ids are what match).
    const entries = change.entries.map((entry, index) => ({ ...entry, sequence: found.last + index + 1 }));
    const steps: Array<[string, Step]> = [];
    const timeline = entries.map((entry) => ({
      id: entry.id,
      reference,
      sequence: entry.sequence,
      type: entry.type,
      at,
      actor_subject: actor.subject,
      actor_role: actor.role,
      details: { ...entry.details },
    }));
    // Exact: everything is written only when the case row moved from the version before this one.
    // Legacy: only when the change's entries were new.
    let guard: Guard;
    if (exact) {
      steps.push(['advanced', change.caseRow(true)]);
      guard = sql<boolean>`exists (select 1 from advanced)`;
      steps.push(['new_entries', sql`${this.store.guardedRows('case_event', timeline, guard)} returning id`]);
    } else {
      const intake = change.version === 1;
      if (intake) steps.push(['advanced', change.caseRow(false)]);
      steps.push(['new_entries', db.insertInto('case_event').values(timeline).onConflict((conflict) => conflict.column('id').doNothing()).returning('id')]);
      guard = sql<boolean>`exists (select 1 from new_entries where id = ${entries[0].id})`;
      if (!intake) steps.push(['advanced', change.caseRow(false, guard)]);
    }

    const audit = chainAuditEntries(found.head ?? GENESIS_HASH, reference, policyVersion, actor, at, entries).map((row) => ({
      reference: row.reference,
      sequence: row.sequence,
      entry_id: row.entryId,
      at,
      actor_subject: row.actor.subject,
      actor_role: row.actor.role,
      rule: row.rule,
      action: row.action,
      summary: { ...row.summary },
      policy_version: row.policyVersion,
      prev_hash: row.prevHash,
      hash: row.hash,
    }));
    steps.push(['audit', this.store.guardedRows('audit_entry', audit, guard)]);

    const raised = entries.filter(isEntry('escalated'));
    if (raised.length > 0) {
      const alerts = raised.map((entry) => {
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
          raised_for: new Date(details.raisedFor),
          due_at: clock ? new Date(clock.dueAt) : null,
          // The change's time, from the workflow: a resync writes the same row.
          created_at: at,
          delivery_state: this.hasWebhook(details.role) ? 'pending' : 'not-configured',
        };
      });
      steps.push(['alerts', sql`${this.store.guardedRows('case_alert', alerts, guard)} on conflict ("id") do nothing`]);
    }

    for (const [index, part] of change.parts(guard).entries()) steps.push([`part_${index}`, part]);

    const counts = countsOfChange(projectCase(change.state), change.entries, at.toISOString(), firstActionAt(change.state, actor));
    if (counts.length > 0) steps.push(['counts', miCountsStatement(counts, guard)]);
    if (change.extraCounts) steps.push(['recontacts', change.extraCounts(guard)]);

    const changeRow = this.store.guardedRows('case_change', [{ reference, version: change.version, change_id: change.changeId, hash: change.hash, at }], guard);
    steps.push(['change_row', exact ? changeRow : sql`${changeRow} on conflict do nothing`]);

    // Those waiting to read the change (the API, before it answers the command) hear of it at commit.
    const [result] = await this.store.run(
      sql<{ written: number }>`with ${sql.join(steps.map(([name, step]) => sql`${sql.id(name)} as (${step})`))}
       select count(*)::int as written, (select count(pg_notify(${CASE_WRITTEN_CHANNEL}, ${reference}::text)) from new_entries) as notified from new_entries`,
    );
    return result.written > 0 || !exact;
  }

  /** Raises (once per change and kind) what administrators must look at about the store. */
  async raiseAlert(alert: { kind: 'write-failed' | 'change-conflict' | 'write-held'; reference: string; changeId: string; version: number; attempts: number; sqlState?: string; errorName?: string }): Promise<void> {
    await this.store.db
      .insertInto('store_alert')
      .values({
        id: `${alert.kind}:${alert.changeId}`,
        kind: alert.kind,
        reference: alert.reference,
        change_id: alert.changeId,
        version: alert.version,
        sql_state: alert.sqlState ?? null,
        error_name: alert.errorName?.slice(0, 64) ?? null,
        attempts: alert.attempts,
        raised_at: new Date(),
        resolved_at: null,
      })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .execute();
  }

  /** The case's store alerts are settled: a resync has written what was missing. */
  async resolveAlerts(reference: string): Promise<number> {
    const rows = await this.store.db
      .updateTable('store_alert')
      .set((eb) => ({ resolved_at: eb.fn<Date>('now') }))
      .where('reference', '=', reference)
      .where('resolved_at', 'is', null)
      .returning('id')
      .execute();
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
    // SQL of its own (listed in docs/database.md): a function of the schema's, which claims the key and the number at once.
    const [allocated] = await this.store.run(
      sql<{ reference: string; request_hash: string | null; replayed: boolean }>`select reference, request_hash, replayed
        from allocate_case_reference(${day}, ${referencePrefix(forceCode, day)}, ${REFERENCE_SEQUENCE_DIGITS}, ${idempotency?.key ?? null}, ${idempotency?.requestHash ?? null})`,
    );
    if (allocated.replayed && allocated.request_hash !== idempotency?.requestHash) {
      throw new DomainError(DomainErrorCode.IdempotencyConflict, 'This Idempotency-Key was used for a different request', [
        { field: 'Idempotency-Key', message: 'already used for a different request body' },
      ]);
    }
    if (!allocated.replayed) return { reference: allocated.reference, replayed: false };
    // A repeat may start the case's workflow itself (the first request may have died before it
    // did, or be a moment behind): it then opens the case at the time the first one claimed the key.
    const first = await this.store.db.selectFrom('intake_request').select('created_at').where('idempotency_key', '=', idempotency!.key).executeTakeFirstOrThrow();
    return { reference: allocated.reference, replayed: true, firstReceivedAt: new Date(first.created_at) };
  }
}

/**
 * When a person first acted on the case, if this change was that action: its effort (kept only
 * under a policy with an effort rule) has counted one action, and the change is a person's. A call
 * a handler takes is acted on as it arrives; a web form waits for the first handler to touch it.
 */
function firstActionAt(state: StoredCaseState, actor: ActorRef): string | undefined {
  const effort = state.effort;
  return effort?.actions === 1 && effort.last !== null && isPeoplesWork(actor) ? new Date(effort.last.atMs).toISOString() : undefined;
}
