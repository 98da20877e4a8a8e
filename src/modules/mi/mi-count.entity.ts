import { defineEntity, p } from '@mikro-orm/core';

/**
 * Management information as counts: per grain (`day`, `month`), period (a day or the first of a
 * month, in the force's time zone), team, measure and dimension, how many, and the milliseconds
 * they add up to (for durations). Written only by the triggers of the oversight migration, in the
 * transaction of the change each row counts.
 */
export const MiCountSchema = defineEntity({
  name: 'MiCount',
  tableName: 'mi_count',
  properties: {
    grain: p.string().length(8).primary(),
    period: p.date().primary(),
    team: p.string().length(64).primary(),
    measure: p.string().length(48).primary(),
    dimension: p.string().length(96).primary(),
    count: p.bigint('number').defaultRaw('0'),
    totalMs: p.bigint('number').defaultRaw('0'),
  },
});

/** The time zone the counts' days and months are cut in: one row, kept equal to the policy's. */
export const MiSettingSchema = defineEntity({
  name: 'MiSetting',
  tableName: 'mi_setting',
  properties: {
    id: p.boolean().primary().defaultRaw('true'),
    timeZone: p.string().length(64),
  },
  checks: [{ name: 'mi_setting_one_row', expression: '"id"' }],
});
