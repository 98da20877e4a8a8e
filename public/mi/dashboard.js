// The management information page: signs a browser user in (authorization code with PKCE at the
// force's identity provider, or the development sign-in outside production), then reads
// /api/v1/mi/measures with the access token and draws each measure over time with Chart.js,
// served by the API itself. The page holds no data of its own: every figure is a count.

const $ = (id) => document.getElementById(id);
const TOKEN = 'mi-access-token';
const PKCE = 'mi-pkce';
const redirectUri = `${location.origin}/mi`;
const charts = [];
let lastQuery = '';

const show = (id, visible = true) => {
  $(id).hidden = !visible;
};
const say = (text) => {
  $('message').textContent = text;
  show('message', Boolean(text));
};

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

async function pkcePair() {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

async function startOidc(signIn) {
  const { verifier, challenge } = await pkcePair();
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state }));
  const url = new URL(signIn.authorizationUrl);
  const parameters = { response_type: 'code', client_id: signIn.clientId, redirect_uri: redirectUri, scope: signIn.scope, state, code_challenge: challenge, code_challenge_method: 'S256' };
  for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
  location.assign(url.toString());
}

async function finishOidc(signIn, parameters) {
  const saved = JSON.parse(sessionStorage.getItem(PKCE) ?? 'null');
  sessionStorage.removeItem(PKCE);
  history.replaceState(null, '', '/mi');
  if (parameters.get('error')) throw new Error(`The identity provider refused the sign-in: ${parameters.get('error')}`);
  if (!saved || saved.state !== parameters.get('state')) throw new Error('The sign-in did not come back as it went out: try again.');
  const response = await fetch(signIn.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: parameters.get('code'), redirect_uri: redirectUri, client_id: signIn.clientId, code_verifier: saved.verifier }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.access_token !== 'string') throw new Error('The identity provider did not give an access token.');
  sessionStorage.setItem(TOKEN, body.access_token);
}

async function developmentSignIn(event) {
  event.preventDefault();
  const response = await fetch('/mi/sign-in/development', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: $('dev-role').value, subject: $('dev-subject').value }),
  });
  const body = await response.json();
  if (!response.ok) return say(body.message ?? 'The development sign-in was refused.');
  sessionStorage.setItem(TOKEN, body.accessToken);
  await signedIn();
}

function signOut() {
  sessionStorage.removeItem(TOKEN);
  location.assign('/mi');
}

function subjectOf(token) {
  try {
    const claims = JSON.parse(atob(token.split('.')[1].replaceAll('-', '+').replaceAll('_', '/')));
    return claims.sub ?? '';
  } catch {
    return '';
  }
}

const isoDay = (date) => date.toISOString().slice(0, 10);
function defaultPeriod() {
  const now = new Date();
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
  return { from: isoDay(from), to: isoDay(to) };
}

function query() {
  const parameters = new URLSearchParams({ from: $('from').value, to: $('to').value, groupBy: $('group-by').value });
  if ($('team').value) parameters.set('team', $('team').value);
  return parameters.toString();
}

async function api(path) {
  return fetch(path, { headers: { authorization: `Bearer ${sessionStorage.getItem(TOKEN)}` } });
}

async function load(event) {
  event?.preventDefault();
  lastQuery = query();
  const response = await api(`/api/v1/mi/measures?${lastQuery}`);
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN);
    return start();
  }
  const body = await response.json();
  if (response.status === 403) {
    show('report', false);
    return say('Your roles do not include management information (mi:read). Ask for it to be granted if you oversee the service.');
  }
  if (!response.ok) return say(`${body.message ?? 'The figures could not be read'}${body.fields ? `: ${body.fields.map((problem) => `${problem.field} ${problem.message}`).join('; ')}` : ''}`);
  say('');
  show('report');
  render(body);
  await benchmark();
}

async function download() {
  const response = await api(`/api/v1/mi/measures.csv?${lastQuery || query()}`);
  if (!response.ok) return say('The CSV could not be read.');
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = `measures-${$('from').value}-${$('to').value}-${$('group-by').value}.csv`;
  link.click();
  URL.revokeObjectURL(link.href);
}

