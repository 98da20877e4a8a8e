import { defineEntity, p } from '@mikro-orm/core';

/** Each member of staff's presence now: one row per person, changed as they say what they are doing. */
export const StaffPresenceSchema = defineEntity({
  name: 'StaffPresence',
  tableName: 'staff_presence',
  properties: {
    subject: p.string().length(128).primary(),
    team: p.string().length(64),
    state: p.string().length(16),
    since: p.datetime(),
  },
  indexes: [{ name: 'staff_presence_team', properties: ['team', 'state'] }],
});

/** Every change of presence, in order: who, for which team, from what to what, and when. */
export const StaffPresenceChangeSchema = defineEntity({
  name: 'StaffPresenceChange',
  tableName: 'staff_presence_change',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    subject: p.string().length(128),
    team: p.string().length(64),
    state: p.string().length(16),
    at: p.datetime(),
    previousTeam: p.string().length(64).nullable(),
    previousState: p.string().length(16).nullable(),
    previousSince: p.datetime().nullable(),
  },
  indexes: [{ name: 'staff_presence_change_at', properties: ['at'] }, { name: 'staff_presence_change_subject', properties: ['subject', 'at'] }],
});
