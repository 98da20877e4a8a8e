import { Channel, SocialMediaPlatform } from '../domain/channels.js';
import { type Outcome } from '../domain/commands/resolve.js';
import { type CrimeClassification, type IncidentCategory } from '../domain/recording.js';
import { RiskFlag } from '../domain/risk-screening.js';
import { type FactorLevel, type Grade } from '../domain/thrive.js';
import { type ApiClient } from './api-client.js';
import { assessment } from '../domain/assessment-builder.js';

type Levels = Partial<Record<'threat' | 'harm' | 'risk' | 'vulnerability' | 'safeguarding', FactorLevel>>;

/** How far the demo works a case: left waiting at some stage, or closed with an outcome. */
export type DemoEnd = 'waiting' | 'assessed' | 'recorded' | 'downgrade-pending' | Outcome;

export interface DemoScenario {
  channel: Channel;
  channelDetails?: Record<string, string>;
  narrative: string;
  flags?: RiskFlag[];
  interpreterLanguage?: string;
  grade: Grade;
  levels?: Levels;
  category: IncidentCategory;
  crime?: CrimeClassification;
  end: DemoEnd;
}

const urgent: Levels = { threat: 'high', harm: 'high', risk: 'high' };
const priority: Levels = { risk: 'medium', harm: 'medium' };
const dv: Levels = { threat: 'high', harm: 'medium', risk: 'medium', vulnerability: 'medium', safeguarding: 'high' };

/** A realistic mix for a control room's morning: every channel, IR web submissions, domestic abuse, each outcome, and work still waiting. */
export const demoScenarios: DemoScenario[] = [
  { channel: Channel.EmergencyCall, narrative: 'Fight outside a bar on the high street, one man is bleeding from the head', flags: [RiskFlag.Injury, RiskFlag.CrimeInProgress], grade: 1, levels: urgent, category: 'crime-violence', crime: 'violence-with-injury', end: 'attended' },
  { channel: Channel.EmergencyCall, narrative: 'Someone is trying to force the back door of my house right now', flags: [RiskFlag.CrimeInProgress], grade: 1, levels: urgent, category: 'crime-burglary', end: 'assessed' },
  { channel: Channel.EmergencyText, narrative: 'Deaf caller: my neighbour collapsed in the stairwell and is not moving', flags: [RiskFlag.VulnerablePerson], grade: 1, levels: urgent, category: 'concern-for-safety', end: 'attended' },
  { channel: Channel.NonEmergencyCall, narrative: 'My car was broken into overnight and the radio taken', grade: 3, category: 'crime-theft', crime: 'vehicle-offence', end: 'appointment' },
  { channel: Channel.NonEmergencyCall, narrative: 'Elderly father with dementia has not come home from his walk', flags: [RiskFlag.VulnerablePerson], interpreterLanguage: 'Punjabi', grade: 2, levels: { ...priority, vulnerability: 'high' }, category: 'missing-person', end: 'recorded' },
  { channel: Channel.NonEmergencyCall, narrative: 'Asking whether I need to report a minor bump in a car park', grade: 4, category: 'advice', end: 'resolved-at-first-contact' },
  { channel: Channel.DirectDial, narrative: 'School office: a parent is shouting at staff in reception', grade: 2, levels: priority, category: 'crime-public-order', crime: 'public-order', end: 'attended' },
  { channel: Channel.Sms, narrative: 'Community text: youths riding motorbikes across the playing field again', grade: 3, category: 'asb-nuisance', end: 'referred' },
  { channel: Channel.Sms, narrative: 'He has hit me again and said he will kill me if I call you', flags: [RiskFlag.DomesticAbuse], grade: 2, levels: dv, category: 'domestic-incident', end: 'waiting' },
  { channel: Channel.Email, narrative: 'I found a wallet with bank cards in it outside the station', grade: 4, category: 'lost-found-property', end: 'signposted' },
  { channel: Channel.Email, narrative: 'I was sexually assaulted at a party last month and want to report it', flags: [RiskFlag.SexualOffence], grade: 2, levels: { ...priority, safeguarding: 'high' }, category: 'crime-sexual', end: 'waiting' },
  { channel: Channel.InternalCall, channelDetails: { origin: 'Custody suite' }, narrative: 'Property to be returned to a released detainee', grade: 4, category: 'message-to-pass', end: 'no-further-action' },
  { channel: Channel.WeatherPhone, channelDetails: { origin: 'Harbour Road weather phone' }, narrative: 'Car in a ditch on the coast road, driver out and walking', grade: 2, levels: priority, category: 'road-traffic-collision', end: 'attended' },
  { channel: Channel.FaceToFace, channelDetails: { station: 'Central' }, narrative: 'My shop window was smashed last night', grade: 3, category: 'crime-criminal-damage', crime: 'criminal-damage', end: 'appointment' },
  { channel: Channel.FaceToFace, channelDetails: { station: 'Northfield' }, narrative: 'Handing in a bicycle found dumped in my front garden', grade: 4, category: 'lost-found-property', end: 'resolved-at-first-contact' },
  { channel: Channel.WebForm, channelDetails: { title: 'Report domestic abuse' }, narrative: 'My ex-partner keeps turning up at my flat and threatening me', flags: [RiskFlag.DomesticAbuse], grade: 2, levels: dv, category: 'domestic-incident', end: 'waiting' },
  { channel: Channel.WebForm, channelDetails: { title: 'Report a crime' }, narrative: 'Someone made threats with a knife to my son on the bus', grade: 2, levels: priority, category: 'crime-violence', end: 'waiting' },
  { channel: Channel.WebForm, channelDetails: { title: 'Report a road traffic incident' }, narrative: 'Van driving dangerously on the ring road each morning', grade: 3, category: 'road-related-offence', end: 'waiting' },
  { channel: Channel.WebForm, channelDetails: { title: 'Report anti-social behaviour' }, narrative: 'Drinking and shouting in the park every night', grade: 3, category: 'asb-nuisance', end: 'downgrade-pending' },
  { channel: Channel.WebForm, channelDetails: { title: 'Report fraud' }, narrative: 'I was tricked into paying for a car that does not exist', grade: 3, category: 'crime-fraud', crime: 'fraud', end: 'referred' },
  { channel: Channel.Webchat, narrative: 'How do I get a copy of a collision report for my insurer?', grade: 4, category: 'advice', end: 'signposted' },
  { channel: Channel.Webchat, narrative: 'My daughter says she wants to end her life and has locked herself in', flags: [RiskFlag.SelfHarm], grade: 1, levels: urgent, category: 'mental-health-crisis', end: 'waiting' },
  { channel: Channel.SocialMedia, channelDetails: { platform: SocialMediaPlatform.Facebook, handle: '@resident_42' }, narrative: 'Youths shouting racist abuse at me in the street', flags: [RiskFlag.Hate], grade: 3, category: 'asb-personal', crime: 'hate-crime', end: 'recorded' },
  { channel: Channel.SocialMedia, channelDetails: { platform: SocialMediaPlatform.X, handle: '@commuter7' }, narrative: 'Traffic lights out at the big junction by the hospital', grade: 3, category: 'highway-disruption', end: 'no-further-action' },
  { channel: Channel.Letter, narrative: 'Writing to say a stolen bicycle was returned to us', grade: 4, category: 'lost-found-property', end: 'no-further-action' },
];

