import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Channel } from '../domain/channels.js';
import { formatReference } from '../domain/reference.js';
import { screenContact } from '../domain/risk-screening.js';
import { waitUntil } from '../modules/platform/process/child-process.js';
import { Role } from '../domain/roles.js';
import { caseStartOptions } from '../modules/contact-cases/contact-cases.service.js';
import { loadPolicyFile } from '../modules/policy/policy.loader.js';
import { type ContactIntake } from '../domain/case-records.js';
import { contactCaseWorkflowType } from '../workflows/contact-case.messages.js';
import { assessment } from '../domain/assessment-builder.js';
import { percentile, startBenchCluster, startBenchSystem, startTelemetrySinks } from './system.js';

/**
 * Intake through the API against raw workflow starts, in the same run on the same dev server, and
 * the rate of whole case lifecycles (300 by default: fewer are too short a run to be steady). Starts the system with the dev command on a throw-away data
 * directory and free ports, and stops it after.
 *   npm run bench:intake -- [--count 1000] [--concurrency 16] [--lifecycles 300] [--database-url postgres://…] [--temporal dev|cluster] [--replicas 2] [--telemetry off|on]
 * With --database-url the case store is that PostgreSQL database (emptied first) instead of the embedded one.
 * With --temporal cluster the system is the cluster profile instead of the dev command: the real
 * Temporal server on PostgreSQL, and --replicas API and worker processes (see startBenchCluster).
 * --telemetry (dev only) says what it costs to be watched: `off` serves no metrics and traces nothing;
 * `on` serves both processes' metrics, scraped every 15 s as Prometheus would, and traces every request to a
 * local stand-in for a collector, which takes the spans and counts them.
 */
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '16' },
    lifecycles: { type: 'string', default: '300' },
    'database-url': { type: 'string' },
    temporal: { type: 'string', default: 'dev' },
    replicas: { type: 'string', default: '2' },
    telemetry: { type: 'string', default: 'off' },
  },
});
if (values.telemetry !== 'off' && values.telemetry !== 'on') {
  console.error('--telemetry: off (no metrics endpoints, no tracing; the default) or on (both, scraped and collected)');
  process.exit(2);
}
if (values.temporal !== 'dev' && values.temporal !== 'cluster') {
  console.error('--temporal: dev (the dev command, the default) or cluster (the real Temporal server and --replicas API and worker processes)');
  process.exit(2);
}
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const lifecycles = Number(values.lifecycles);

interface Run {
  rate: number;
  p50: number;
  p99: number;
  seconds: number;
  /** CPU milliseconds per operation, by process. */
  cpuMsPerOperation: Record<string, number>;
}

/** Runs `task` `total` times, `lanes` at a time; returns operations a second and latency percentiles (ms). */
async function measure(total: number, lanes: number, task: (index: number) => Promise<void>): Promise<Run> {
  const cpuBefore = system.cpuSeconds();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let index = next++; index < total; index = next++) {
        const begin = performance.now();
        await task(index);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const cpuAfter = system.cpuSeconds();
  const cpuMsPerOperation = Object.fromEntries(
    Object.entries(cpuAfter).map(([part, used]) => [part, ((used - cpuBefore[part as keyof typeof cpuBefore]) * 1000) / total]),
  );
  return { rate: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), seconds, cpuMsPerOperation };
}

/** Where the CPU went, per operation: what bounds a 2-core machine running every part at once. */
const cpuLine = (run: Run) =>
  `    CPU ms per operation: ${Object.entries(run.cpuMsPerOperation)
    .map(([part, ms]) => `${part} ${ms.toFixed(2)}`)
    .join(', ')}; total ${Object.values(run.cpuMsPerOperation)
    .reduce((sum, ms) => sum + ms, 0)
    .toFixed(2)}`;

const format = (run: Run, unit = 'intakes/s') =>
  `${run.rate.toFixed(1).padStart(7)} ${unit}   p50 ${run.p50.toFixed(1).padStart(6)} ms   p99 ${run.p99.toFixed(1).padStart(6)} ms   (${run.seconds.toFixed(1)} s)`;

const telemetry = values.telemetry === 'on' ? await startTelemetrySinks() : undefined;
const system =
  values.temporal === 'cluster'
    ? await startBenchCluster({ replicas: Number(values.replicas), databaseUrl: values['database-url'] })
    : await startBenchSystem({ databaseUrl: values['database-url'], environment: telemetry?.environment ?? { METRICS_PORT: '0', WORKER_METRICS_PORT: '0' } });
const { config, api, client } = system;
telemetry?.scrapeEvery(15_000);

