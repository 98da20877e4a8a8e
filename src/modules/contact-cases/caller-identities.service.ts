import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { APP_CONFIG } from '../../config/config.module.js';
import { type AppConfig } from '../../config/app-config.js';
import { type CallerHistory } from '../../domain/caller-identity.js';
import { StoreDatabase } from '../platform/database/store-db.js';
import { loadPayloadKeys } from '../platform/temporal/payload-codec.js';

/** An earlier case of a caller, as a handler's lookup lists it: codes and times only. */
export interface CallerCase {
  reference: string;
  channel: string | null;
  receivedAt: string;
  stage: string | null;
  outcome: string | null;
  flags: { riskMarker: string | null; domesticAbuse: boolean; sexualOffence: boolean; vulnerable: boolean; repeatCaller: boolean };
}

const DAY_MS = 86_400_000;
/** The most earlier cases one caller's history reads: far more than any window holds. */
const MATCH_LIMIT = 500;

/**
 * Callers' identities as keyed hashes: HMAC-SHA256 of each normalised identifier under each key of
 * `CALLER_IDENTITY_KEYS`. New contacts are stored under the first key; a match tries every key, so
 * the keys rotate (a new key first, the old ones after it) without losing earlier cases.
 */
@Injectable()
export class CallerIdentities {
  private readonly keys: Array<{ id: string; key: Buffer }>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: StoreDatabase,
  ) {
    this.keys = loadPayloadKeys(config.callerIdentity.keys);
  }

  private hash(key: Buffer, identifier: string): string {
    return createHmac('sha256', key).update(identifier).digest('hex');
  }

  /** Every hash any key gives these identifiers: what a match looks for. */
  anyHashes(identifiers: readonly string[]): string[] {
    return this.keys.flatMap(({ key }) => identifiers.map((identifier) => this.hash(key, identifier)));
  }

  /** Stores the identities of a new case's caller under the current key (a repeat changes nothing, so a retried intake records them again). */
  async record(reference: string, receivedAt: Date, identifiers: readonly string[]): Promise<void> {
    if (identifiers.length === 0) return;
    const [{ id, key }] = this.keys;
    const hashes = identifiers.map((identifier) => this.hash(key, identifier));
    await this.store.db
      .insertInto('caller_identity')
      .values(hashes.map((hash) => ({ hash, reference, key_id: id, received_at: receivedAt })))
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }

  /**
   * Takes back the identities recorded for a case whose workflow did not start, so that the caller
   * is never matched to a case that does not exist. A retry of the intake records them again.
   */
  async forget(reference: string): Promise<void> {
    await this.store.db.deleteFrom('caller_identity').where('reference', '=', reference).execute();
  }

  /** Earlier cases with any of these identifiers, newest first (a case not recorded yet has only its reference and time). */
  private async matches(identifiers: readonly string[], excluding?: string) {
    if (identifiers.length === 0) return [];
    const hashes = this.anyHashes(identifiers);
    const db = this.store.db;
    return db
      .selectFrom(
        db
          .selectFrom('caller_identity')
          .select(['reference', 'received_at'])
          .distinct()
          .where('hash', 'in', hashes)
          .where('reference', '<>', excluding ?? '')
          .as('m'),
      )
      .leftJoin('contact_case as c', 'c.reference', 'm.reference')
      .select(['m.reference', 'm.received_at', 'c.channel', 'c.stage', 'c.outcome', 'c.closed_at', 'c.risk_marker', 'c.domestic_abuse', 'c.sexual_offence', 'c.vulnerable', 'c.flags'])
      .orderBy('m.received_at', 'desc')
      .orderBy('m.reference', 'desc')
      .limit(MATCH_LIMIT)
      .execute();
  }

  /** What earlier contacts from this caller say, as of `at` (the new contact's time). */
  async history(identifiers: readonly string[], rule: { windowDays: number }, at: Date, excluding: string): Promise<CallerHistory> {
    const rows = await this.matches(identifiers, excluding);
    const since = at.getTime() - rule.windowDays * DAY_MS;
    const inWindow = rows.filter((row) => new Date(row.received_at).getTime() >= since && new Date(row.received_at).getTime() <= at.getTime());
    const vulnerable = rows.find((row) => row.vulnerable === true);
    return {
      previousContacts: inWindow.length,
      windowDays: rule.windowDays,
      lastReference: rows[0]?.reference ?? null,
      // A case the worker has not recorded yet is still open.
      openReferences: rows.filter((row) => row.closed_at === null).map((row) => row.reference),
      previouslyVulnerable: vulnerable !== undefined,
      vulnerableReference: vulnerable?.reference ?? null,
    };
  }

  /** The open cases among these still in triage: the ones a supervisor should re-screen. */
  async openInTriage(references: readonly string[]): Promise<string[]> {
    if (references.length === 0) return [];
    // A case whose team leader already has an open re-screening alert for it is not alerted again
    // (its alert stands until someone acts): a caller who rings fifty times raises one alert per
    // earlier case, not one per pair of calls.
    const rows = await this.store.db
      .selectFrom('contact_case as c')
      .select('c.reference')
      .where('c.reference', 'in', [...references])
      .where('c.stage', '=', 'triage')
      .where('c.closed_at', 'is', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('case_alert as a')
              .select('a.id')
              .whereRef('a.reference', '=', 'c.reference')
              .where('a.reason', '=', 'manual:caller-recontacted')
              .where('a.acknowledged_at', 'is', null)
              .where('a.closed_at', 'is', null),
          ),
        ),
      )
      .execute();
    return rows.map((row) => row.reference);
  }

  /** A caller's earlier cases, newest first, for a handler's lookup. */
  async cases(identifiers: readonly string[]): Promise<CallerCase[]> {
    return (await this.matches(identifiers)).map((row) => ({
      reference: row.reference,
      channel: row.channel,
      receivedAt: new Date(row.received_at).toISOString(),
      stage: row.stage,
      outcome: row.outcome,
      flags: {
        riskMarker: row.risk_marker,
        domesticAbuse: row.domestic_abuse === true,
        sexualOffence: row.sexual_offence === true,
        vulnerable: row.vulnerable === true,
        repeatCaller: (row.flags ?? []).includes('repeat-caller'),
      },
    }));
  }
}
