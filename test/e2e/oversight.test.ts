import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type AppConfig, configToEnvironment } from '../../src/config/app-config.js';
import { Channel } from '../../src/domain/channels.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { apiAs, ok } from '../support/api-client.js';
import { assessment } from '../support/assessments.js';
import { policyWith, shortClockPolicy, writePolicyFile } from '../support/policies.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { tokenFor } from '../support/test-tokens.js';
import { expectedSatisfaction } from '../support/satisfaction-expected.js';

/*
 * The management information, checked against the case store itself: a known set of cases goes
 * through the real workflow and store, then every figure is worked out here from the raw tables
 * (timeline, cases, caller identities, alerts), by rules written out again in this file, and
 * compared with what the API reports from its counts.
 */

const run = promisify(execFile);
const repository = fileURLToPath(new URL('../..', import.meta.url));

const PHONE = ['non-emergency-call', 'emergency-call', 'direct-dial', 'internal-call', 'weather-phone'];
const DIGITAL = ['web-form', 'webchat', 'social-media', 'email', 'sms', 'emergency-text'];
const BOUNDS = [1, 5, 10, 15, 30, 60, 120, 240, 480, 720, 1440, 2880, 4320, 7200, 10080, 20160, 43200];

/** The q quantile of durations, as the upper bound (minutes) of the bucket it falls in. */
function quantile(durationsMs: number[], q: number): number | null {
  if (durationsMs.length === 0) return null;
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const value = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
  return BOUNDS.find((bound) => value <= bound * 60_000) ?? null;
}

const countBy = <T>(items: T[], key: (item: T) => string) => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};
const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

interface EventRow {
  reference: string;
  sequence: number;
  type: string;
  at: string;
  actor_subject: string;
  actor_role: string;
  details: Record<string, unknown>;
}

/** The test policy's estimate of people's effort, with a cost of a staff hour. */
const EFFORT = { sessionGapMinutes: 15, minutesPerSession: 3, costPerStaffHour: 36 };

/**
 * People's handling time on a case, written out again: the intake and each command by a person
 * (not the clocks, not a connector) are its actions; a run of one person's actions with no pause
 * over the gap is a session, from its first action to its last plus the minutes for the first.
 */
function handlingMs(events: EventRow[]): number {
  const people = events.filter((event) => event.actor_role !== 'system' && event.actor_role !== 'channel-connector');
  // A command's entries share its time and giver: one action each.
  const actions = [...new Map(people.map((event) => [`${new Date(event.at).getTime()}|${event.actor_subject}`, { subject: event.actor_subject, atMs: new Date(event.at).getTime() }])).values()]
    .sort((a, b) => a.atMs - b.atMs);
  let total = 0;
  actions.forEach((action, index) => {
    const before = actions[index - 1];
    const continuing = before !== undefined && before.subject === action.subject && action.atMs - before.atMs <= EFFORT.sessionGapMinutes * 60_000;
    total += continuing ? action.atMs - before.atMs : EFFORT.minutesPerSession * 60_000;
  });
  return total;
}
interface CaseRow {
  reference: string;
  channel: string;
  area: string;
  vulnerable: boolean;
  risk_marker: string | null;
  screening_reasons: string[];
  received_at: string;
  closed_at: string | null;
  first_contact_resolution: boolean | null;
}

/**
 * The supply, written out again from what the store holds: each ended spell of presence (at most
 * 12 hours of it) by the state it was in, and for each case its wait until the first thing a person
 * did to it (a contact a person took is acted on as it arrives).
 */
