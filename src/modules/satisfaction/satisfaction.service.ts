import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { callerIdentifiers } from '../../domain/caller-identity.js';
import { type Channel } from '../../domain/channels.js';
import { type Rating, type SatisfactionRule, type SurveyCaller, type SurveyRoute, surveyRoute } from '../../domain/satisfaction.js';
import { CallerIdentities } from '../contact-cases/caller-identities.service.js';
import { miCountsStatement } from '../mi/mi-counts.statement.js';
import { StoreDatabase } from '../platform/database/store-db.js';
import { SurveyLinks } from './survey-links.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** What the decision on a closed case's survey came to. */
export interface SurveyDecision {
  id: string;
  /** How the caller is asked; null when they are not. */
  route: SurveyRoute | null;
}

/** What a survey link opens to. */
export type SurveyLinkState = { state: 'open'; id: string; expiresAt: Date } | { state: 'answered' | 'expired' | 'unknown' };

/** An answer taken, or why not. */
export type SurveyAnswerResult = 'taken' | 'answered-before' | 'expired' | 'unknown';

/**
 * Satisfaction surveys: decided once per closed case, under the rule of the policy the case ran
 * under; answered once through a signed link that expires; counted into the figures (ratings only,
 * never a comment) in the transaction that takes the answer.
 *
 * Links are signed by `SurveyLinks`.
 */
@Injectable()
export class SatisfactionSurveys {
  constructor(
    private readonly store: StoreDatabase,
    private readonly identities: CallerIdentities,
    private readonly links: SurveyLinks,
  ) {}

  /**
   * Decides whether a closed case's caller is asked, and how: once (a repeat finds the decision made).
   * The caller's identities are locked first, so that two of their cases closing at once cannot both
   * ask them; a caller asked within the rule's days is not asked again.
   */
  async decide(reference: string, rule: SatisfactionRule): Promise<SurveyDecision | null> {
    const made = await this.store.db.selectFrom('satisfaction_survey').select(['id', 'route']).where('reference', '=', reference).executeTakeFirst();
    if (made) return { id: made.id, route: made.route as SurveyRoute | null };
    const found = await this.store.db
      .selectFrom('contact_case as c')
      .leftJoin('conversation as v', 'v.reference', 'c.reference')
      .select(['c.caller', 'c.channel', 'c.channel_details', 'c.team', 'c.outcome', 'c.first_contact_resolution', 'c.stage', 'v.external_id'])
      .where('c.reference', '=', reference)
      .executeTakeFirst();
    if (!found || found.stage !== 'closed') return null;
    const caller = found.caller as SurveyCaller;
    const channel = found.channel as Channel;
    const hashes = this.identities.anyHashes(callerIdentifiers(caller, channel, (found.channel_details ?? undefined)));
    return this.store.db.transaction().execute(async (trx) => {
      if (hashes.length > 0) await trx.selectFrom('caller_identity').select('hash').where('hash', 'in', hashes).orderBy('hash').orderBy('reference').forUpdate().execute();
      const now = new Date();
      let decided = surveyRoute(rule, channel, caller, found.external_id !== null);
      if ('route' in decided && hashes.length > 0) {
        const recent = await trx
          .selectFrom('satisfaction_survey as s')
          .innerJoin('caller_identity as i', 'i.reference', 's.reference')
          .select('s.id')
          .where('s.decision', '=', 'asked')
          .where('s.decided_at', '>', new Date(now.getTime() - rule.askAtMostEveryDays * DAY_MS))
          .where('i.hash', 'in', hashes)
          .where('s.reference', '<>', reference)
          .executeTakeFirst();
        if (recent) decided = { notAsked: 'asked-recently' };
      }
      const route = 'route' in decided ? decided.route : null;
      const id = randomUUID();
      const inserted = await trx
        .insertInto('satisfaction_survey')
        .values({
          id,
          reference,
          decision: route === null ? 'not-asked' : 'asked',
          not_asked_reason: 'notAsked' in decided ? decided.notAsked : null,
          route,
          team: found.team,
          channel,
          outcome: found.outcome,
          first_contact_resolution: found.first_contact_resolution,
          decided_at: now,
          // In whole seconds: the link carries it.
          expires_at: route === null ? null : new Date(Math.floor((now.getTime() + rule.linkValidHours * HOUR_MS) / 1000) * 1000),
          // A call-back is made by the force: nothing goes out.
          delivery_state: route === null || route === 'call-back' ? 'not-sent' : 'pending',
        })
        .onConflict((conflict) => conflict.column('reference').doNothing())
        .returning(['id', 'route'])
        .executeTakeFirst();
      if (inserted) {
        await miCountsStatement([{ at: now.toISOString(), team: found.team, measure: 'survey-decided', dimension: route ?? `not-asked:${(decided as { notAsked: string }).notAsked}`, count: 1, totalMs: 0 }]).execute(trx);
        return { id: inserted.id, route: inserted.route as SurveyRoute | null };
      }
      const other = await trx.selectFrom('satisfaction_survey').select(['id', 'route']).where('reference', '=', reference).executeTakeFirstOrThrow();
      return { id: other.id, route: other.route as SurveyRoute | null };
    });
  }

