import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultPolicyFile } from '../config/app-config.js';
import { Channel } from '../domain/channels.js';
import { type ContactPolicy } from '../domain/policy.js';
import { waitUntil } from '../modules/platform/process/child-process.js';
import { loadPolicyFile } from '../modules/policy/policy.loader.js';
import { Role } from '../domain/roles.js';
import { type AlertView } from '../modules/alerts/alert-queries.service.js';
import { openAlertStream } from '../cli/alert-stream-client.js';
import { memoryOf, percentile, startBenchSystem } from './system.js';

/**
 * Clocks falling due at volume: opens many cases through the API at a steady rate (web
 * submissions, each with its action clock running, a quarter of them on the domestic abuse clock),
 * then waits for every clock to warn and breach, and reports how late each alarm was raised (the
 * alert row's time against the alarm's due time), how soon each alert reached a supervisor's open
 * alert stream (Server-Sent Events), and the worker's peak memory. The clocks
 * fall due at the rate the cases were opened; the benchmark's policy warns at half-time, so that
 * warnings and breaches come in two waves rather than on top of each other.
 *   npm run bench:clocks -- [--cases 10000] [--rate 25] [--clock-seconds 900] [--database-url postgres://…]
 */
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    'clock-seconds': { type: 'string', default: '900' },
    rate: { type: 'string', default: '25' },
    concurrency: { type: 'string', default: '16' },
    'database-url': { type: 'string' },
  },
});
const cases = Number(values.cases);
const clockSeconds = Number(values['clock-seconds']);
const concurrency = Number(values.concurrency);
const rate = Number(values.rate);

// The national defaults with the submission clocks shortened so that the run ends today; an hour's
// repeat keeps re-escalation out of the measurement. The regular risk reviews (optional clocks) are
// left out, so that each case runs the one clock measured, as in the runs before they existed.
const base = loadPolicyFile(defaultPolicyFile).policy;
const { 'risk-review': _review, 'risk-review-ir': _reviewIr, ...measuredClocks } = base.clocks;
const policy: ContactPolicy = {
  ...base,
  version: `bench-clocks-${clockSeconds}s`,
  clocks: {
    ...measuredClocks,
    'digital-action': { ...base.clocks['digital-action'], duration: { seconds: clockSeconds }, warnAt: 0.5, repeatEvery: { hours: 1 } },
    'digital-action-risk': { ...base.clocks['digital-action-risk'], duration: { seconds: clockSeconds }, warnAt: 0.5, repeatEvery: { hours: 1 } },
  },
};
const policyFile = join(mkdtempSync(join(tmpdir(), 'bench-policy-')), 'policy.json');
writeFileSync(policyFile, JSON.stringify(policy));

const system = await startBenchSystem({ databaseUrl: values['database-url'], environment: { POLICY_FILE: policyFile } });
// Ctrl-C stops the system too.
process.once('SIGINT', () => void system.stop().finally(() => process.exit(130)));
const { api, database } = system;
// A client with the stream open throughout, as a control room's screen would be: it is addressed
// the warnings (contact handler) and the breaches (team leader).
const watcher = await openAlertStream<AlertView>(system.apiUrl, await system.tokenFor([Role.ContactHandler, Role.TeamLeader], 'sgt-bench'));
if (watcher.status !== 200) throw new Error(`the alert stream answered ${watcher.status}`);
let peakSampledMiB = 0;
const sampler = setInterval(() => {
  peakSampledMiB = Math.max(peakSampledMiB, memoryOf(system.pids().worker).currentMiB);
}, 1_000);