async function expectedSupply(database: TestDatabase, team?: string) {
  const spells = await database.query<{ previous_state: string; previous_team: string; previous_since: string; at: string }>(
    "select previous_state, previous_team, previous_since, at from staff_presence_change where previous_state in ('available', 'busy', 'away')",
  );
  const hoursIn = (state: string) =>
    spells
      .filter((spell) => spell.previous_state === state && (team === undefined || spell.previous_team === team))
      .reduce((sum, spell) => sum + Math.min(new Date(spell.at).getTime() - new Date(spell.previous_since).getTime(), 12 * 3_600_000), 0) / 3_600_000;
  const cases = await database.query<{ reference: string; received_at: string }>('select reference, received_at from contact_case where $1::varchar is null or team = $1', [team ?? null]);
  const events = await database.query<EventRow>("select reference, sequence, type, at, actor_subject, actor_role from case_event where actor_role not in ('system', 'channel-connector') order by reference, sequence");
  const waits = cases.flatMap((row) => {
    const first = events.find((event) => event.reference === row.reference);
    if (first === undefined) return [];
    return [first.type === 'received' ? 0 : new Date(first.at).getTime() - new Date(row.received_at).getTime()];
  });
  return {
    availableHours: hoursIn('available'),
    busyHours: hoursIn('busy'),
    awayHours: hoursIn('away'),
    firstActions: waits.length,
    meanMinutesToFirstAction: waits.length === 0 ? null : waits.reduce((sum, wait) => sum + wait, 0) / waits.length / 60_000,
  };
}

