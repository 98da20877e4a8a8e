import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Channel } from '../domain/channels.js';
import { Role } from '../domain/roles.js';
import { type AlertStreamClient, openAlertStream } from '../cli/alert-stream-client.js';
import { percentile, startBenchSystem } from './system.js';

/**
 * Alert streams within bounds, and what open streams cost intake. Starts the system with the dev
 * command, measures intake with no stream open, then has one person ask for `--attempts` streams
 * (all but ALERT_STREAMS_PER_SUBJECT refused), fills the process to its limit of streams with other
 * people's, and measures intake again while they are all open; then an alert raised by hand is
 * timed reaching every open stream.
 *   npm run bench:streams -- [--intakes 600] [--concurrency 16] [--attempts 2000] [--per-process 1000]
 */
const { values } = parseArgs({
  options: {
    intakes: { type: 'string', default: '600' },
    concurrency: { type: 'string', default: '16' },
    attempts: { type: 'string', default: '2000' },
    'per-subject': { type: 'string', default: '5' },
    'per-process': { type: 'string', default: '1000' },
  },
});
const intakes = Number(values.intakes);
const concurrency = Number(values.concurrency);
const attempts = Number(values.attempts);
const perSubject = Number(values['per-subject']);
const perProcess = Number(values['per-process']);

const system = await startBenchSystem({ environment: { ALERT_STREAMS_PER_SUBJECT: String(perSubject), ALERT_STREAMS_PER_PROCESS: String(perProcess) } });
const { api } = system;
const streams: Array<AlertStreamClient<{ reference: string }>> = [];

interface Run {
  rate: number;
  p50: number;
  p99: number;
  /** Database transactions a second while the phase ran (every query the system made, all parts). */
  transactionsPerSecond: number;
  apiCpuMsPerIntake: number;
}

let callers = 0;
/** Waits until the worker has recorded every case opened so far, so that no phase pays for another's backlog. */
async function drained(): Promise<void> {
  for (;;) {
    const { rows } = await system.database.query<{ n: number }>('select count(*)::int as n from contact_case');
    if (rows[0].n >= callers) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
async function intakeRun(): Promise<Run> {
  await drained();
  const transactions = async () => (await system.database.query<{ n: string }>('select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()')).rows[0].n;
  const before = { cpu: system.cpuSeconds().api, transactions: Number(await transactions()) };
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < intakes; index = next++) {
        callers += 1;
        const begin = performance.now();
        const answer = await api.post(
          '/contacts',
          { channel: Channel.NonEmergencyCall, caller: { name: 'Bench Caller', phone: `+44 7700 ${String(200_000 + callers).padStart(6, '0')}` }, narrative: 'A bicycle taken from the rack at the station' },
          { 'Idempotency-Key': randomUUID() },
        );
        if (answer.status !== 201) throw new Error(`intake answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  // pg_stat_database is updated by each backend as it goes idle: give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return {
    rate: intakes / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    transactionsPerSecond: (Number(await transactions()) - before.transactions) / (seconds + 1),
    apiCpuMsPerIntake: ((system.cpuSeconds().api - before.cpu) * 1_000) / intakes,
  };
}
const line = (run: Run) =>
  `${run.rate.toFixed(1).padStart(6)} intakes/s   p50 ${run.p50.toFixed(1).padStart(6)} ms   p99 ${run.p99.toFixed(1).padStart(6)} ms   ${run.transactionsPerSecond.toFixed(0).padStart(5)} database transactions/s   API CPU ${run.apiCpuMsPerIntake.toFixed(2)} ms/intake`;

try {
  process.stdout.write(`${system.describe()}\n`);
  process.stdout.write(`Limits: ${perSubject} streams per person, ${perProcess} per API process; ${intakes} intakes at concurrency ${concurrency} per phase\n\n`);
  await intakeRun(); // warm-up: the first run pays for compiling and caches
  const quiet = await intakeRun();
  process.stdout.write(`no stream open          ${line(quiet)}\n`);

  // One person asks for `attempts` streams, a few at a time as a runaway client would.
  const token = await system.tokenFor([Role.ContactHandler, Role.TeamLeader], 'sgt-runaway');
  const statuses = new Map<number, number>();
  let asked = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (asked < attempts) {
        asked += 1;
        const stream = await openAlertStream<{ reference: string }>(system.apiUrl, token);
        statuses.set(stream.status, (statuses.get(stream.status) ?? 0) + 1);
        if (stream.status === 200) streams.push(stream);
      }
    }),
  );
  process.stdout.write(`one person asked for ${attempts} streams: ${[...statuses].map(([status, n]) => `${n} × ${status}`).join(', ')}\n`);

  // Others fill the process to its limit.
  const others = perProcess - streams.length;
  for (let person = 0; streams.length < perProcess; person += 1) {
    const theirs = await system.tokenFor([Role.ContactHandler, Role.TeamLeader, Role.DutyInspector], `sgt-${person}`);
    const opened = await Promise.all(Array.from({ length: Math.min(perSubject, perProcess - streams.length) }, () => openAlertStream<{ reference: string }>(system.apiUrl, theirs)));
    for (const stream of opened) {
      if (stream.status !== 200) throw new Error(`a stream within the limits answered ${stream.status}`);
      streams.push(stream);
    }
  }
  const beyond = await openAlertStream<{ reference: string }>(system.apiUrl, await system.tokenFor([Role.TeamLeader], 'sgt-late'));
  if (beyond.status === 200) streams.push(beyond);
  process.stdout.write(`${others} more streams opened by ${Math.ceil(others / perSubject)} others: ${streams.length} open; one more answered ${beyond.status}\n`);
  await new Promise((resolve) => setTimeout(resolve, 2_000));

  const busy = await intakeRun();
  process.stdout.write(`${String(streams.length).padStart(4)} streams open      ${line(busy)}\n`);
  process.stdout.write(`ratio with streams open / none: rate ${(busy.rate / quiet.rate).toFixed(2)}, p99 ${(busy.p99 / quiet.p99).toFixed(2)}\n`);

  // Alerts raised by hand, one at a time: how long from the workflow raising each until every open
  // stream has it.
  await drained();
  const fanOut: number[] = [];
  const answered: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    const created = await api.post<{ reference: string }>('/contacts', { channel: Channel.NonEmergencyCall, caller: { name: 'Bench Caller' }, narrative: 'Shouting in the street' });
    const reference = created.body.reference;
    const sentAt = Date.now();
    const escalated = await api.post(`/contacts/${reference}/escalations`, { reason: 'risk-increased' });
    if (escalated.status !== 201) throw new Error(`escalation answered ${escalated.status}`);
    answered.push(Date.now() - sentAt);
    const received = await Promise.all(streams.map((stream) => stream.waitFor((event) => event.alert.reference === reference, 30_000)));
    // From the moment the workflow raised it (the alert's time as its change carries it; the store
    // write is inside), on this machine's one clock.
    const { rows } = await system.database.query<{ raised: Date }>('select created_at as raised from case_alert where reference = $1', [reference]);
    fanOut.push(...received.map((event) => event.receivedAtMs - rows[0].raised.getTime()));
  }
  fanOut.sort((a, b) => a - b);
  answered.sort((a, b) => a - b);
  process.stdout.write(
    `5 alerts, each to all ${streams.length} streams: escalation answered in p50 ${percentile(answered, 50).toFixed(0)} ms; alert raised → on every stream p50 ${percentile(fanOut, 50)} ms, p99 ${percentile(fanOut, 99)} ms, max ${fanOut.at(-1)} ms\n`,
  );
} finally {
  for (const stream of streams) stream.close();
  await system.stop();
}