  /** Whether a link can still be answered. */
  async open(token: string): Promise<SurveyLinkState> {
    const link = this.links.verified(token);
    if (!link) return { state: 'unknown' };
    const row = await this.store.db.selectFrom('satisfaction_survey').select(['id', 'answered_at', 'expires_at']).where('id', '=', link.id).where('decision', '=', 'asked').executeTakeFirst();
    if (!row || !row.expires_at || Math.floor(row.expires_at.getTime() / 1000) !== link.expires) return { state: 'unknown' };
    if (row.answered_at) return { state: 'answered' };
    if (row.expires_at.getTime() <= Date.now()) return { state: 'expired' };
    return { state: 'open', id: row.id, expiresAt: row.expires_at };
  }

  /**
   * Takes a link's one answer: written only while the link is open and unanswered (one statement
   * decides, so two answers at once take one), and counted into the figures in the same transaction:
   * the rating by channel, outcome and first contact resolution, never the comment.
   */
  async answer(token: string, rating: Rating, comment: string | null): Promise<SurveyAnswerResult> {
    const link = this.links.verified(token);
    if (!link) return 'unknown';
    return this.store.db.transaction().execute(async (trx) => {
      const now = new Date();
      const taken = await trx
        .updateTable('satisfaction_survey')
        .set({ answered_at: now, rating, comment })
        .where('id', '=', link.id)
        .where('decision', '=', 'asked')
        .where('answered_at', 'is', null)
        .where('expires_at', '>', now)
        .where('expires_at', '=', new Date(link.expires * 1000))
        .returning(['team', 'channel', 'outcome', 'first_contact_resolution'])
        .executeTakeFirst();
      if (taken) {
        const fcr = taken.first_contact_resolution === null ? 'unknown' : String(taken.first_contact_resolution);
        await miCountsStatement([{ at: now.toISOString(), team: taken.team, measure: 'survey-rating', dimension: `${taken.channel}|${taken.outcome ?? 'unknown'}|${fcr}|${rating}`, count: 1, totalMs: 0 }]).execute(trx);
        return 'taken';
      }
      const state = await this.open(token);
      return state.state === 'answered' ? 'answered-before' : state.state === 'open' ? 'expired' : state.state;
    });
  }

  /** Telephone contacts to call back and ask, oldest first: their case and link, while the link is open. */
  async callBacks(team?: string): Promise<Array<{ reference: string; team: string; channel: string; decidedAt: string; expiresAt: string; link: string }>> {
    let query = this.store.db
      .selectFrom('satisfaction_survey')
      .select(['id', 'reference', 'team', 'channel', 'decided_at', 'expires_at'])
      .where('route', '=', 'call-back')
      .where('answered_at', 'is', null)
      .where('expires_at', '>', new Date());
    if (team !== undefined) query = query.where('team', '=', team);
    const rows = await query.orderBy('decided_at').limit(500).execute();
    return rows.map((row) => ({
      reference: row.reference,
      team: row.team,
      channel: row.channel,
      decidedAt: row.decided_at.toISOString(),
      expiresAt: row.expires_at!.toISOString(),
      link: this.links.link(row.id, row.expires_at!),
    }));
  }
}