async function expectedMeasures(database: TestDatabase) {
  const events = await database.query<EventRow>('select reference, sequence, type, at, actor_subject, actor_role, details from case_event order by reference, sequence');
  const cases = await database.query<CaseRow>(
    'select reference, channel, area, vulnerable, risk_marker, screening_reasons, received_at, closed_at, first_contact_resolution from contact_case',
  );
  const identities = await database.query<{ hash: string; reference: string; received_at: string }>('select hash, reference, received_at from caller_identity');
  const alerts = await database.query<{ kind: string; level: number; created_at: string; acknowledged_at: string | null }>('select kind, level, created_at, acknowledged_at from case_alert');
  const ms = (value: string) => new Date(value).getTime();
  const kindOf = (clock: unknown) => String(clock).replace(/-[0-9]+$/, '');
  const ofType = (type: string) => events.filter((event) => event.type === type);
  const armed = (met: EventRow) =>
    events.filter((event) => event.reference === met.reference && event.type === 'clock-armed' && event.details.clock === met.details.clock && event.sequence < met.sequence).at(-1)!;

  const byChannel = countBy(cases, (row) => row.channel);
  const phone = cases.filter((row) => PHONE.includes(row.channel)).length;
  const digital = cases.filter((row) => DIGITAL.includes(row.channel)).length;
  const ir = cases.filter((row) => row.risk_marker === 'IR').length;

  const kinds = [...new Set(['clock-met', 'clock-breached', 'clock-stopped'].flatMap((type) => ofType(type).map((event) => kindOf(event.details.clock))))].sort();
  const clocks = Object.fromEntries(
    kinds.map((kind) => {
      const met = ofType('clock-met').filter((event) => kindOf(event.details.clock) === kind);
      const onTime = met.filter((event) => event.details.late !== true).length;
      const late = met.length - onTime;
      const durations = met.map((event) => ms(event.at) - ms(String(armed(event).details.startedAt)));
      return [
        kind,
        {
          metOnTime: onTime,
          metLate: late,
          breached: ofType('clock-breached').filter((event) => kindOf(event.details.clock) === kind).length,
          stopped: ofType('clock-stopped').filter((event) => kindOf(event.details.clock) === kind).length,
          onTimeShare: share(onTime, met.length),
          medianMinutesToMeet: quantile(durations, 0.5),
          p90MinutesToMeet: quantile(durations, 0.9),
        },
      ];
    }),
  );

  const pausedByReason: Record<string, { pauses: number; pausedMinutes: number }> = {};
  for (const resumed of ofType('clock-resumed')) {
    const paused = events.filter((event) => event.reference === resumed.reference && event.type === 'clock-paused' && event.details.clock === resumed.details.clock && event.sequence < resumed.sequence).at(-1)!;
    const reason = String(paused.details.reason);
    const current = pausedByReason[reason] ?? { pauses: 0, pausedMinutes: 0 };
    pausedByReason[reason] = { pauses: current.pauses + 1, pausedMinutes: current.pausedMinutes + Number(resumed.details.pausedMs) / 60_000 };
  }

  const attendance: Record<string, { onTime: number; late: number; onTimeShare: number | null }> = {};
  for (const met of ofType('clock-met').filter((event) => kindOf(event.details.clock) === 'attendance')) {
    const grade = /grade ([1-4])/.exec(String(armed(met).details.label))?.[1] ?? 'ungraded';
    const area = cases.find((row) => row.reference === met.reference)!.area;
    const key = `grade ${grade} ${area}`;
    const current = attendance[key] ?? { onTime: 0, late: 0, onTimeShare: null };
    if (met.details.late === true) current.late += 1;
    else current.onTime += 1;
    current.onTimeShare = share(current.onTime, current.onTime + current.late);
    attendance[key] = current;
  }

  const closed = ofType('closed');
  const fcr = cases.filter((row) => row.first_contact_resolution === true);
  const hashesOf = (reference: string) => new Set(identities.filter((row) => row.reference === reference).map((row) => row.hash));
  const recontacted = fcr.filter((row) => {
    const mine = hashesOf(row.reference);
    return cases.some(
      (other) =>
        other.reference !== row.reference &&
        ms(other.received_at) > ms(row.closed_at!) &&
        ms(other.received_at) <= ms(row.closed_at!) + 7 * 86_400_000 &&
        [...hashesOf(other.reference)].some((hash) => mine.has(hash)),
    );
  }).length;

  const acknowledged = alerts.filter((alert) => alert.acknowledged_at !== null);
  const ackDurations = acknowledged.map((alert) => ms(alert.acknowledged_at!) - ms(alert.created_at));
  const downgrades = (type: string) => ofType(`downgrade-${type}`).length;

  // Each closed case's handling time, from its events up to its closure, by channel and outcome.
  const handled = closed.map((event) => ({
    channel: cases.find((row) => row.reference === event.reference)!.channel,
    outcome: String(event.details.outcome),
    minutes: handlingMs(events.filter((other) => other.reference === event.reference && other.sequence <= event.sequence)) / 60_000,
  }));
  const meanOf = (items: typeof handled) => (items.length === 0 ? null : items.reduce((sum, item) => sum + item.minutes, 0) / items.length);
  const effortBy = (key: 'channel' | 'outcome') =>
    Object.fromEntries([...new Set(handled.map((item) => item[key]))].map((value) => [value, { cases: handled.filter((item) => item[key] === value).length, meanMinutesPerCase: meanOf(handled.filter((item) => item[key] === value)) }]));
  const meanMinutes = meanOf(handled);

  return {
    demand: { contacts: cases.length, byChannel, phone, digital, other: cases.length - phone - digital },
    screening: {
      irMarked: ir,
      irShareOfDigital: share(ir, digital),
      vulnerableAtFirstContact: cases.filter((row) => row.vulnerable).length,
      repeatCallers: cases.filter((row) => row.screening_reasons.includes('history:repeat-caller')).length,
    },
    gradeMix: countBy(ofType('assessed'), (event) => String(event.details.grade)),
    clocks,
    pausedByReason,
    attendance,
    resolution: {
      closed: closed.length,
      firstContactResolution: fcr.length,
      fcrShare: share(fcr.length, closed.length),
      recontactedWithin7Days: recontacted,
      recontactShare: share(recontacted, fcr.length),
    },
    outcomes: { byOutcome: countBy(closed, (event) => String(event.details.outcome)), byClosingCategory: countBy(closed, (event) => String(event.details.closingCategory)) },
    escalations: {
      raisedByKind: countBy(alerts, (alert) => alert.kind),
      raisedByLevel: countBy(alerts, (alert) => String(alert.level)),
      acknowledged: acknowledged.length,
      medianMinutesToAcknowledge: quantile(ackDurations, 0.5),
      p90MinutesToAcknowledge: quantile(ackDurations, 0.9),
    },
    downgrades: { proposed: downgrades('proposed'), approved: downgrades('approved'), refused: downgrades('refused') },
    effort: {
      cases: handled.length,
      handlingMinutes: handled.reduce((sum, item) => sum + item.minutes, 0),
      meanMinutesPerCase: meanMinutes,
      byChannel: effortBy('channel'),
      byOutcome: effortBy('outcome'),
      meanCostPerCase: meanMinutes === null ? null : (meanMinutes / 60) * EFFORT.costPerStaffHour,
    },
    supply: await expectedSupply(database),
    satisfaction: await expectedSatisfaction(database),
  };
}

