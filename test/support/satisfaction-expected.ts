import { type TestDatabase } from './test-database.js';

interface SurveyRow {
  decision: string;
  not_asked_reason: string | null;
  route: string | null;
  channel: string;
  outcome: string | null;
  first_contact_resolution: boolean | null;
  rating: number | null;
}

const countBy = <T>(rows: T[], key: (row: T) => string) => {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[key(row)] = (counts[key(row)] ?? 0) + 1;
  return counts;
};

/**
 * The satisfaction figures, written out again from the surveys the store holds (of one team, or every
 * team): who was asked and how, who was not and why, and the ratings by channel, outcome and first
 * contact resolution. All in the period asked about (the tests' surveys are all from today).
 */
export async function expectedSatisfaction(database: TestDatabase, team?: string) {
  const rows = await database.query<SurveyRow>(
    'select decision, not_asked_reason, route, channel, outcome, first_contact_resolution, rating from satisfaction_survey where $1::varchar is null or team = $1',
    [team ?? null],
  );
  const asked = rows.filter((row) => row.decision === 'asked');
  const rated = rows.filter((row) => row.rating !== null);
  const mean = (some: SurveyRow[]) => (some.length === 0 ? null : some.reduce((sum, row) => sum + row.rating!, 0) / some.length);
  const by = (key: (row: SurveyRow) => string) =>
    Object.fromEntries([...new Set(rated.map(key))].sort().map((value) => [value, { answered: rated.filter((row) => key(row) === value).length, meanRating: mean(rated.filter((row) => key(row) === value)) }]));
  return {
    asked: asked.length,
    askedByRoute: countBy(asked, (row) => row.route!),
    notAskedByReason: countBy(
      rows.filter((row) => row.decision === 'not-asked'),
      (row) => row.not_asked_reason!,
    ),
    answered: rated.length,
    responseShare: asked.length === 0 ? null : rated.length / asked.length,
    meanRating: mean(rated),
    satisfiedShare: rated.length === 0 ? null : rated.filter((row) => row.rating! >= 4).length / rated.length,
    byRating: countBy(rated, (row) => String(row.rating)),
    byChannel: by((row) => row.channel),
    byOutcome: by((row) => row.outcome ?? 'unknown'),
    byFirstContactResolution: by((row) => (row.first_contact_resolution === null ? 'unknown' : String(row.first_contact_resolution))),
  };
}
