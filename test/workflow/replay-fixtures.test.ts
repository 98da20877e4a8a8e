import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { replayVerdict } from '../../src/modules/audit/case-replayer.js';
import { historyFromPlain } from '../../src/modules/audit/history-json.js';
import { AesGcmPayloadCodec, encryptingDataConverter } from '../../src/modules/temporal/payload-codec.js';
import { workflowSource } from '../../src/modules/temporal/workflow-source.js';

const directory = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));
const keys = readFileSync(`${directory}payload-keys.txt`, 'utf8')
  .trim()
  .split(',')
  .map((entry) => ({ id: entry.slice(0, entry.indexOf(':')), key: entry.slice(entry.indexOf(':') + 1) }));
const fixtures = readdirSync(directory).filter((file) => file.endsWith('.json')).sort();
const load = (file: string) => JSON.parse(readFileSync(`${directory}${file}`, 'utf8')) as { events: Array<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any

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