/** The measures with every fractional number rounded (sums of minutes differ in their last bits by the order they are added in). */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1e6) / 1e6;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, rounded(child)]));
}

/** Every number of a measures object, by its path: what the CSV must carry. */
function flatten(value: unknown, path = ''): Array<[string, string]> {
  if (value === null) return [[path, '']];
  if (typeof value === 'number') return [[path, String(value)]];
  return Object.entries(value as object).flatMap(([key, child]) => flatten(child, path ? `${path}.${key}` : key));
}

describe('management information for the police authority', () => {
  const policy = { ...shortClockPolicy('test-mi', { digital: 3, repeat: 3_600 }), effort: EFFORT };
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let handler: ApiClient;
  let teamLeader: ApiClient;
  let auditor: ApiClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url, { POLICY_FILE: writePolicyFile(policy) });
    stack = await startStack(config);
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-5101');
    teamLeader = await apiAs(stack.apiUrl, Role.TeamLeader, 'sgt-5102');
    auditor = await apiAs(stack.apiUrl, Role.Auditor, 'aud-5103');
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  const open = async (body: Record<string, unknown>) => (await ok<{ reference: string }>(handler.post('/contacts', body))).reference;
  const recorded = (reference: string) =>
    waitUntil(async () => ((await database.query('select 1 from contact_case where reference = $1', [reference])).length > 0 ? true : undefined), { timeoutMs: 15_000, what: `${reference} recorded` });

  it('reports every measure as the case store shows it, as JSON and the same as CSV, counts only', async () => {
    // A resolved at first contact; its caller rings again later (a recontact within 7 days).
    const first = await open({ channel: Channel.NonEmergencyCall, caller: { name: 'Robin Example', phone: '07700 900555' }, narrative: 'Lost my wallet on the bus' });
    await ok(handler.post(`/contacts/${first}/assessments`, assessment({}, 4)));
    await ok(handler.post(`/contacts/${first}/incident`, { openingCategory: 'lost-found-property', qualifiers: [] }));
    await ok(handler.post(`/contacts/${first}/resolution`, { outcome: 'resolved-at-first-contact', closingCategory: 'lost-found-property' }));

    // A domestic abuse web submission (IR): assessed at grade 2, then downgraded with approval.
    const abuse = await open({ channel: Channel.WebForm, channelDetails: { title: 'Report abuse' }, caller: { name: 'Sam Example' }, narrative: 'My ex-partner hit me and keeps threatening me' });
    await ok(handler.post(`/contacts/${abuse}/assessments`, assessment({ threat: 'high', harm: 'medium' }, 2)));
    await ok(handler.post(`/contacts/${abuse}/assessments`, assessment({}, 4)));
    await ok(teamLeader.post(`/contacts/${abuse}/downgrade-approvals`, { approve: true, rationale: 'Suspect arrested; risk now low' }));

    // A 999 call from a vulnerable caller, graded 2 and attended at once.
    const urgent = await open({ channel: Channel.EmergencyCall, caller: { name: 'Pat Example', phone: '07700 900666' }, narrative: 'Someone is in my garden', flags: ['vulnerable-person'] });
    await ok(handler.post(`/contacts/${urgent}/assessments`, assessment({ threat: 'high', risk: 'medium', harm: 'medium' }, 2)));
    await ok(handler.post(`/contacts/${urgent}/attendance`, { event: 'dispatched', unit: 'AB12' }));
    await ok(handler.post(`/contacts/${urgent}/attendance`, { event: 'arrived' }));

    // An e-mail, signposted.
    const email = await open({ channel: Channel.Email, caller: { email: 'someone@example.org' }, narrative: 'Where do I report a pothole?' });
    await ok(handler.post(`/contacts/${email}/assessments`, assessment({}, 4)));
    await ok(handler.post(`/contacts/${email}/incident`, { openingCategory: 'advice', qualifiers: [] }));
    await ok(handler.post(`/contacts/${email}/resolution`, { outcome: 'signposted', closingCategory: 'advice', signpostedTo: 'The council' }));

    // A web submission no one actions: its 3 s clock warns and breaches; the team leader acknowledges
    // the breach and pauses the clock for a while.
    const waiting = await open({ channel: Channel.WebForm, channelDetails: { title: 'Noise' }, caller: { name: 'Lee Example' }, narrative: 'Loud music next door every night' });
    const breach = await waitUntil(
      async () => (await database.query<{ id: string }>("select id from case_alert where reference = $1 and kind = 'breach'", [waiting]))[0],
      { timeoutMs: 20_000, what: 'the breach alert' },
    );
    await ok(teamLeader.post(`/alerts/${encodeURIComponent(breach.id)}/acknowledgement`, { action: 'contacted-caller' }));
    await ok(teamLeader.post(`/contacts/${waiting}/clock-pauses`, { clock: 'digital-action-1', action: 'pause', reason: 'victim-unavailable' }));
    await ok(teamLeader.post(`/contacts/${waiting}/clock-pauses`, { clock: 'digital-action-1', action: 'resume' }));

    // The first caller again.
    const again = await open({ channel: Channel.NonEmergencyCall, caller: { name: 'Robin Example', phone: '+44 7700 900555' }, narrative: 'Someone handed in my wallet, thank you' });
    await Promise.all([first, abuse, urgent, email, waiting, again].map(recorded));
    await waitUntil(async () => ((await database.query("select 1 from case_event where type = 'clock-resumed'")).length > 0 ? true : undefined), { timeoutMs: 15_000, what: 'the resume recorded' });
    // Each closed case's caller is asked how it went, apart from the case: wait for the decisions.
    await waitUntil(async () => ((await database.query('select 1 from satisfaction_survey')).length === 2 ? true : undefined), { timeoutMs: 15_000, what: 'the closed cases’ surveys decided' });

    const day = 86_400_000;
    const from = new Date(Date.now() - day).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 2 * day).toISOString().slice(0, 10);
    const query = `from=${from}&to=${to}&groupBy=day`;
    const report = await ok<{
      periods: Array<{ start: string; end: string; measures: unknown }>;
      total: { start: string; end: string; measures: unknown; demandProfile: { byHourOfDay: number[]; byWeekday: number[] } };
      previous: { start: string; end: string; measures: { demand: { contacts: number } } };
      targets: Record<string, number>;
      unacknowledgedAlertsNow: number;
    }>(auditor.get(`/mi/measures?${query}`));

    const expected = await expectedMeasures(database);
    expect(rounded(report.total.measures)).toEqual(rounded(expected));
    // The scenario reaches what it means to: every part of the report has something in it.
    expect(expected).toMatchObject({
      demand: { contacts: 6, phone: 3, digital: 3 },
      screening: { irMarked: 1 },
      resolution: { closed: 2, firstContactResolution: 1, recontactedWithin7Days: 1 },
      downgrades: { proposed: 1, approved: 1 },
      escalations: { acknowledged: 1 },
      effort: { cases: 2 },
      // Every case here was taken by a handler as it arrived: acted on at once; no one signed in yet.
      supply: { firstActions: 6, meanMinutesToFirstAction: 0, availableHours: 0 },
      // Two closures: the first caller by telephone (called back), the e-mail asked by e-mail.
      satisfaction: { asked: 2, askedByRoute: { 'call-back': 1, email: 1 } },
    });
    // Each closed case took at least one session of the handler's, and costs at the policy's rate.
    expect(expected.effort.meanMinutesPerCase).toBeGreaterThanOrEqual(EFFORT.minutesPerSession);
    expect(expected.effort.meanCostPerCase).toBeCloseTo((expected.effort.meanMinutesPerCase! / 60) * 36, 10);
    expect(Object.keys(expected.pausedByReason)).toEqual(['victim-unavailable']);
    expect(Object.keys(expected.attendance)).toEqual(['grade 2 urban']);
    expect(report.periods).toHaveLength(3);
    expect(report.total.demandProfile.byHourOfDay.reduce((sum, count) => sum + count, 0)).toBe(6);
    expect(report.total.demandProfile.byWeekday.reduce((sum, count) => sum + count, 0)).toBe(6);
    expect(report.previous.measures.demand.contacts).toBe(0);
    expect(report.targets).toMatchObject({ onTimeShare: expect.any(Number) });
    expect(report.unacknowledgedAlertsNow).toBe(
      (await database.query<{ open: number }>('select count(*)::int as open from case_alert where acknowledged_at is null and closed_at is null'))[0].open,
    );

    // The CSV carries the same figures, row for row.
    const raw = await fetch(`${stack.apiUrl}/api/v1/mi/measures.csv?${query}`, { headers: { authorization: `Bearer ${await tokenFor(Role.Auditor, 'aud-5103')}` } });
    expect(raw.status).toBe(200);
    const text = await raw.text();
    expect(raw.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...lines] = text.trim().split('\n');
    expect(header).toBe('scope,period_start,period_end,measure,value');
    const scopes: Array<[string, { start: string; end: string; measures: unknown }]> = [
      ...report.periods.map((period) => ['period', period] as [string, { start: string; end: string; measures: unknown }]),
      ['total', report.total],
      ['previous', report.previous],
    ];
    const fromJson = scopes.flatMap(([scope, period]) => flatten(period.measures).map(([measure, value]) => [scope, period.start, period.end, measure, value].join(',')));
    expect(lines).toEqual(fromJson);

    // Counts only: nothing a caller said or is.
    for (const personal of ['Robin', 'Example', '07700', '900555', 'someone@example.org', 'wallet', 'ex-partner', 'Loud music']) {
      expect([personal, text.includes(personal), JSON.stringify(report).includes(personal)]).toEqual([personal, false, false]);
    }
  });

  it('sets the staff people recorded beside the contacts and their wait, by hour; a spell still going on counts as far as now', async () => {
    const connector = await apiAs(stack.apiUrl, Role.ChannelConnector, 'connector-5104');
    const presence = (client: ApiClient, state: string, team = 'contact-centre') => client.put<{ presence: { state: string; team: string }; changed: boolean; fields?: Array<{ field: string }> }>('/presence/me', { state, team });
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    // The handler signs in and works; the team leader signs in for another team and stays.
    expect((await presence(handler, 'available')).body).toMatchObject({ presence: { state: 'available', team: 'contact-centre' }, changed: true });
    expect((await presence(teamLeader, 'available', 'night-desk')).body).toMatchObject({ changed: true });
    // A web chat waits for the handler: its wait is the time until the handler's first note.
    const chat = await ok<{ reference: string }>(connector.post('/channels/webchat/messages', { platform: 'webchat', conversationId: 'mi-chat', messageId: 'mi-chat-1', handle: 'Visitor 7', text: 'Is anyone there?', sentAt: new Date().toISOString() }));
    await recorded(chat.reference);
    await pause(1_500);
    expect((await presence(handler, 'busy')).body).toMatchObject({ changed: true });
    // The same again records nothing: no second spell.
    expect((await presence(handler, 'busy')).body).toMatchObject({ presence: { state: 'busy' }, changed: false });
    await ok(handler.post(`/contacts/${chat.reference}/notes`, { text: 'Picked up the chat' }));
    await pause(1_000);
    expect((await presence(handler, 'away')).body).toMatchObject({ changed: true });
    await pause(500);
    expect((await presence(handler, 'signed-out')).body).toMatchObject({ presence: { state: 'signed-out' }, changed: true });
    await waitUntil(async () => ((await database.query("select 1 from case_event where reference = $1 and type = 'note'", [chat.reference])).length > 0 ? true : undefined), { timeoutMs: 15_000, what: 'the note recorded' });

    // Supervisors see who is signed in now; a state no one knows, or a role without the permission, is refused.
    const signedIn = await ok<{ items: Array<{ subject: string; state: string; team: string }> }>(teamLeader.get('/presence'));
    expect(signedIn.items.map((item) => [item.subject, item.state, item.team])).toEqual([['sgt-5102', 'available', 'night-desk']]);
    const unknown = await presence(handler, 'asleep');
    expect([unknown.status, unknown.body.fields?.map((problem) => problem.field)]).toEqual([400, ['state']]);
    expect((await presence(auditor, 'available')).status).toBe(403);
    expect((await handler.get('/presence')).status).toBe(403);
    expect(await database.query('select 1 from staff_presence_change where subject = $1', ['aud-5103'])).toHaveLength(0);

    const day = 86_400_000;
    const query = `from=${new Date(Date.now() - day).toISOString().slice(0, 10)}&to=${new Date(Date.now() + 2 * day).toISOString().slice(0, 10)}&groupBy=day`;
    type Report = { total: { measures: { supply: Record<string, number | null> }; demandProfile: { byHourOfDay: number[] }; supplyProfile: Record<string, Array<number | null>> } };

    // The handler's team: every spell ended, so the figures are exactly what the store recorded.
    const team = (await database.query<{ team: string }>('select team from contact_case where reference = $1', [chat.reference]))[0].team;
    const mine = await ok<Report>(auditor.get(`/mi/measures?${query}&team=${team}`));
    const expected = await expectedSupply(database, team);
    expect(rounded(mine.total.measures.supply)).toEqual(rounded(expected));
    expect(expected.availableHours * 3_600_000).toBeGreaterThanOrEqual(1_400);
    expect(expected.busyHours * 3_600_000).toBeGreaterThanOrEqual(900);
    expect(expected.awayHours * 3_600_000).toBeGreaterThanOrEqual(400);
    // Every case of the team acted on; the chat waited at least the 1.5 s before the handler's note.
    const cases = (await database.query<{ n: number }>('select count(*)::int as n from contact_case where team = $1', [team]))[0].n;
    expect(expected.firstActions).toBe(cases);
    expect(expected.meanMinutesToFirstAction! * cases * 60_000).toBeGreaterThanOrEqual(1_500);
    const profile = mine.total.supplyProfile;
    const total = (values: Array<number | null>) => values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
    expect(total(profile.availableHoursByHourOfDay)).toBeCloseTo(expected.availableHours, 9);
    expect(total(profile.busyHoursByHourOfDay)).toBeCloseTo(expected.busyHours, 9);
    const staffed = profile.availableHoursByHourOfDay.flatMap((hours, hour) => (hours! > 0 ? [hour] : []));
    for (const hour of staffed) expect(profile.contactsPerAvailableHourByHourOfDay[hour]).toBeCloseTo(mine.total.demandProfile.byHourOfDay[hour] / profile.availableHoursByHourOfDay[hour]!, 9);
    expect(profile.meanMinutesToFirstActionByHourOfDay.some((minutes) => minutes !== null && minutes > 0)).toBe(true);

    // The team leader's spell is still going on: it counts from when they signed in until the figures were read.
    const [{ since }] = await database.query<{ since: string }>('select since from staff_presence where subject = $1', ['sgt-5102']);
    const before = Date.now();
    const night = await ok<Report>(auditor.get(`/mi/measures?${query}&team=night-desk`));
    const after = Date.now();
    const liveMs = (night.total.measures.supply.availableHours as number) * 3_600_000;
    expect(liveMs).toBeGreaterThanOrEqual(before - new Date(since).getTime() - 50);
    expect(liveMs).toBeLessThanOrEqual(after - new Date(since).getTime() + 50);
    expect(total(night.total.supplyProfile.availableHoursByHourOfDay)).toBeCloseTo(liveMs / 3_600_000, 9);
  });

  it('is for those who oversee: a contact handler gets 403; a bad period is named', async () => {
    expect((await handler.get('/mi/measures?from=2026-01-01&to=2026-02-01&groupBy=month')).status).toBe(403);
    const backwards = await auditor.get<{ fields: Array<{ field: string }> }>('/mi/measures?from=2026-02-01&to=2026-01-01&groupBy=month');
    expect([backwards.status, backwards.body.fields.map((problem) => problem.field)]).toEqual([422, ['to']]);
    const notADay = await auditor.get<{ fields: Array<{ field: string }> }>('/mi/measures?from=2026-02-31&to=2026-04-01&groupBy=month');
    expect([notADay.status, notADay.body.fields.map((problem) => problem.field)]).toEqual([422, ['from']]);
    const badGrouping = await auditor.get<{ fields: Array<{ field: string }> }>('/mi/measures?from=2026-01-01&to=2026-02-01&groupBy=year');
    expect([badGrouping.status, badGrouping.body.fields.map((problem) => problem.field)]).toEqual([400, ['groupBy']]);
  });
});