async function downloadDataset() {
  const response = await api(`/api/v1/mi/dataset.csv?${lastQuery || query()}`);
  if (!response.ok) return say('The open dataset could not be read.');
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'measures.csv';
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

const DATASET_COLUMNS = ['force', 'scope', 'period_start', 'period_end', 'measure', 'unit', 'value'];
/** The units the dataset's schema names (version 1 had all but hours and rating). */
const DATASET_UNITS = ['count', 'share', 'minutes', 'hours', 'rating', 'cost'];
/** A larger file is not a dataset of this kind (three years by day is well under this). */
const DATASET_MAX_BYTES = 50 * 1024 * 1024;

/** The rows of a CSV text (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += char;
    }
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/**
 * A force's open dataset read into its whole-period figures, checked as the schema states it:
 * the header, the force's code, the scope, the unit and the value of every row (a fault names its line).
 */
function readDataset(text) {
  const [header, ...lines] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header || header.join(',') !== DATASET_COLUMNS.join(',')) throw new Error(`The file is not an open dataset of these measures: its first line must be ${DATASET_COLUMNS.join(',')}.`);
  const figures = new Map();
  let force = null;
  let period = null;
  for (const [index, cells] of lines.entries()) {
    if (cells.length === 1 && cells[0] === '') continue;
    const line = index + 2;
    if (cells.length !== DATASET_COLUMNS.length) throw new Error(`Line ${line} has ${cells.length} fields, not ${DATASET_COLUMNS.length}.`);
    const row = Object.fromEntries(DATASET_COLUMNS.map((column, at) => [column, cells[at]]));
    if (!/^[A-Z]{2,4}$/.test(row.force) || (force !== null && row.force !== force)) throw new Error(`Line ${line}: the force must be one code of 2 to 4 capital letters throughout.`);
    if (!['period', 'total', 'previous'].includes(row.scope)) throw new Error(`Line ${line}: the scope must be period, total or previous.`);
    if (!DATASET_UNITS.includes(row.unit)) throw new Error(`Line ${line}: the unit must be one of ${DATASET_UNITS.join(', ')}.`);
    if (row.value !== '' && !Number.isFinite(Number(row.value))) throw new Error(`Line ${line}: the value must be a number, or empty.`);
    force = row.force;
    if (row.scope !== 'total') continue;
    period = { start: row.period_start, end: row.period_end };
    figures.set(row.measure, { unit: row.unit, value: row.value === '' ? null : Number(row.value) });
  }
  if (force === null || period === null) throw new Error('The file holds no figures for a whole period.');
  return { force, period, figures };
}

/** A figure as people read it: a share as a percentage, minutes as "at most N". */
function shown(figure) {
  if (!figure) return 'not counted';
  if (figure.value === null) return '–';
  if (figure.unit === 'share') return `${(Math.round(figure.value * 1000) / 10).toFixed(1)}%`;
  if (figure.unit === 'cost' || figure.unit === 'rating') return figure.value.toFixed(2);
  if ((figure.unit === 'minutes' || figure.unit === 'hours') && !Number.isInteger(figure.value)) return figure.value.toFixed(1);
  return String(figure.value);
}

let benchmarkFile = null;

/** Sets the other force's dataset beside this force's, for the period asked for. */
async function benchmark() {
  if (!benchmarkFile) return;
  const note = $('benchmark-note');
  try {
    if (benchmarkFile.size > DATASET_MAX_BYTES) throw new Error('The file is too large to be an open dataset of these measures.');
    const theirs = readDataset(await benchmarkFile.text());
    const response = await api(`/api/v1/mi/dataset.csv?${lastQuery || query()}`);
    if (!response.ok) throw new Error("This force's open dataset could not be read.");
    const ours = readDataset(await response.text());
    const measures = [...new Set([...ours.figures.keys(), ...theirs.figures.keys()])];
    $('benchmark-ours').textContent = `${ours.force} (this force)`;
    $('benchmark-theirs').textContent = theirs.force;
    fillTable('benchmark', measures.map((measure) => {
      const figure = ours.figures.get(measure) ?? theirs.figures.get(measure);
      return [measure, figure.unit, shown(ours.figures.get(measure)), shown(theirs.figures.get(measure))];
    }));
    const day = (instant) => instant.slice(0, 10);
    note.textContent = `${ours.force}: ${day(ours.period.start)} to ${day(ours.period.end)}; ${theirs.force}: ${day(theirs.period.start)} to ${day(theirs.period.end)}. Counts depend on a force's size; shares and times compare directly.`;
    show('benchmark');
  } catch (error) {
    show('benchmark', false);
    note.textContent = error.message;
  }
}

