import { Injectable } from '@nestjs/common';
import { type PresenceState, presenceCounts } from '../../domain/presence.js';
import { miCountsStatement } from '../mi/mi-counts.statement.js';
import { StoreDatabase } from '../platform/database/store-db.js';

export interface Presence {
  subject: string;
  team: string;
  state: PresenceState;
  since: string;
}

const toPresence = (row: { subject: string; team: string; state: string; since: Date }): Presence => ({
  subject: row.subject,
  team: row.team,
  state: row.state as PresenceState,
  since: row.since.toISOString(),
});

/**
 * Staff presence: what each person says they are doing, as they sign in and as it changes. A change
 * ends the spell before it; that spell's time is counted into the management information in the same
 * transaction, so what the figures hold is exactly the spells recorded. The same state for the same
 * team again changes nothing (a repeated request is not a new spell).
 */
@Injectable()
export class PresenceService {
  constructor(private readonly store: StoreDatabase) {}

  async set(subject: string, team: string, state: PresenceState): Promise<{ presence: Presence; changed: boolean }> {
    return this.store.db.transaction().execute(async (trx) => {
      // Someone never seen before starts signed out; the row is then locked, so that two changes
      // from the same person at once are taken one after the other.
      await trx.insertInto('staff_presence').values({ subject, team, state: 'signed-out', since: new Date() }).onConflict((conflict) => conflict.column('subject').doNothing()).execute();
      const before = await trx.selectFrom('staff_presence').selectAll().where('subject', '=', subject).forUpdate().executeTakeFirstOrThrow();
      // Taken once the row is held: a change never starts before the one it follows.
      const now = new Date(Math.max(Date.now(), before.since.getTime()));
      if (before.state === state && (before.team === team || state === 'signed-out')) return { presence: toPresence(before), changed: false };
      const after = await trx.updateTable('staff_presence').set({ team, state, since: now }).where('subject', '=', subject).returningAll().executeTakeFirstOrThrow();
      await trx
        .insertInto('staff_presence_change')
        .values({ subject, team, state, at: now, previous_team: before.team, previous_state: before.state, previous_since: before.since })
        .execute();
      const counts = presenceCounts(before.team, before.state as PresenceState, before.since, now);
      if (counts.length > 0) await miCountsStatement(counts).execute(trx);
      return { presence: toPresence(after), changed: true };
    });
  }

  /** Everyone signed in now (of one team, or every team), by team and then subject. */
  async signedIn(team?: string): Promise<Presence[]> {
    let query = this.store.db.selectFrom('staff_presence').selectAll().where('state', '<>', 'signed-out');
    if (team !== undefined) query = query.where('team', '=', team);
    return (await query.orderBy('team').orderBy('subject').execute()).map(toPresence);
  }
}