try {
  const opened = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < cases; index = next++) {
        // A steady arrival rate, as contacts come in, rather than as fast as the machine allows.
        const due = opened + (index * 1000) / rate;
        if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
        const answer = await api.post(
          '/contacts',
          {
            channel: Channel.WebForm,
            channelDetails: { title: 'Online report' },
            caller: { name: `Bench Caller ${index}`, email: `caller${index}@example.org` },
            narrative: index % 4 === 0 ? 'My ex-partner keeps threatening me by message' : 'My bicycle was stolen from the station',
          },
          { 'Idempotency-Key': randomUUID() },
        );
        if (answer.status !== 201) throw new Error(`intake answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      }
    }),
  );
  const openSeconds = (performance.now() - opened) / 1000;
  const afterOpen = memoryOf(system.pids().worker);

  // Every case breaches once; it warns first unless its breach was already due when the warning
  // was raised (a late warning is skipped). Progress every 30 s, with the latest alarm's lateness.
  let reported = 0;
  await waitUntil(
    async () => {
      const { rows: [progress] } = await database.query<{ breaches: number; alarms: number; late_ms: number | null }>(
        `select count(*) filter (where reason = 'clock-breach')::int as breaches, count(*)::int as alarms,
                (select extract(epoch from (created_at - raised_for)) * 1000 from case_alert order by created_at desc limit 1) as late_ms
         from case_alert`,
      );
      if (Date.now() - reported > 30_000) {
        reported = Date.now();
        console.log(`[bench] ${progress.alarms} alarms raised, ${progress.breaches} of ${cases} breaches; latest ${Math.round(Number(progress.late_ms ?? 0))} ms late`);
      }
      return progress.breaches >= cases ? true : undefined;
    },
    { timeoutMs: (clockSeconds + 1800) * 1000, intervalMs: 1_000, what: 'every clock to breach' },
  );
  // Long enough for a duplicate to show.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const { rows } = await database.query<{ reason: string; late_ms: number }>(
    'select reason, extract(epoch from (created_at - raised_for)) * 1000 as late_ms from case_alert',
  );
  const { rows: duplicates } = await database.query<{ n: number }>(
    `select count(*)::int as n from (select reference, reason from case_alert group by reference, reason having count(*) > 1) d`,
  );
  const peak = memoryOf(system.pids().worker);
  const streamed = new Map(watcher.events.map((event) => [event.alert.id, event]));
  const { rows: [{ total: alertsWritten }] } = await database.query<{ total: number }>('select count(*)::int as total from case_alert');
  const dueToStream = [...streamed.values()].map((event) => event.receivedAtMs - Date.parse(event.alert.raisedAt));
  const writtenToStream = [...streamed.values()].map((event) => event.receivedAtMs - Date.parse(event.alert.writtenAt));
  const line = (label: string, late: number[]) => {
    const sorted = late.sort((a, b) => a - b);
    const ms = (value: number) => `${Math.round(value)}`.padStart(6);
    return `  ${label.padEnd(22)} ${String(sorted.length).padStart(6)}   p50 ${ms(percentile(sorted, 50))} ms   p99 ${ms(percentile(sorted, 99))} ms   max ${ms(sorted[sorted.length - 1])} ms`;
  };
  const late = (reason?: string) => rows.filter((row) => reason === undefined || row.reason === reason).map((row) => Number(row.late_ms));
  console.log(`
${system.describe()}
Load:    ${cases} web submissions opened through the API at up to ${rate}/s: ${openSeconds.toFixed(0)} s (${(cases / openSeconds).toFixed(1)}/s); each clock ${clockSeconds} s, warning at 50 %

Alarm lateness (alert written − alarm due)
${line('warnings', late('clock-warning'))}
${line('breaches', late('clock-breach'))}
${line('all alarms', late())}
  warnings skipped (breach already due): ${cases - late('clock-warning').length}
  cases with an alarm raised twice: ${duplicates[0].n}

Alert stream (one client connected throughout, as a supervisor's screen)
${line('alarm due → on stream', dueToStream)}
${line('written → on stream', writtenToStream)}
  alerts written ${alertsWritten}, received ${streamed.size}, received twice ${watcher.events.length - streamed.size}

Worker memory (resident)
  after opening the cases     ${afterOpen.currentMiB.toFixed(0)} MiB
  peak (VmHWM)                ${peak.peakMiB.toFixed(0)} MiB   (sampled each second: ${peakSampledMiB.toFixed(0)} MiB)
`);
} finally {
  watcher.close();
  clearInterval(sampler);
  await system.stop();
}