const tenths = (value) => (value === null || value === undefined ? null : Math.round(value * 10) / 10);
const hundredths = (value) => (value === null || value === undefined ? null : Math.round(value * 100) / 100);
const percent = (share) => (share === null || share === undefined ? null : Math.round(share * 1000) / 10);
const label = (period, groupBy) => {
  const day = period.start.slice(0, 10);
  return groupBy === 'month' ? day.slice(0, 7) : day;
};
const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f'];

function figure(title, note) {
  const box = document.createElement('figure');
  const caption = document.createElement('figcaption');
  caption.textContent = title;
  const text = document.createElement('p');
  text.textContent = note;
  // Chart.js sizes a responsive chart to its container: a box of fixed height keeps it so.
  const frame = document.createElement('div');
  frame.className = 'chart-box';
  const canvas = document.createElement('canvas');
  frame.append(canvas);
  box.append(caption, text, frame);
  $('charts').append(box);
  return canvas;
}

function chart(title, note, type, labels, datasets, options = {}) {
  const canvas = figure(title, note);
  charts.push(
    new window.Chart(canvas, {
      type,
      data: { labels, datasets: datasets.map((set, index) => ({ borderColor: palette[index % palette.length], backgroundColor: palette[index % palette.length], ...set })) },
      options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } }, ...options },
    }),
  );
}

const target = (name, value, length) => ({ label: name, data: Array(length).fill(value), borderDash: [6, 4], pointRadius: 0, borderColor: '#444', backgroundColor: '#444', type: 'line' });

function comparison(report) {
  const now = report.total.measures;
  const before = report.previous.measures;
  const onTime = (measures) => {
    const clocks = Object.values(measures.clocks);
    const met = clocks.reduce((sum, clock) => sum + clock.metOnTime + clock.metLate, 0);
    return met === 0 ? null : clocks.reduce((sum, clock) => sum + clock.metOnTime, 0) / met;
  };
  const breaches = (measures) => Object.values(measures.clocks).reduce((sum, clock) => sum + clock.breached, 0);
  const rows = [
    ['Contacts', now.demand.contacts, before.demand.contacts, null, ''],
    ['Clocks met on time (%)', percent(onTime(now)), percent(onTime(before)), percent(report.targets.onTimeShare), 'at least'],
    ['Clocks breached', breaches(now), breaches(before), null, ''],
    ['First contact resolution (%)', percent(now.resolution.fcrShare), percent(before.resolution.fcrShare), null, ''],
    ['… of which recontact within 7 days (%)', percent(now.resolution.recontactShare), percent(before.resolution.recontactShare), percent(report.targets.recontactShareAtMost), 'at most'],
    ['Vulnerable callers identified at first contact', now.screening.vulnerableAtFirstContact, before.screening.vulnerableAtFirstContact, null, ''],
    ['Repeat callers', now.screening.repeatCallers, before.screening.repeatCallers, null, ''],
    ['Alerts raised', Object.values(now.escalations.raisedByKind).reduce((a, b) => a + b, 0), Object.values(before.escalations.raisedByKind).reduce((a, b) => a + b, 0), null, ''],
    ['Median minutes to acknowledge (at most)', now.escalations.medianMinutesToAcknowledge, before.escalations.medianMinutesToAcknowledge, report.targets.acknowledgeWithinMinutes, 'at most'],
    ['Alerts unacknowledged now', report.unacknowledgedAlertsNow, null, null, ''],
    ['Downgrades approved / proposed', `${now.downgrades.approved} / ${now.downgrades.proposed}`, `${before.downgrades.approved} / ${before.downgrades.proposed}`, null, ''],
    ["Handling minutes per closed case (people's time, estimated)", tenths(now.effort.meanMinutesPerCase), tenths(before.effort.meanMinutesPerCase), null, ''],
    ...(now.effort.meanCostPerCase === null && before.effort.meanCostPerCase === null ? [] : [['Cost per closed case', hundredths(now.effort.meanCostPerCase), hundredths(before.effort.meanCostPerCase), null, '']]),
    ['Staff hours available (as people recorded it)', tenths(now.supply.availableHours), tenths(before.supply.availableHours), null, ''],
    ["Minutes from arrival to a person's first action (mean)", tenths(now.supply.meanMinutesToFirstAction), tenths(before.supply.meanMinutesToFirstAction), null, ''],
    ['Callers asked how it went / answers', `${now.satisfaction.asked} / ${now.satisfaction.answered}`, `${before.satisfaction.asked} / ${before.satisfaction.answered}`, null, ''],
    ['Satisfied or very satisfied (%)', percent(now.satisfaction.satisfiedShare), percent(before.satisfaction.satisfiedShare), null, ''],
    ['Mean rating (1 to 5)', hundredths(now.satisfaction.meanRating), hundredths(before.satisfaction.meanRating), null, ''],
  ];
  const body = $('comparison').querySelector('tbody');
  body.replaceChildren(
    ...rows.map(([name, current, previous, goal, sense]) => {
      const row = document.createElement('tr');
      const change = typeof current === 'number' && typeof previous === 'number' ? (current - previous).toFixed(1).replace(/\.0$/, '') : '';
      for (const value of [name, current ?? '–', previous ?? '–', change && Number(change) > 0 ? `+${change}` : change, goal === null ? '' : `${sense} ${goal}`]) {
        const cell = document.createElement('td');
        cell.textContent = String(value);
        row.append(cell);
      }
      return row;
    }),
  );
}

