import { channelCatalogue, type ChannelFamily } from './channels.js';
import { type Measures, measureRows } from './mi.js';

/**
 * The measures as an open dataset that a second force can set beside its own: one CSV row per
 * number, each measure named by a stated definition, and a JSON Schema that carries those
 * definitions with the columns. Counts only: no row can name a caller.
 */

/** What a measure's number is. */
export type MeasureUnit = 'count' | 'share' | 'minutes' | 'hours' | 'rating' | 'cost';

export interface MeasureDefinition {
  /** The measure's name, with `{…}` standing for one name of a list (a channel, a clock kind). */
  measure: string;
  unit: MeasureUnit;
  definition: string;
}

/** The channels of a family, as the catalogue sorts them. */
const channelsOf = (family: ChannelFamily) =>
  Object.entries(channelCatalogue)
    .filter(([, record]) => record.family === family)
    .map(([channel]) => channel)
    .join(', ');

const count = (measure: string, definition: string): MeasureDefinition => ({ measure, unit: 'count', definition });
const share = (measure: string, definition: string): MeasureDefinition => ({ measure, unit: 'share', definition });
const minutes = (measure: string, definition: string): MeasureDefinition => ({ measure, unit: 'minutes', definition });
const hours = (measure: string, definition: string): MeasureDefinition => ({ measure, unit: 'hours', definition });
const rating = (measure: string, definition: string): MeasureDefinition => ({ measure, unit: 'rating', definition });
const cost = (measure: string, definition: string): MeasureDefinition => ({ measure, unit: 'cost', definition });

/**
 * Every measure's definition, by the family of measures it belongs to (a family the figures gain
 * does not compile until its measures are defined). Shares are fractions from 0 to 1; minutes are
 * the upper bound of the duration bucket the quantile falls in.
 */
