import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/app-config.js';
import { type DrillSettings, drillSettingLimits } from '../domain/continuity-drill.js';
import { drillSettingsOf } from '../modules/continuity-drills/continuity-drill-schedule.js';
import { TemporalClientService } from '../modules/platform/temporal/temporal-client.module.js';
import { continuityDrillWorkflowId, continuityDrillWorkflowType, type ContinuityDrillInput, type DrillRecord } from '../workflows/continuity-drill.messages.js';

/**
 * Runs a continuity drill on the running system (the dev command's, or the one the environment
 * points at) and prints its result when it has been judged:
 *   npm run drill
 *   npm run drill -- --cases 5 --clock-seconds 60 --worker-down-seconds 90
 * Exit status 0 when it passed, 1 when it failed (the late clocks are named), 2 on bad arguments.
 */
const options = { cases: 'cases', 'clock-seconds': 'clockSeconds', 'worker-down-seconds': 'workerDownSeconds', 'tolerance-seconds': 'toleranceSeconds' } as const;
let values: Record<string, string | undefined>;
try {
  values = parseArgs({ options: Object.fromEntries(Object.keys(options).map((name) => [name, { type: 'string' as const }])) }).values;
} catch (error) {
  console.error(`${(error as Error).message}\nusage: npm run drill -- [--cases N] [--clock-seconds N] [--worker-down-seconds N] [--tolerance-seconds N]`);
  process.exit(2);
}
const config = loadConfig();
const settings: DrillSettings = drillSettingsOf(config);
for (const [flag, field] of Object.entries(options) as Array<[keyof typeof options, keyof DrillSettings]>) {
  const text = values[flag];
  if (text === undefined) continue;
  const value = Number(text);
  const { min, max } = drillSettingLimits[field];
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`--${flag}: a whole number from ${min} to ${max}`);
    process.exit(2);
  }
  settings[field] = value;
}

const temporal = new TemporalClientService(config);
try {
  const workflowId = continuityDrillWorkflowId(randomUUID());
  const input: ContinuityDrillInput = { trigger: 'manual', requestedBy: { subject: `cli:${userInfo().username}`, role: 'administrator' }, settings };
  console.log(
    `Continuity drill ${workflowId} on ${config.temporal.address} (${config.temporal.namespace}, ${config.temporal.taskQueue}): ${settings.cases} cases, ${settings.clockSeconds} s clocks, a worker down ${settings.workerDownSeconds} s, tolerance ${settings.toleranceSeconds} s`,
  );
  const handle = await temporal.client.workflow.start(continuityDrillWorkflowType, { workflowId, taskQueue: config.temporal.taskQueue, args: [input] });
  const record = (await handle.result()) as DrillRecord;
  const { verdict } = record;
  const seconds = (ms: number | null) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
  console.log(`  drill ${record.drillId}: ${verdict.outcome.toUpperCase()} in ${seconds(Date.parse(record.finishedAt) - Date.parse(record.startedAt))}`);
  console.log(`  cases ${record.references.join(', ')} (team continuity-drill, closed after the drill)`);
  console.log(`  worker ${record.restart.workerIdentity} restarted, down ${seconds(record.restart.downMs)}`);
  console.log(`  alarms on time ${verdict.alarmsOnTime} of ${verdict.alarmsExpected}; latest ${seconds(verdict.maxLatenessMs)} after its time`);
  console.log(`  alerts delivered ${verdict.alertsDelivered} of ${verdict.alertsExpected}`);
  for (const problem of verdict.problems) console.log(`  - ${problem}`);
  process.exitCode = verdict.outcome === 'passed' ? 0 : 1;
} finally {
  await temporal.onApplicationShutdown();
}