function drills(report) {
  const { schedule, timeZone, latest } = report.continuityDrills;
  const scheduled = schedule === 'off' ? 'No drill is scheduled.' : `Drills run by themselves on the schedule ${schedule} (${timeZone}).`;
  const done = latest.length === 0 ? 'No drill has run yet.' : `The last ${latest.length}, newest first: synthetic cases, a worker restarted, every clock and alert checked.`;
  $('drills-note').textContent = `${scheduled} ${done}`;
  const seconds = (ms) => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`);
  fillTable(
    'drills',
    latest.map((drill) => [drill.finishedAt.slice(0, 16).replace('T', ' '), drill.trigger === 'schedule' ? 'schedule' : 'by hand', drill.outcome, `${drill.alarmsOnTime} of ${drill.alarmsExpected}`, seconds(drill.maxLatenessMs), `${drill.alertsDelivered} of ${drill.alertsExpected}`, seconds(drill.workerDownMs)]),
  );
}

/** A table body of rows, each cell's text as given (a `failed` or `divergent` cell marked). */
function fillTable(id, rows) {
  $(id).querySelector('tbody').replaceChildren(
    ...rows.map((values) => {
      const row = document.createElement('tr');
      for (const value of values) {
        const cell = document.createElement('td');
        cell.textContent = value;
        if (value === 'failed' || value === 'divergent') cell.className = 'failed';
        row.append(cell);
      }
      return row;
    }),
  );
}

function reconciliations(report) {
  const { schedule, timeZone, latest } = report.storeReconciliations;
  const scheduled = schedule === 'off' ? 'No comparison is scheduled.' : `The case store is compared with every case's workflow on the schedule ${schedule} (${timeZone}).`;
  const done = latest.length === 0 ? 'No comparison has run yet.' : `The last ${latest.length}, newest first (auditors read each difference).`;
  $('reconciliations-note').textContent = `${scheduled} ${done}`;
  fillTable(
    'reconciliations',
    latest.map((run) => [run.finishedAt.slice(0, 16).replace('T', ' '), run.trigger === 'schedule' ? 'schedule' : 'by hand', run.outcome, String(run.cases), String(run.divergentCases)]),
  );
}

