import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { datasetColumns, datasetRows, datasetSchema, definitionOf, measureDefinitions, measurePattern } from '../../../src/domain/mi-dataset.js';
import { measuresFrom, type MiCount } from '../../../src/domain/mi.js';

/** One count of every measure the store keeps, each with a name of each list it is counted by. */
const everyCount: MiCount[] = [
  ['contacts', 'web-form'],
  ['contacts', 'non-emergency-call'],
  ['contacts', 'face-to-face'],
  ['screening', 'ir'],
  ['screening', 'vulnerable'],
  ['screening', 'repeat-caller'],
  ['first-grade', '2'],
  ['clock-met-on-time', 'digital-action'],
  ['clock-met-late', 'attendance'],
  ['clock-breached', 'crime-recording'],
  ['clock-stopped', 'unresourced'],
  ['clock-time-to-meet', 'digital-action|le:60'],
  ['clock-paused', 'caller-unavailable'],
  ['attendance', '1|urban|on-time'],
  ['attendance', '2|rural|late'],
  ['fcr', 'true'],
  ['fcr', 'false'],
  ['fcr-recontacted', 'caller'],
  ['closed-outcome', 'resolved-at-first-contact'],
  ['closed-category', 'crime-theft'],
  ['alerts-raised', 'breach|2'],
  ['alerts-acknowledged', 'breach'],
  ['alert-time-to-acknowledge', 'breach|le:15'],
  ['downgrades', 'proposed'],
  ['handling', 'web-form|resolved-at-first-contact'],
  ['presence-available', '1|9'],
  ['presence-busy', '1|9'],
  ['presence-away', '1|10'],
  ['first-action', '1|9'],
  ['survey-decided', 'sms'],
  ['survey-decided', 'not-asked:anonymous'],
  ['survey-rating', 'web-form|resolved-at-first-contact|true|4'],
].map(([measure, dimension]) => ({ measure, dimension, count: 3, totalMs: 600_000 }));

const period = { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z', measures: measuresFrom(everyCount, 36) };
const rows = datasetRows('XP', 'total', period);

describe('the open dataset', () => {
  it('defines every number of the figures by exactly one definition, and every definition names some number', () => {
    expect(rows.length).toBeGreaterThan(60);
    for (const row of rows) {
      const matching = measureDefinitions.filter((definition) => new RegExp(measurePattern(definition)).test(row.measure));
      expect({ measure: row.measure, definitions: matching.length }).toEqual({ measure: row.measure, definitions: 1 });
      expect(row.unit).toBe(matching[0].unit);
    }
    const unused = measureDefinitions.filter((definition) => !rows.some((row) => definitionOf(row.measure) === definition));
    expect(unused.map((definition) => definition.measure)).toEqual([]);
  });

  it('gives each number its unit: shares between 0 and 1, counts whole, minutes, costs', () => {
    const row = (measure: string) => rows.find((candidate) => candidate.measure === measure);
    expect(row('demand.contacts')).toMatchObject({ unit: 'count', value: 9 });
    expect(row('demand.byChannel.web-form')).toMatchObject({ unit: 'count', value: 3 });
    expect(row('clocks.digital-action.onTimeShare')).toMatchObject({ unit: 'share', value: 1 });
    expect(row('resolution.fcrShare')).toMatchObject({ unit: 'share', value: 0.5 });
    expect(row('attendance.grade 2 rural.late')).toMatchObject({ unit: 'count', value: 3 });
    expect(row('escalations.medianMinutesToAcknowledge')).toMatchObject({ unit: 'minutes', value: 15 });
    // Staff time in person-hours (10 minutes of each state); three cases waited 10 minutes in all.
    expect(row('supply.availableHours')).toMatchObject({ unit: 'hours' });
    expect(row('supply.availableHours')?.value).toBeCloseTo(1 / 6, 10);
    expect(row('supply.awayHours')?.value).toBeCloseTo(1 / 6, 10);
    expect(row('supply.meanMinutesToFirstAction')).toMatchObject({ unit: 'minutes' });
    expect(row('supply.meanMinutesToFirstAction')?.value).toBeCloseTo(10 / 3, 10);
    expect(row('satisfaction.meanRating')).toMatchObject({ unit: 'rating', value: 4 });
    expect(row('satisfaction.responseShare')).toMatchObject({ unit: 'share', value: 1 });
    expect(row('satisfaction.byFirstContactResolution.true.answered')).toMatchObject({ unit: 'count', value: 3 });
    // Three cases handled for 10 minutes in all: 3 1/3 minutes each, at 36 an hour 2 each.
    expect(row('effort.byChannel.web-form.meanMinutesPerCase')?.value).toBeCloseTo(10 / 3, 10);
    expect(row('effort.meanCostPerCase')).toMatchObject({ unit: 'cost' });
    expect(row('effort.meanCostPerCase')?.value).toBeCloseTo(2, 10);
  });

  it("is read by the MI page with the units its schema names", () => {
    const page = readFileSync(fileURLToPath(new URL('../../../public/mi/dashboard.js', import.meta.url)), 'utf8');
    const units = /const DATASET_UNITS = (\[[^\]]*\]);/.exec(page)?.[1];
    expect(JSON.parse((units ?? 'null').replaceAll("'", '"'))).toEqual((datasetSchema().properties as { unit: { enum: string[] } }).unit.enum);
  });

  it('refuses a number it has no definition for, rather than export it undefined', () => {
    const measures = { ...period.measures, demand: { ...period.measures.demand, unheardOf: 1 } };
    expect(() => datasetRows('XP', 'total', { ...period, measures })).toThrow('The measure demand.unheardOf has no definition in the dataset');
  });

  it("has a JSON Schema that every row meets and that refuses a row outside the definitions", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(datasetSchema());
    for (const row of rows) expect({ row: row.measure, valid: validate(row), errors: validate.errors ?? null }).toEqual({ row: row.measure, valid: true, errors: null });
    const sample = rows[0];
    expect(validate({ ...sample, measure: 'demand.unheardOf' })).toBe(false);
    expect(validate({ ...sample, force: 'Avon and Somerset' })).toBe(false);
    expect(validate({ ...sample, value: '3' })).toBe(false);
    const { value: _value, ...withoutValue } = sample;
    expect(validate(withoutValue)).toBe(false);
    expect((datasetSchema() as { 'x-columns': string[] })['x-columns']).toEqual([...datasetColumns]);
    // Each measure's definition travels with the schema, as its own branch.
    const branches = (datasetSchema() as { properties: { measure: { anyOf: Array<{ title: string; description: string }> } } }).properties.measure.anyOf;
    expect(branches.map((branch) => branch.title)).toEqual(measureDefinitions.map((definition) => definition.measure));
    expect(branches.every((branch) => branch.description.length > 10)).toBe(true);
  });
});