const families: { readonly [F in keyof Measures]: readonly MeasureDefinition[] } = {
  demand: [
    count('demand.contacts', 'Contacts received in the period (each opens a case), every channel.'),
    count('demand.byChannel.{channel}', 'Contacts received in the period on that channel.'),
    count('demand.phone', `Contacts received on the telephone channels: ${channelsOf('phone')}.`),
    count('demand.digital', `Contacts received on the digital channels: ${channelsOf('digital')}.`),
    count('demand.other', `Contacts received on the other channels: ${channelsOf('other')}.`),
  ],
  screening: [
    count('screening.irMarked', 'Contacts marked IR (potential immediate risk) when they arrived.'),
    share('screening.irShareOfDigital', 'IR-marked contacts as a share of digital contacts.'),
    count('screening.vulnerableAtFirstContact', 'Contacts whose caller was identified as vulnerable when the contact arrived.'),
    count('screening.repeatCallers', "Contacts from a repeat caller (the policy's number of contacts within its window)."),
  ],
  gradeMix: [count('gradeMix.{grade}', 'Cases given their first grade in the period, by that grade (1 emergency to 4).')],
  clocks: [
    count('clocks.{kind}.metOnTime', 'Clocks of that kind met in the period before their due time.'),
    count('clocks.{kind}.metLate', 'Clocks of that kind met in the period after their due time.'),
    count('clocks.{kind}.breached', 'Clocks of that kind that reached their due time unmet in the period.'),
    count('clocks.{kind}.stopped', 'Clocks of that kind ended in the period because the case no longer needed them (a regrade, a closure); never counted as met.'),
    share('clocks.{kind}.onTimeShare', 'Of the clocks of that kind met in the period, the share met on time.'),
    minutes('clocks.{kind}.medianMinutesToMeet', 'Median time from the clock starting to its being met, for clocks met in the period.'),
    minutes('clocks.{kind}.p90MinutesToMeet', '90th percentile of the time from the clock starting to its being met.'),
  ],
  pausedByReason: [
    count('pausedByReason.{reason}.pauses', 'Clock pauses ended in the period, by reason code.'),
    minutes('pausedByReason.{reason}.pausedMinutes', 'Minutes the clocks stood still in those pauses.'),
  ],
  attendance: [
    count('attendance.{gradeAndArea}.onTime', 'Attendances in the period within the target of the grade and area (from the grade being set).'),
    count('attendance.{gradeAndArea}.late', 'Attendances in the period after that target.'),
    share('attendance.{gradeAndArea}.onTimeShare', 'Of those attendances, the share within the target.'),
  ],
  resolution: [
    count('resolution.closed', 'Cases closed in the period.'),
    count('resolution.firstContactResolution', 'Cases closed in the period with the outcome resolved at first contact.'),
    share('resolution.fcrShare', 'Of the cases closed in the period, the share resolved at first contact.'),
    count('resolution.recontactedWithin7Days', 'Of those resolved at first contact, the ones whose caller made contact again within 7 days of the closure.'),
    share('resolution.recontactShare', 'Of the cases resolved at first contact, the share whose caller came back within 7 days.'),
  ],
  outcomes: [
    count('outcomes.byOutcome.{outcome}', 'Cases closed in the period, by outcome.'),
    count('outcomes.byClosingCategory.{category}', 'Cases closed in the period, by closing incident category (NSIR).'),
  ],
  escalations: [
    count('escalations.raisedByKind.{kind}', 'Alerts raised in the period, by kind (warning, breach, re-escalation, manual).'),
    count('escalations.raisedByLevel.{level}', 'Alerts raised in the period, by escalation level.'),
    count('escalations.acknowledged', 'Alerts acknowledged in the period.'),
    minutes('escalations.medianMinutesToAcknowledge', 'Median time from an alert being raised to its acknowledgement.'),
    minutes('escalations.p90MinutesToAcknowledge', '90th percentile of the time from an alert being raised to its acknowledgement.'),
  ],
  downgrades: [
    count('downgrades.proposed', 'Downgrades proposed in the period.'),
    count('downgrades.approved', 'Downgrades approved in the period.'),
    count('downgrades.refused', 'Downgrades refused in the period.'),
  ],
  effort: [
    count('effort.cases', "Cases closed in the period whose people's handling time was kept."),
    minutes(
      'effort.handlingMinutes',
      "People's handling time on those cases: each work session (one person's commands on a case with no longer pause than the policy's gap) from its first command to its last, plus the policy's minutes for the first.",
    ),
    minutes('effort.meanMinutesPerCase', 'Handling time per closed case.'),
    count('effort.byChannel.{channel}.cases', 'Closed cases with their handling time, by channel.'),
    minutes('effort.byChannel.{channel}.meanMinutesPerCase', 'Handling time per closed case on that channel.'),
    count('effort.byOutcome.{outcome}.cases', 'Closed cases with their handling time, by outcome.'),
    minutes('effort.byOutcome.{outcome}.meanMinutesPerCase', 'Handling time per closed case with that outcome.'),
    cost('effort.meanCostPerCase', "Handling time per closed case, in hours, times the policy's cost of a staff hour (empty when the policy sets none)."),
  ],
  supply: [
    hours('supply.availableHours', 'Staff time recorded as available to take contacts in the period, in person-hours (a spell counts for at most 12 hours).'),
    hours('supply.busyHours', 'Staff time recorded as busy (on a contact or its follow-up) in the period, in person-hours.'),
    hours('supply.awayHours', 'Staff time recorded as away (a break, training) while signed in, in person-hours.'),
    count('supply.firstActions', 'Cases that arrived in the period and that a person has acted on (a call taken counts as acted on when it arrives).'),
    minutes('supply.meanMinutesToFirstAction', 'Mean time from a case arriving to the first action a person took on it.'),
  ],
  satisfaction: [
    count('satisfaction.asked', "Closed cases whose caller was asked how it went in the period (the policy says who: never an anonymous caller or one who said no, at most once per caller in the policy's days)."),
    count('satisfaction.askedByRoute.{route}', 'Callers asked, by how: in the conversation, by text message, by e-mail, or on the list to call back.'),
    count('satisfaction.notAskedByReason.{reason}', 'Closed cases whose caller was not asked, by why: anonymous, opted out, a channel the policy does not ask, asked recently, no way to reach them.'),
    count('satisfaction.answered', 'Survey answers taken in the period (one per survey, while its link was open).'),
    share('satisfaction.responseShare', 'Answers taken in the period as a share of callers asked in it.'),
    rating('satisfaction.meanRating', 'Mean rating of the answers, from 1 (very dissatisfied) to 5 (very satisfied).'),
    share('satisfaction.satisfiedShare', 'Answers rating 4 or 5 (satisfied or very satisfied) as a share of the answers.'),
    count('satisfaction.byRating.{rating}', 'Answers giving that rating (1 to 5).'),
    count('satisfaction.byChannel.{channel}.answered', "Answers about contacts on that channel."),
    rating('satisfaction.byChannel.{channel}.meanRating', 'Mean rating of the answers about contacts on that channel.'),
    count('satisfaction.byOutcome.{outcome}.answered', 'Answers about cases closed with that outcome.'),
    rating('satisfaction.byOutcome.{outcome}.meanRating', 'Mean rating of the answers about cases closed with that outcome.'),
    count('satisfaction.byFirstContactResolution.{fcr}.answered', 'Answers about cases resolved at first contact (`true`) or not (`false`).'),
    rating('satisfaction.byFirstContactResolution.{fcr}.meanRating', 'Mean rating of the answers about cases resolved at first contact or not.'),
  ],
};

