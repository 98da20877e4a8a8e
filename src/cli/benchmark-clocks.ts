import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultPolicyFile } from '../config/app-config.js';
import { Channel } from '../domain/channels.js';
import { type ContactPolicy } from '../domain/policy.js';
import { waitUntil } from '../infra/child-process.js';
import { loadPolicyFile } from '../modules/policy/policy.loader.js';
import { memoryOf, percentile, startBenchSystem } from './bench-system.js';

/**
 * Clocks falling due at volume: opens many cases through the API (web submissions, each with its
 * action clock running, a quarter of them on the domestic abuse clock), then waits for every clock
 * to warn and breach, and reports how late each alarm was raised (the notification row's time
 * against the alarm's due time) and the worker's peak memory.
 *   npm run bench:clocks -- [--cases 10000] [--clock-seconds 300] [--concurrency 16] [--database-url postgres://…]
 */
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    'clock-seconds': { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '16' },
    'database-url': { type: 'string' },
  },
});
const cases = Number(values.cases);
const clockSeconds = Number(values['clock-seconds']);
const concurrency = Number(values.concurrency);

// The national defaults with the submission clocks shortened so that the run ends today; an hour's
// repeat keeps re-escalation out of the measurement.
const base = loadPolicyFile(defaultPolicyFile).policy;
const policy: ContactPolicy = {
  ...base,
  version: `bench-clocks-${clockSeconds}s`,
  clocks: {
    ...base.clocks,
    'digital-action': { ...base.clocks['digital-action'], duration: { seconds: clockSeconds }, repeatEvery: { hours: 1 } },
    'digital-action-risk': { ...base.clocks['digital-action-risk'], duration: { seconds: clockSeconds }, repeatEvery: { hours: 1 } },
  },
};
const policyFile = join(mkdtempSync(join(tmpdir(), 'bench-policy-')), 'policy.json');
writeFileSync(policyFile, JSON.stringify(policy));

const system = await startBenchSystem({ databaseUrl: values['database-url'], environment: { POLICY_FILE: policyFile } });
const { api, database } = system;
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

  // Each case warns once (at 75 %) and breaches once: two alarms.
  const expected = cases * 2;
  await waitUntil(
    async () => {
      const { rows } = await database.query<{ n: number }>('select count(*)::int as n from case_notification');
      return rows[0].n >= expected ? true : undefined;
    },
    { timeoutMs: (clockSeconds + 600) * 1000, intervalMs: 1_000, what: 'every clock to warn and breach' },
  );
  // Long enough for a duplicate to show.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const { rows } = await database.query<{ reason: string; late_ms: number }>(
    'select reason, extract(epoch from (created_at - raised_for)) * 1000 as late_ms from case_notification',
  );
  const { rows: duplicates } = await database.query<{ n: number }>(
    `select count(*)::int as n from (select reference, reason from case_notification group by reference, reason having count(*) > 1) d`,
  );
  const peak = memoryOf(system.pids().worker);
  const line = (label: string, late: number[]) => {
    const sorted = late.sort((a, b) => a - b);
    const ms = (value: number) => `${Math.round(value)}`.padStart(6);
    return `  ${label.padEnd(22)} ${String(sorted.length).padStart(6)}   p50 ${ms(percentile(sorted, 50))} ms   p99 ${ms(percentile(sorted, 99))} ms   max ${ms(sorted[sorted.length - 1])} ms`;
  };
  const late = (reason?: string) => rows.filter((row) => reason === undefined || row.reason === reason).map((row) => Number(row.late_ms));
  console.log(`
${system.describe()}
Load:    ${cases} web submissions opened through the API, ${concurrency} at a time, in ${openSeconds.toFixed(0)} s (${(cases / openSeconds).toFixed(1)}/s); each clock ${clockSeconds} s, warning at 75 %

Alarm lateness (notification written − alarm due)
${line('warnings', late('clock-warning'))}
${line('breaches', late('clock-breach'))}
${line('all alarms', late())}
  cases with an alarm raised twice: ${duplicates[0].n}

Worker memory (resident)
  after opening the cases     ${afterOpen.currentMiB.toFixed(0)} MiB
  peak (VmHWM)                ${peak.peakMiB.toFixed(0)} MiB   (sampled each second: ${peakSampledMiB.toFixed(0)} MiB)
`);
} finally {
  clearInterval(sampler);
  await system.stop();
}
