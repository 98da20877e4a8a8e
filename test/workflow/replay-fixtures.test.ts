import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { replayVerdict } from '../../src/modules/audit/case-replayer.js';
import { historyFromPlain } from '../../src/modules/audit/history-json.js';
import { exactWriteActivities, recordedRun } from '../../src/modules/audit/recorded-writes.js';
import { canonicalJson } from '../../src/modules/platform/common/canonical-json.js';
import { AesGcmPayloadCodec, encryptingDataConverter } from '../../src/modules/platform/temporal/payload-codec.js';
import { workflowSource } from '../../src/modules/platform/temporal/workflow-source.js';

/** Histories recorded with the current way of writing the store (each write's input in the history). */
const directory = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));
/** Histories recorded before writes were exact (local activities): they must still replay. */
const legacyDirectory = fileURLToPath(new URL('../fixtures/histories/before-exact-writes/', import.meta.url));
const keys = readFileSync(`${directory}payload-keys.txt`, 'utf8')
  .trim()
  .split(',')
  .map((entry) => ({ id: entry.slice(0, entry.indexOf(':')), key: entry.slice(entry.indexOf(':') + 1) }));
const codec = new AesGcmPayloadCodec(keys.map(({ id, key }) => ({ id, key: Buffer.from(key, 'base64') })));
const jsonIn = (dir: string) => readdirSync(dir).filter((file) => file.endsWith('.json')).sort();
const fixtures = jsonIn(directory);
const legacyFixtures = jsonIn(legacyDirectory);
const load = (file: string, dir = directory) => JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as { events: Array<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any

async function replay(history: unknown, name: string): Promise<string> {
  try {
    await Worker.runReplayHistory(
      { ...workflowSource(), dataConverter: encryptingDataConverter({ kind: 'keys', keys }), replayName: name },
      historyFromPlain(history),
      `replay-${name}`,
    );
    return 'all decisions reproduced';
  } catch (error) {
    return replayVerdict(error);
  }
}

/** The workflow code, bundled with an interceptor that reports each activity the replayed code schedules. */
const workflowsPath = fileURLToPath(new URL('../../dist/workflows/index.js', import.meta.url));
const captureInterceptors = fileURLToPath(new URL('../support/write-capture.workflow-interceptors.ts', import.meta.url));

/**
 * What the current code would write to the case store for a recorded history: every store write's
 * input, as the replayed workflow schedules it (activity inputs are not part of what replay checks,
 * so a changed write would replay without a word).
 */
async function writesOnReplay(history: unknown, name: string): Promise<string[]> {
  const scheduled: string[] = [];
  await Worker.runReplayHistory(
    {
      workflowsPath,
      interceptors: { workflowModules: [captureInterceptors] },
      sinks: {
        writes: {
          scheduled: {
            fn: (_info, activityType: string, input: unknown) => {
              if ((Object.values(exactWriteActivities) as string[]).includes(activityType)) scheduled.push(canonicalJson(input));
            },
            callDuringReplay: true,
          },
        },
      },
      dataConverter: encryptingDataConverter({ kind: 'keys', keys }),
      replayName: name,
    },
    historyFromPlain(history),
    `writes-${name}`,
  );
  return scheduled;
}

/** What each history wrote: the inputs of its store writes, as recorded. */
async function recordedWrites(history: unknown): Promise<string[]> {
  const run = await recordedRun(historyFromPlain(history), codec);
  return run.writes.map((write) => canonicalJson(write.kind === 'intake' ? write.record : write.change));
}

/**
 * The replay gate: every committed history (each outcome, an escalation, a pause, a regrade)
 * must replay against the current workflow code, so a change that would alter recorded decisions
 * fails here unless it is guarded by patched(). A history with one event altered must not replay.
 */
describe('replaying the recorded case histories', () => {
  it('has a fixture for every main path', () => {
    expect(fixtures.map((file) => file.replace('.json', ''))).toEqual(
      expect.arrayContaining([
        'outcome-resolved-at-first-contact',
        'outcome-attended',
        'outcome-appointment',
        'outcome-referred',
        'outcome-signposted',
        'outcome-no-further-action',
        'escalation-breach',
        'clock-pause',
        'regrade',
        'conversation',
      ]),
    );
  });

  it.each(fixtures)('reproduces every decision of %s', async (file) => {
    expect(await replay(load(file), file)).toBe('all decisions reproduced');
  });

  it.each(legacyFixtures)('reproduces every decision of %s, recorded before writes were exact', async (file) => {
    expect(await replay(load(file, legacyDirectory), file)).toBe('all decisions reproduced');
  });

  // A rule change that alters what a running case writes must fail here unless it is patched().
  it.each(fixtures)('writes what %s wrote, change for change', async (file) => {
    const history = load(file);
    const recorded = await recordedWrites(history);
    expect(recorded.length).toBeGreaterThan(2);
    expect(await writesOnReplay(history, file)).toEqual(recorded);
  }, 120_000);

  it('notices a history whose code would now write something else', async () => {
    const history = load('outcome-no-further-action.json');
    // What the current code writes no longer matches: the recorded write of the closure, altered.
    const events = history.events;
    const closure = [...events].reverse().find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === exactWriteActivities.change)!;
    const sealed = closure.activityTaskScheduledEventAttributes.input.payloads[0] as { metadata: Record<string, string>; data: string };
    const [plain] = await codec.decode([{ metadata: Object.fromEntries(Object.entries(sealed.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])), data: Buffer.from(sealed.data, 'base64') }]);
    const change = defaultPayloadConverter.fromPayload<{ command: { resolution: { noFurtherActionReason: string } } }>(plain);
    change.command.resolution.noFurtherActionReason = 'A reason the case never gave';
    const [resealed] = await codec.encode([defaultPayloadConverter.toPayload(change)]);
    closure.activityTaskScheduledEventAttributes.input.payloads[0] = {
      metadata: Object.fromEntries(Object.entries(resealed.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(resealed.data!).toString('base64'),
    };
    // Replay alone does not see it; the comparison of writes does.
    expect(await replay(history, 'altered-write')).toBe('all decisions reproduced');
    const [recorded, replayed] = [await recordedWrites(history), await writesOnReplay(history, 'altered-write')];
    expect(replayed).not.toEqual(recorded);
    expect(replayed.filter((write, index) => write !== recorded[index])).toHaveLength(1);
  }, 120_000);

  it('refuses a history whose recorded input was altered, saying so in plain words', async () => {
    const history = load('escalation-breach.json');
    // The case came in as a web form (whose 24 h clock then breached); someone alters the record to say it came by webchat.
    const codec = new AesGcmPayloadCodec(keys.map(({ id, key }) => ({ id, key: Buffer.from(key, 'base64') })));
    const started = history.events[0].workflowExecutionStartedEventAttributes;
    const sealed = started.input.payloads[0] as { metadata: Record<string, string>; data: string };
    const asPayload = (json: typeof sealed): Payload => ({
      metadata: Object.fromEntries(Object.entries(json.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
      data: Buffer.from(json.data, 'base64'),
    });
    const [plain] = await codec.decode([asPayload(sealed)]);
    const intake = defaultPayloadConverter.fromPayload<{ channel: string }>(plain);
    expect(intake.channel).toBe('web-form');
    const [resealed] = await codec.encode([defaultPayloadConverter.toPayload({ ...intake, channel: 'webchat' })]);
    started.input.payloads[0] = {
      metadata: Object.fromEntries(Object.entries(resealed.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(resealed.data!).toString('base64'),
    };
    const verdict = await replay(history, 'tampered');
    expect(verdict).toMatch(/^The current workflow code does not reproduce the recorded decisions: /);
    expect(verdict).not.toBe('all decisions reproduced');
  });
});
