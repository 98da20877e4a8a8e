import { type Channel } from './channels.js';
import { type ContactPolicy } from './policy.js';

/** What the person reporting, or the handler taking the contact, marks at intake. */
export enum RiskFlag {
  DomesticAbuse = 'domestic-abuse',
  SexualOffence = 'sexual-offence',
  ChildAtRisk = 'child-at-risk',
  Weapon = 'weapon',
  Injury = 'injury',
  CrimeInProgress = 'crime-in-progress',
  SelfHarm = 'self-harm',
  MentalHealth = 'mental-health',
  VulnerablePerson = 'vulnerable-person',
  RepeatCaller = 'repeat-caller',
  Hate = 'hate',
}

export interface RiskScreening {
  /** `IR`: a digital submission with potential risk, actioned first. */
  riskMarker: 'IR' | null;
  domesticAbuse: boolean;
  sexualOffence: boolean;
  vulnerable: boolean;
  /** Why, as codes (never the narrative's words). */
  reasons: string[];
}

const narrativeSignals: Array<{ reason: string; pattern: RegExp }> = [
  { reason: 'narrative:domestic-abuse', pattern: /\b(domestic|(ex[- ]?)?(partner|husband|wife|boyfriend|girlfriend)\b.{0,40}\b(hit|hits|hitting|punch\w*|beat\w*|kick\w*|strangl\w*|chok\w*|threaten\w*|control\w*)|coercive)/i },
  { reason: 'narrative:sexual-offence', pattern: /\b(rape\w*|raping|sexual(ly)? assault\w*|indecent\w*|groom\w*|upskirt\w*|sextort\w*)\b/i },
  { reason: 'narrative:weapon', pattern: /\b(knife|knives|gun|firearm|machete|blade|weapon)\b/i },
  { reason: 'narrative:self-harm', pattern: /\b(suicid\w*|kill (my|him|her)self|end (my|his|her) life|overdose\w*|self[- ]harm\w*)\b/i },
  { reason: 'narrative:threat-to-life', pattern: /\b(kill|stab|shoot|murder)\w*\b/i },
  { reason: 'narrative:child-at-risk', pattern: /\b(child|children|baby|toddler|kid)s?\b.{0,40}\b(hurt|alone|abuse\w*|neglect\w*|danger|missing)\b/i },
];

const flagsMeaningRisk = new Set<RiskFlag>([
  RiskFlag.DomesticAbuse,
  RiskFlag.SexualOffence,
  RiskFlag.ChildAtRisk,
  RiskFlag.Weapon,
  RiskFlag.Injury,
  RiskFlag.CrimeInProgress,
  RiskFlag.SelfHarm,
  RiskFlag.VulnerablePerson,
]);

const flagsMeaningVulnerable = new Set<RiskFlag>([
  RiskFlag.VulnerablePerson,
  RiskFlag.ChildAtRisk,
  RiskFlag.MentalHealth,
  RiskFlag.SelfHarm,
  RiskFlag.RepeatCaller,
]);

/**
 * Screens a contact at intake, before any person has assessed it: flags and narrative mark
 * domestic abuse and sexual offences (their own 24 h clock) and vulnerability, and a digital
 * submission (a channel the policy gives a digital action clock) with any potential risk is marked
 * IR so that it is actioned first. Screening only ever raises attention; a THRIVE(S) assessment by
 * a person decides the grade.
 */
export function screenContact(
  input: { channel: Channel; flags: readonly RiskFlag[]; narrative: string; history?: { repeatCaller: boolean; previouslyVulnerable: boolean } },
  policy: Pick<ContactPolicy, 'digitalActionChannels'>,
): RiskScreening {
  // What earlier contacts from the same caller showed: a repeat caller is flagged as one, and a
  // caller once found vulnerable is carried forward as vulnerable, each with its reason.
  const flags = new Set(input.flags);
  if (input.history?.repeatCaller) flags.add(RiskFlag.RepeatCaller);
  const signals = narrativeSignals.filter((signal) => signal.pattern.test(input.narrative)).map((signal) => signal.reason);
  const domesticAbuse = flags.has(RiskFlag.DomesticAbuse) || signals.includes('narrative:domestic-abuse');
  const sexualOffence = flags.has(RiskFlag.SexualOffence) || signals.includes('narrative:sexual-offence');
  const riskFlags = [...flags].filter((flag) => flagsMeaningRisk.has(flag)).map((flag) => `flag:${flag}`);
  const history = [...(input.history?.repeatCaller ? ['history:repeat-caller'] : []), ...(input.history?.previouslyVulnerable ? ['history:previously-vulnerable'] : [])];
  const reasons = [...riskFlags, ...signals, ...history];
  const vulnerable =
    [...flags].some((flag) => flagsMeaningVulnerable.has(flag)) ||
    signals.includes('narrative:self-harm') ||
    signals.includes('narrative:child-at-risk') ||
    input.history?.previouslyVulnerable === true;
  const potentialRisk = reasons.length > 0 || domesticAbuse || sexualOffence;
  return {
    riskMarker: policy.digitalActionChannels.includes(input.channel) && potentialRisk ? 'IR' : null,
    domesticAbuse,
    sexualOffence,
    vulnerable,
    reasons: [...new Set(reasons)],
  };
}