/** Every measure's definition, in the order of the figures. */
export const measureDefinitions: readonly MeasureDefinition[] = Object.values(families).flat();

/** The dataset's version: a changed definition or column is a new version. */
export const DATASET_VERSION = '2';

/** The dataset's columns, in the CSV's order. */
export const datasetColumns = ['force', 'scope', 'period_start', 'period_end', 'measure', 'unit', 'value'] as const;

/** A measure's name as a regular expression: each `{…}` stands for one name without a dot. */
export const measurePattern = (definition: MeasureDefinition): string =>
  `^${definition.measure
    .split(/(\{[A-Za-z]+\})/)
    .map((part) => (part.startsWith('{') ? '[^.]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('')}$`;

const patterns = measureDefinitions.map((definition) => ({ definition, pattern: new RegExp(measurePattern(definition)) }));

const definitionsFound = new Map<string, MeasureDefinition | undefined>();

/** The definition a measure's name falls under, if any (found once per name: every period repeats the names). */
export function definitionOf(measure: string): MeasureDefinition | undefined {
  if (!definitionsFound.has(measure)) definitionsFound.set(measure, patterns.find(({ pattern }) => pattern.test(measure))?.definition);
  return definitionsFound.get(measure);
}

export type DatasetScope = 'period' | 'total' | 'previous';

export interface DatasetRow {
  force: string;
  scope: DatasetScope;
  period_start: string;
  period_end: string;
  measure: string;
  unit: MeasureUnit;
  value: number | null;
}

/** A period's figures as the dataset's rows. A number without a definition is a fault, not a row. */
export function datasetRows(force: string, scope: DatasetScope, period: { start: string; end: string; measures: Measures }): DatasetRow[] {
  return measureRows(period.measures).map(({ measure, value }) => {
    const definition = definitionOf(measure);
    if (!definition) throw new Error(`The measure ${measure} has no definition in the dataset`);
    return { force, scope, period_start: period.start, period_end: period.end, measure, unit: definition.unit, value };
  });
}

/**
 * The JSON Schema of one row of the dataset (a CSV row read with its header; an empty value is
 * null), with every measure's definition: what a second force checks its file against.
 */
export function datasetSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:police-contact-cases:mi-dataset:${DATASET_VERSION}`,
    title: 'Contact handling measures: one row of the open dataset',
    description:
      'One number of a force\'s contact-handling figures. The CSV has a header row naming the columns in the order of `x-columns`; an empty `value` is null. `scope` is `period` for each period asked for, `total` for the whole range and `previous` for the range of the same length just before it. Counts only: no row names a caller.',
    'x-columns': [...datasetColumns],
    type: 'object',
    additionalProperties: false,
    required: [...datasetColumns],
    properties: {
      force: { type: 'string', pattern: '^[A-Z]{2,4}$', description: "The force's code (the prefix of its case references)" },
      scope: { enum: ['period', 'total', 'previous'] },
      period_start: { type: 'string', format: 'date-time', description: "The period's first instant (midnight in the force's time zone)" },
      period_end: { type: 'string', format: 'date-time', description: 'The instant after its last (exclusive)' },
      measure: {
        description: "The measure, by its definition; `[^.]+` stands for one name of a list (a channel, a clock kind, a reason code).",
        anyOf: measureDefinitions.map((definition) => ({ type: 'string', pattern: measurePattern(definition), title: definition.measure, description: definition.definition, 'x-unit': definition.unit })),
      },
      unit: {
        enum: ['count', 'share', 'minutes', 'hours', 'rating', 'cost'] satisfies MeasureUnit[],
        description: "`count`: a whole number; `share`: a fraction from 0 to 1; `minutes`: a duration (a median or percentile is the upper bound of the bucket it falls in); `hours`: staff time in person-hours; `rating`: a mean on the survey's scale, 1 (very dissatisfied) to 5 (very satisfied); `cost`: in the force's currency, from its policy's cost of a staff hour",
      },
      value: { type: ['number', 'null'] },
    },
  };
}
