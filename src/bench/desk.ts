/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type Browser, chromium } from 'playwright-core';
import { Channel } from '../domain/channels.js';
import { Role } from '../domain/roles.js';
import { percentile, startBenchSystem } from './system.js';

/**
 * The handler's desk with a long queue: seeds `--cases` open cases in the case store (10,000 by
 * default; their workflows are not started, as the queue reads the store alone), opens a few real
 * cases through the API, then loads the desk in Debian's Chromium `--loads` times for each screen
 * and times its first render from the start of the navigation: the queue until its first page of
 * rows is drawn, a case until its head and clocks are. Screenshots go to `--shots` (docs/images).
 *   npm run bench:desk -- [--cases 10000] [--loads 40] [--shots docs/images]
 */
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    loads: { type: 'string', default: '40' },
    shots: { type: 'string' },
  },
});
const total = Number(values.cases);
const loads = Number(values.loads);
const SUBJECT = 'pc-bench';

const system = await startBenchSystem();
let browser: Browser | undefined;
let executablePath: string;
try {
  const started = performance.now();
  // Open cases received over the last eight hours, in four teams, every stage but closed, each with
  // a clock: due nine hours after arrival, or (one in 17) twenty minutes after, so that some have
  // breached; one in 29 IR.
  await system.database.query(
    `insert into contact_case (reference, workflow_id, channel, received_at, policy_version, team, area, assignee, created_by_subject, created_by_role, flags,
       risk_marker, domestic_abuse, sexual_offence, vulnerable, screening_reasons, caller, narrative, stage, grade, priority_rank, next_due_at,
       escalation_level, clocks, breached, version, updated_at)
     select 'XD-' || to_char(t, 'YYYYMMDD') || '-' || lpad(i::text, 6, '0'), 'contact-bench-' || i,
       (array['emergency-call','non-emergency-call','web-form','email','sms','social-media','face-to-face'])[1 + i % 7],
       t, 'bench', 'team-' || (i % 4), 'urban', case when i % 3 = 0 then 'web-intake' else 'pc-' || (i % 40) end, 'web-intake', 'customer-service-centre', '{}',
       case when i % 29 = 0 then 'IR' end, i % 13 = 0, false, i % 11 = 0, '{}', '{}'::jsonb, 'bench',
       (array['triage','recording','resolution'])[1 + i % 3], case when i % 3 = 0 then null else 1 + i % 4 end, case when i % 29 = 0 then 0 else 1 end,
       d,
       0, jsonb_build_array(jsonb_build_object('id', 'digital-action-1', 'kind', 'digital-action', 'label', 'web submission actioned', 'grade', null,
         'startedAt', to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'warnAt', to_char((t + interval '6 hours') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'dueAt', to_char(d at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'state', case when d < now() then 'breached' else 'running' end)),
       d < now(), 1, t
     from (select i, t, case when i % 17 = 0 then t + interval '20 minutes' else t + interval '9 hours' end as d
           from (select i, now() - (i * interval '8 hours') / $1::int as t from generate_series(1, $1::int) as i) as a) as s`,
    [total],
  );
  await system.database.query('vacuum analyze contact_case');
  const seedSeconds = (performance.now() - started) / 1000;
  const handler = await system.tokenFor([Role.ContactHandler], SUBJECT);
  // Real cases, each with its workflow, for the case screen.
  const references: string[] = [];
  for (let index = 0; index < 10; index += 1) {
    const created = await system.api.post<{ reference: string }>('/contacts', {
      channel: Channel.WebForm,
      channelDetails: { title: 'Report a crime' },
      caller: { name: 'Bench Caller', email: `bench${index}@example.org` },
      narrative: 'Someone has damaged the fence at the back of the garden',
      flags: index % 2 === 0 ? ['domestic-abuse'] : [],
    });
    if (created.status !== 201) throw new Error(`intake answered ${created.status}`);
    references.push(created.body.reference);
  }

  executablePath = execFileSync('sh', ['scripts/ensure-chromium.sh'], { encoding: 'utf8' }).trim();
  browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  // Signed in as a browser keeps it: the token in the tab's session storage.
  await context.addInitScript((token) => sessionStorage.setItem('desk.token', token), handler);
  const page = await context.newPage();

  /** Navigates and returns the page's own clock (ms since the navigation began) once the screen is drawn. */
  async function firstRender(url: string, screen: 'queue' | 'case'): Promise<number> {
    await page.goto('about:blank');
    await page.goto(url);
    // A function, not a string: the page's policy allows no eval.
    const handle = await page.waitForFunction(
      (which) => {
        const drawn = which === 'queue' ? document.querySelectorAll('table.queue tbody tr').length === 50 : document.getElementById('case-title') !== null && document.querySelectorAll('table tbody tr').length > 0;
        return drawn ? performance.now() : false;
      },
      screen,
      { timeout: 30_000, polling: 'raf' },
    );
    return Number(await handle.jsonValue());
  }
  // Once each to warm the API's and the browser's caches, as a person's second load would be.
  await firstRender(`${system.apiUrl}/desk#/queue`, 'queue');
  await firstRender(`${system.apiUrl}/desk#/case/${references[0]}`, 'case');
  const queue: number[] = [];
  const cases: number[] = [];
  for (let load = 0; load < loads; load += 1) {
    queue.push(await firstRender(`${system.apiUrl}/desk#/queue`, 'queue'));
    cases.push(await firstRender(`${system.apiUrl}/desk#/case/${references[load % references.length]}`, 'case'));
  }
  await firstRender(`${system.apiUrl}/desk#/queue`, 'queue');
  const counted = (await page.textContent('section .muted')) ?? '';
  if (values.shots) {
    mkdirSync(values.shots, { recursive: true });
    await page.screenshot({ path: `${values.shots}/desk-queue.png` });
    await firstRender(`${system.apiUrl}/desk#/case/${references[0]}`, 'case');
    await page.click('summary:text-is("Assess")');
    await page.screenshot({ path: `${values.shots}/desk-case.png`, fullPage: false });
  }
  await browser.close();
  browser = undefined;

  const line = (label: string, samples: number[]) => {
    const sorted = [...samples].sort((a, b) => a - b);
    return `  ${label.padEnd(28)} p50 ${percentile(sorted, 50).toFixed(0).padStart(5)} ms   p99 ${percentile(sorted, 99).toFixed(0).padStart(5)} ms   max ${sorted[sorted.length - 1].toFixed(0).padStart(5)} ms`;
  };
  console.log(`
${system.describe()}
Browser: ${executablePath} (headless), 1400 × 1000
Seeded:  ${total} open cases in the store in ${seedSeconds.toFixed(1)} s; the queue shows "${counted.trim()}"

First render, from the start of the navigation (${loads} loads each, the desk's files cached):
${line('queue (first page of 50)', queue)}
${line('a case (head and clocks)', cases)}
`);
} finally {
  await browser?.close();
  await system.stop();
}