export interface DemoStaff {
  handler: ApiClient;
  supervisor: ApiClient;
  registrar: ApiClient;
}

async function ok(answer: Promise<{ status: number; body: Record<string, unknown> }>, what: string): Promise<Record<string, unknown>> {
  const { status, body } = await answer;
  if (status !== 201) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Feeds one scenario through the API and works it as far as the scenario says. Returns its reference and where it ended. */
export async function runScenario(scenario: DemoScenario, staff: DemoStaff, index: number): Promise<{ reference: string; stage: string; riskMarker: unknown }> {
  const created = await ok(
    staff.handler.post('/contacts', {
      channel: scenario.channel,
      caller: { name: `Demo caller ${index + 1}`, phone: `+44 7700 900${String(100 + index).padStart(3, '0')}` },
      narrative: scenario.narrative,
      ...(scenario.flags ? { flags: scenario.flags } : {}),
      ...(scenario.channelDetails ? { channelDetails: scenario.channelDetails } : {}),
      ...(scenario.interpreterLanguage ? { interpreterLanguage: scenario.interpreterLanguage } : {}),
    }),
    'intake',
  );
  const reference = created.reference as string;
  const path = `/contacts/${reference}`;
  if (scenario.end === 'waiting') return { reference, stage: 'triage', riskMarker: created.riskMarker };

  await ok(staff.handler.post(`${path}/assessments`, assessment(scenario.levels ?? {}, scenario.grade)), 'assessment');
  if (scenario.end === 'assessed') return { reference, stage: 'recording', riskMarker: created.riskMarker };
  if (scenario.end === 'downgrade-pending') {
    await ok(staff.handler.post(`${path}/assessments`, assessment({}, 4)), 're-assessment');
    return { reference, stage: 'recording (downgrade waiting)', riskMarker: created.riskMarker };
  }

  await ok(staff.handler.post(`${path}/incident`, { openingCategory: scenario.category, qualifiers: scenario.flags?.includes(RiskFlag.DomesticAbuse) ? ['domestic'] : [] }), 'incident');
  if (scenario.crime) await ok(staff.registrar.post(`${path}/crime-decision`, { crimeRecorded: true, classification: scenario.crime }), 'crime decision');
  if (scenario.end === 'recorded') return { reference, stage: 'resolution', riskMarker: created.riskMarker };

  const resolution: Record<string, unknown> = { outcome: scenario.end, closingCategory: scenario.category };
  switch (scenario.end) {
    case 'attended':
      await ok(staff.handler.post(`${path}/attendance`, { event: 'dispatched', unit: `AB${10 + index}` }), 'dispatch');
      await ok(staff.handler.post(`${path}/attendance`, { event: 'arrived' }), 'arrival');
      break;
    case 'appointment':
      resolution.appointmentAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
      break;
    case 'referred':
      await ok(staff.handler.post(`${path}/referrals`, { agency: 'Council community safety team', kind: 'partner', reason: 'Partnership problem-solving' }), 'referral');
      break;
    case 'signposted':
      resolution.signpostedTo = 'Citizens Advice';
      break;
    case 'no-further-action':
      resolution.noFurtherActionReason = 'Information only; nothing for the police to do';
      break;
    case 'resolved-at-first-contact':
      break;
  }
  await ok(staff.handler.post(`${path}/notes`, { text: 'Caller told what happens next.' }), 'note');
  await ok(staff.handler.post(`${path}/resolution`, resolution), 'resolution');
  return { reference, stage: `closed: ${scenario.end}`, riskMarker: created.riskMarker };
}