function render(report) {
  for (const old of charts.splice(0)) old.destroy();
  $('charts').replaceChildren();
  $('period-note').textContent = `${report.from.slice(0, 10)} to ${report.to.slice(0, 10)} (${report.timeZone}), by ${report.groupBy}${report.team ? `, team ${report.team}` : ', every team'}; compared with ${report.previous.start.slice(0, 10)} to ${report.previous.end.slice(0, 10)}.`;
  comparison(report);
  drills(report);
  reconciliations(report);
  const labels = report.periods.map((period) => label(period, report.groupBy));
  const series = (pick) => report.periods.map((period) => pick(period.measures));
  const n = labels.length;

  chart('Contacts by kind of channel', 'Calls against digital contact, each period.', 'bar', labels, [
    { label: 'calls', data: series((m) => m.demand.phone) },
    { label: 'digital', data: series((m) => m.demand.digital) },
    { label: 'other', data: series((m) => m.demand.other) },
  ], { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } });

  const kinds = [...new Set(report.periods.flatMap((period) => Object.keys(period.measures.clocks)))].sort();
  chart('Clocks met on time (%)', 'Each clock kind against the target; breaches are beside it.', 'line', labels, [
    ...kinds.map((kind) => ({ label: kind, data: series((m) => percent(m.clocks[kind]?.onTimeShare)), spanGaps: true })),
    target('target', percent(report.targets.onTimeShare), n),
  ], { scales: { y: { min: 0, max: 100 } } });
  chart('Clocks breached', 'Breaches in each period, by clock kind.', 'bar', labels, kinds.map((kind) => ({ label: kind, data: series((m) => m.clocks[kind]?.breached ?? 0) })), {
    scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
  });

  const attendance = [...new Set(report.periods.flatMap((period) => Object.keys(period.measures.attendance)))].sort();
  chart('Attendance within target (%)', 'By grade and area, against the target.', 'line', labels, [
    ...attendance.map((key) => ({ label: key, data: series((m) => percent(m.attendance[key]?.onTimeShare)), spanGaps: true })),
    target('target', percent(report.targets.attendanceOnTimeShare), n),
  ], { scales: { y: { min: 0, max: 100 } } });

  chart('First contact resolution and recontact within 7 days (%)', 'Never one without the other: a high FCR with a high recontact share means cases closed too soon.', 'line', labels, [
    { label: 'resolved at first contact', data: series((m) => percent(m.resolution.fcrShare)), spanGaps: true },
    { label: 'recontact within 7 days', data: series((m) => percent(m.resolution.recontactShare)), spanGaps: true },
    target('recontact: at most', percent(report.targets.recontactShareAtMost), n),
  ], { scales: { y: { min: 0, max: 100 } } });

  chart('Alerts and time to acknowledge', 'Alerts raised (bars) and the median minutes to acknowledge them (line, right), against the target.', 'bar', labels, [
    { label: 'alerts raised', data: series((m) => Object.values(m.escalations.raisedByKind).reduce((a, b) => a + b, 0)), yAxisID: 'y' },
    { label: 'median minutes to acknowledge', data: series((m) => m.escalations.medianMinutesToAcknowledge), type: 'line', yAxisID: 'minutes', spanGaps: true },
    { ...target('target minutes', report.targets.acknowledgeWithinMinutes, n), yAxisID: 'minutes' },
  ], { scales: { y: { beginAtZero: true }, minutes: { position: 'right', beginAtZero: true } } });

  chart('Repeat and vulnerable callers at first contact', 'Contacts flagged at intake, each period.', 'bar', labels, [
    { label: 'vulnerable', data: series((m) => m.screening.vulnerableAtFirstContact) },
    { label: 'repeat callers', data: series((m) => m.screening.repeatCallers) },
    { label: 'IR marked', data: series((m) => m.screening.irMarked) },
  ], { scales: { y: { beginAtZero: true } } });

  const profile = report.total.demandProfile;
  chart('Contacts by hour of the day', `The whole period, ${report.timeZone}.`, 'bar', profile.byHourOfDay.map((_, hour) => `${String(hour).padStart(2, '0')}:00`), [{ label: 'contacts', data: profile.byHourOfDay }]);
  chart('Contacts by day of the week', 'The whole period.', 'bar', ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], [{ label: 'contacts', data: profile.byWeekday }]);
  const supply = report.total.supplyProfile;
  chart(
    'Supply against demand by hour of the day',
    `The whole period, ${report.timeZone}: contacts arriving and the staff hours recorded as available (bars), and the mean minutes from a contact's arrival to a person's first action on it (line, right).`,
    'bar',
    profile.byHourOfDay.map((_, hour) => `${String(hour).padStart(2, '0')}:00`),
    [
      { label: 'contacts', data: profile.byHourOfDay, yAxisID: 'y' },
      { label: 'staff hours available', data: supply.availableHoursByHourOfDay.map(tenths), yAxisID: 'y' },
      { label: 'minutes to first action', data: supply.meanMinutesToFirstActionByHourOfDay.map(tenths), type: 'line', yAxisID: 'minutes', spanGaps: true },
    ],
    { scales: { y: { beginAtZero: true }, minutes: { position: 'right', beginAtZero: true } } },
  );

  const effort = report.total.measures.effort;
  chart("People's handling time per closed case (minutes)", "The whole period, by channel: each work session from its first command to its last, plus the policy's minutes for the first.", 'bar', Object.keys(effort.byChannel), [
    { label: 'minutes per case', data: Object.values(effort.byChannel).map((figures) => tenths(figures.meanMinutesPerCase)) },
  ], { scales: { y: { beginAtZero: true } } });

  const satisfaction = report.total.measures.satisfaction;
  chart('Satisfaction by channel', 'The whole period: the answers of callers asked how it went once their case closed (ratings only; comments are never shown here), and their mean rating from 1 to 5 (line, right).', 'bar', Object.keys(satisfaction.byChannel), [
    { label: 'answers', data: Object.values(satisfaction.byChannel).map((figures) => figures.answered), yAxisID: 'y' },
    { label: 'mean rating', data: Object.values(satisfaction.byChannel).map((figures) => hundredths(figures.meanRating)), type: 'line', yAxisID: 'rating' },
  ], { scales: { y: { beginAtZero: true }, rating: { position: 'right', min: 1, max: 5 } } });

  const grades = report.total.measures.gradeMix;
  chart('Grade mix', 'First grade given, the whole period.', 'bar', Object.keys(grades).map((grade) => `grade ${grade}`), [{ label: 'cases', data: Object.values(grades) }]);
  const outcomes = report.total.measures.outcomes.byOutcome;
  chart('Outcomes', 'Cases closed, the whole period.', 'bar', Object.keys(outcomes), [{ label: 'cases', data: Object.values(outcomes) }]);
}

