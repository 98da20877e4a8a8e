import { type FieldProblem } from './channels.js';

/** NSIR chapters, and the incident categories under each (opening and closing categories). */
export const incidentCategories = {
  'public-safety-welfare': ['concern-for-safety', 'missing-person', 'domestic-incident', 'mental-health-crisis', 'sudden-death', 'suspicious-circumstances', 'animal-related'],
  crime: ['crime-violence', 'crime-sexual', 'crime-theft', 'crime-burglary', 'crime-criminal-damage', 'crime-fraud', 'crime-public-order', 'crime-other'],
  'anti-social-behaviour': ['asb-personal', 'asb-nuisance', 'asb-environmental'],
  transport: ['road-traffic-collision', 'road-related-offence', 'highway-disruption'],
  administration: ['lost-found-property', 'message-to-pass', 'duplicate', 'hoax', 'abandoned-call', 'advice'],
} as const;

export type IncidentChapter = keyof typeof incidentCategories;
export type IncidentCategory = (typeof incidentCategories)[IncidentChapter][number];
export const allIncidentCategories: IncidentCategory[] = Object.values(incidentCategories).flat();

export const chapterOf = (category: IncidentCategory): IncidentChapter =>
  (Object.keys(incidentCategories) as IncidentChapter[]).find((chapter) => (incidentCategories[chapter] as readonly string[]).includes(category))!;

export const incidentQualifiers = ['domestic', 'mental-health', 'alcohol', 'drugs', 'hate', 'child', 'vulnerable-adult', 'cyber', 'firearms', 'repeat-victim'] as const;
export type IncidentQualifier = (typeof incidentQualifiers)[number];

/** Home Office crime classifications, at the level a contact centre records them. */
export const crimeClassifications = [
  'violence-with-injury',
  'violence-without-injury',
  'stalking-harassment',
  'sexual-offence',
  'robbery',
  'burglary-residential',
  'burglary-business',
  'vehicle-offence',
  'theft',
  'criminal-damage',
  'fraud',
  'public-order',
  'hate-crime',
  'other-crime',
] as const;
export type CrimeClassification = (typeof crimeClassifications)[number];

/** Why no crime is recorded (NCRS: on the balance of probability no offence, or it belongs elsewhere). */
export const noCrimeReasons = ['no-offence-on-balance-of-probability', 'recorded-by-another-force', 'already-recorded', 'civil-matter'] as const;
export type NoCrimeReason = (typeof noCrimeReasons)[number];

export interface IncidentRecord {
  openingCategory: IncidentCategory;
  qualifiers: IncidentQualifier[];
}

export interface CrimeDecision {
  crimeRecorded: boolean;
  classification?: CrimeClassification;
  noCrimeReason?: NoCrimeReason;
  /** The victim declined referral to victim support (Victims' Code): no 2-day referral clock. */
  victimSupportOptOut?: boolean;
}

export function crimeDecisionProblems(decision: CrimeDecision): FieldProblem[] {
  if (decision.crimeRecorded && !decision.classification) return [{ field: 'classification', message: 'a recorded crime needs its classification' }];
  if (decision.crimeRecorded && decision.noCrimeReason) return [{ field: 'noCrimeReason', message: 'a recorded crime has no no-crime reason' }];
  if (!decision.crimeRecorded && !decision.noCrimeReason) return [{ field: 'noCrimeReason', message: 'a decision not to record a crime needs its reason' }];
  if (!decision.crimeRecorded && decision.classification) return [{ field: 'classification', message: 'no classification when no crime is recorded' }];
  return [];
}

/** NCRS: an incident in the crime chapter needs a crime recording decision before the case closes. */
export const needsCrimeDecision = (incident: IncidentRecord | null, closingCategory?: IncidentCategory) =>
  (incident !== null && chapterOf(incident.openingCategory) === 'crime') || (closingCategory !== undefined && chapterOf(closingCategory) === 'crime');