try {
  const narrative = 'Someone has scratched the paintwork on my car overnight';
  const body = { channel: Channel.NonEmergencyCall, caller: { name: 'Bench Caller', phone: '+44 7700 900000' }, narrative };
  const day = new Date().toISOString().slice(0, 10);
  const { policy } = loadPolicyFile(config.force.policyFile);
  const rawIntake = (index: number, prefix: string): ContactIntake => ({
    reference: formatReference(prefix, day, index + 1),
    channel: Channel.NonEmergencyCall,
    receivedAt: new Date().toISOString(),
    policy,
    team: config.force.defaultTeam,
    area: 'urban',
    actor: { subject: 'pc-bench', role: Role.ContactHandler },
    flags: [],
    screening: screenContact({ channel: Channel.NonEmergencyCall, flags: [], narrative }, policy),
    details: { caller: body.caller, narrative },
  });
  const rawStart = (prefix: string) => async (index: number) => {
    const intake = rawIntake(index, prefix);
    // The very start the API makes (same input, id policy and search attributes), without the API.
    await client.workflow.start(contactCaseWorkflowType, caseStartOptions(intake, config.temporal.taskQueue));
  };
  // Each intake from a caller of its own: one number for all would make every contact a repeat
  // caller's, and each would alert every earlier open case to be re-screened.
  let callers = 0;
  const apiIntake = async () => {
    callers += 1;
    const caller = { name: 'Bench Caller', phone: `+44 7700 ${String(100_000 + callers).padStart(6, '0')}` };
    const answer = await api.post('/contacts', { ...body, caller }, { 'Idempotency-Key': randomUUID() });
    if (answer.status !== 201) throw new Error(`intake answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  };

  // Each phase starts once the worker has recorded every case started so far, so that no phase
  // pays for another's backlog.
  const { database } = system;
  let started = 0;
  const drained = () =>
    waitUntil(
      async () => {
        const { rows } = await database.query<{ n: number }>('select count(*)::int as n from contact_case');
        return rows[0].n >= started ? true : undefined;
      },
      { timeoutMs: 600_000, intervalMs: 250, what: 'the worker to record every case' },
    );
  const phase = async (total: number, lanes: number, task: (index: number) => Promise<void>) => {
    const run = await measure(total, lanes, task);
    started += total;
    await drained();
    return run;
  };

  // Warm both paths (JIT, connection pools, the worker's workflow cache), then measure them in turn.
  await phase(100, concurrency, rawStart('WA'));
  await phase(100, concurrency, apiIntake);
  const raw = await phase(count, concurrency, rawStart('RW'));
  const viaApi = await phase(count, concurrency, apiIntake);

  const steps: Record<string, number[]> = { intake: [], assessment: [], incident: [], resolution: [] };
  const timed = async (step: string, work: () => Promise<{ status: number; body: Record<string, unknown> }>) => {
    const begin = performance.now();
    const answer = await work();
    steps[step].push(performance.now() - begin);
    if (answer.status !== 201) throw new Error(`${step} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  let lastClosed = '';
  const lifecycle = await measure(lifecycles, Math.min(concurrency, 8), async () => {
    callers += 1;
    const caller = { name: 'Bench Caller', phone: `+44 7700 ${String(100_000 + callers).padStart(6, '0')}` };
    const created = await timed('intake', () => api.post('/contacts', { ...body, caller }));
    lastClosed = created.reference as string;
    const path = `/contacts/${created.reference as string}`;
    await timed('assessment', () => api.post(`${path}/assessments`, assessment({}, 4)));
    await timed('incident', () => api.post(`${path}/incident`, { openingCategory: 'advice', qualifiers: [] }));
    await timed('resolution', () => api.post(`${path}/resolution`, { outcome: 'resolved-at-first-contact', closingCategory: 'advice' }));
  });

  // What one lifecycle asks of the server: its workflow's history and its archive's, by event type.
  await waitUntil(async () => ((await database.query('select 1 from case_history where reference = $1', [lastClosed])).rows.length > 0 ? true : undefined), {
    timeoutMs: 60_000,
    what: 'the last case to be archived',
  });
  const eventsOf = async (workflowId: string) => {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const byType = new Map<string, number>();
    for (const event of events) {
      const type = Object.keys(event).find((key) => key.endsWith('EventAttributes') && event[key as keyof typeof event])?.replace(/EventAttributes$/, '') ?? 'other';
      byType.set(type, (byType.get(type) ?? 0) + 1);
    }
    return { total: events.length, byType };
  };
  const caseEvents = await eventsOf(`contact-${lastClosed}`);
  const archiveEvents = await eventsOf(`case-archive-${lastClosed}`);
  const eventLine = (name: string, { total, byType }: Awaited<ReturnType<typeof eventsOf>>) =>
    `  ${name.padEnd(26)} ${String(total).padStart(3)} events: ${[...byType.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([type, n]) => `${type} ${n}`)
      .join(', ')}`;

  console.log(`
${system.describe()}
Load:    ${count} intakes each way, ${concurrency} at a time; ${lifecycles} lifecycles, ${Math.min(concurrency, 8)} at a time
Watched: ${telemetry ? `metrics on (both endpoints scraped every 15 s: ${telemetry.scrapes()} scrapes), tracing on (${telemetry.spans()} spans received over OTLP)` : 'metrics off, tracing off'}

Raw client.workflow.start    ${format(raw, 'starts/s ')}
${cpuLine(raw)}
API POST /api/v1/contacts    ${format(viaApi)}
${cpuLine(viaApi)}
Ratio API / raw              ${(viaApi.rate / raw.rate).toFixed(2)}

Full lifecycle (intake, assessment, incident, resolution)
  cases closed               ${format(lifecycle, 'cases/s  ')}
${cpuLine(lifecycle)}
${Object.entries(steps)
  .map(([step, latencies]) => {
    const sorted = [...latencies].sort((a, b) => a - b);
    return `  ${step.padEnd(25)}  p50 ${percentile(sorted, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(sorted, 99).toFixed(1).padStart(6)} ms`;
  })
  .join('\n')}

One lifecycle's histories on the server
${eventLine('case workflow', caseEvents)}
${eventLine('archive workflow', archiveEvents)}
`);
} finally {
  await system.stop();
  await telemetry?.stop();
}