async function signedIn() {
  show('sign-in', false);
  $('who-text').textContent = `Signed in as ${subjectOf(sessionStorage.getItem(TOKEN))}`;
  show('who');
  const { from, to } = defaultPeriod();
  if (!$('from').value) $('from').value = from;
  if (!$('to').value) $('to').value = to;
  await load();
}

async function start() {
  const signIn = await (await fetch('/mi/sign-in')).json();
  const parameters = new URLSearchParams(location.search);
  try {
    if (signIn.mode === 'oidc' && (parameters.has('code') || parameters.has('error'))) await finishOidc(signIn, parameters);
  } catch (error) {
    say(error.message);
  }
  if (sessionStorage.getItem(TOKEN)) return signedIn();
  show('sign-in');
  if (signIn.mode === 'oidc') {
    show('sign-in-oidc');
    $('sign-in-oidc').onclick = () => startOidc(signIn);
  } else if (signIn.mode === 'development') {
    $('dev-role').replaceChildren(...signIn.roles.map((role) => Object.assign(document.createElement('option'), { value: role, textContent: role, selected: role === 'auditor' })));
    show('sign-in-development');
  } else {
    $('sign-in-text').textContent = 'No sign-in is configured for this page (OIDC_AUTHORIZATION_URL, OIDC_TOKEN_URL and OIDC_CLIENT_ID).';
  }
}

$('sign-in-development').addEventListener('submit', (event) => void developmentSignIn(event));
$('sign-out').addEventListener('click', signOut);
$('query').addEventListener('submit', (event) => void load(event));
$('download').addEventListener('click', () => void download());
$('download-dataset').addEventListener('click', () => void downloadDataset());
$('benchmark-file').addEventListener('change', (event) => {
  benchmarkFile = event.target.files?.[0] ?? null;
  void benchmark();
});
window.addEventListener('load', () => void start());