describe('what-if: the recorded clocks under another policy', () => {
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let handler: ApiClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url);
    stack = await startStack(config);
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-5201');
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  it('finds, with the web submission clock at 24 h instead of 48 h, the submissions that would have breached', async () => {
    const hour = 3_600_000;
    // Web submissions received some hours ago (recorded after the fact), each on the policy's 48 h clock.
    const plan = [
      { name: 'actioned after 30 h', ageHours: 30, assess: true },
      { name: 'actioned after 10 h', ageHours: 10, assess: true },
      { name: 'actioned after 50 h (already late)', ageHours: 50, assess: true },
      { name: 'waiting 30 h', ageHours: 30, assess: false },
    ];
    const opened: Array<{ name: string; ageHours: number; assess: boolean; reference: string }> = [];
    for (const item of plan) {
      const created = await handler.post<{ reference: string }>('/contacts', {
        channel: Channel.WebForm,
        channelDetails: { title: 'Lost property' },
        caller: { name: 'Web Sender' },
        narrative: 'I lost a bag on the high street',
        receivedAt: new Date(Date.now() - item.ageHours * hour).toISOString(),
      });
      expect(created.status).toBe(201);
      if (item.assess) expect((await handler.post(`/contacts/${created.body.reference}/assessments`, assessment({}, 4))).status).toBe(201);
      opened.push({ ...item, reference: created.body.reference });
    }
    // A call runs no web submission clock, whatever the policy.
    expect((await handler.post('/contacts', { channel: Channel.NonEmergencyCall, caller: { name: 'A Caller' }, narrative: 'Noise at night' })).status).toBe(201);
    await waitUntil(
      async () => ((await database.query<{ n: number }>("select count(*)::int as n from case_event where type = 'clock-met' and details->>'clockKind' = 'digital-action'"))[0].n === 3 ? true : undefined),
      { timeoutMs: 15_000, what: 'the three assessments recorded' },
    );

    // Worked out here: under 24 h, a submission breaches when it waited longer than that; one that
    // breached under 48 h already is not news.
    const expected = opened.filter((item) => item.ageHours > 24 && item.ageHours <= 48).map((item) => item.reference).sort();

    const policy = policyWith('what-if-24h', { 'digital-action': { duration: { hours: 24 } } });
    const day = 86_400_000;
    const from = new Date(Date.now() - 4 * day).toISOString().slice(0, 10);
    const to = new Date(Date.now() + day).toISOString().slice(0, 10);
    const { stdout } = await run(process.execPath, ['dist/cli/mi-what-if.js', '--policy', writePolicyFile(policy), '--from', from, '--to', to, '--json'], {
      cwd: repository,
      env: { ...process.env, ...configToEnvironment(config) },
    });
    const report = JSON.parse(stdout) as {
      cases: number;
      byKind: Array<{ kind: string; clocks: number; recorded: { breached: number }; whatIf: { breached: number } }>;
      wouldHaveBreached: Array<{ reference: string; clock: string; metAt: string | null }>;
      wouldHaveBeenOnTime: unknown[];
    };
    expect(report.wouldHaveBreached.map((clock) => clock.reference).sort()).toEqual(expected);
    expect(report.wouldHaveBreached.every((clock) => clock.clock === 'digital-action-1')).toBe(true);
    expect(report.wouldHaveBeenOnTime).toEqual([]);
    expect(report.byKind.find((kind) => kind.kind === 'digital-action')).toEqual({
      kind: 'digital-action',
      clocks: 4,
      recorded: { onTime: 3, breached: 1, onTimeShare: 0.75 },
      whatIf: { onTime: 1, breached: 3, onTimeShare: 0.25 },
    });
    // The waiting submission has not been met: it is counted as breaching on the clock's reading now.
    expect(report.wouldHaveBreached.find((clock) => clock.reference === opened[3].reference)?.metAt).toBeNull();
  });
});
