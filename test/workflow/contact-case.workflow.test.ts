import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import { Channel } from '../../src/domain/channels.js';
import { type ContactCaseState } from '../../src/domain/contact-case.js';
import { screenContact } from '../../src/domain/risk-screening.js';
import { type AppConfig } from '../../src/config/app-config.js';
import { type ContactIntake } from '../../src/domain/case-records.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { addNoteUpdate, caseStateQuery, contactCaseWorkflowId, contactCaseWorkflowType } from '../../src/workflows/contact-case.messages.js';
import { defaultPolicy } from '../support/policies.js';
import { type TestDatabase } from '../support/test-database.js';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness.js';

let sequence = 0;
const intake = (): ContactIntake => {
  sequence += 1;
  const narrative = 'Someone scratched my car';
  return {
    reference: `XP-20261123-${String(900_000 + sequence)}`,
    channel: Channel.NonEmergencyCall,
    receivedAt: new Date().toISOString(),
    policy: defaultPolicy(),
    team: 'contact-centre',
    area: 'urban',
    actor: { subject: 'pc-1', role: 'contact-handler' },
    flags: [],
    screening: screenContact({ channel: Channel.NonEmergencyCall, flags: [], narrative }, defaultPolicy()),
    details: { caller: { anonymous: true }, narrative },
  };
};

describe('contact case workflow on a real Temporal server', () => {
  let harness: WorkerHarness;
  let database: TestDatabase;
  let config: AppConfig;
  let client: Client;

  beforeAll(async () => {
    harness = await startWorkerHarness();
    ({ database, config, client } = harness);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('records the intake before a command that arrives with the start itself', async () => {
    const input = intake();
    const startWorkflowOperation = new WithStartWorkflowOperation(contactCaseWorkflowType, {
      workflowId: contactCaseWorkflowId(input.reference),
      taskQueue: config.temporal.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
    });
    const state: ContactCaseState = await client.workflow.executeUpdateWithStart(addNoteUpdate, {
      args: [{ commandId: `${input.reference}/first-note`, actor: input.actor, command: { type: 'add-note', text: 'Caller rang back at once' } }],
      startWorkflowOperation,
    });

    expect(state).toMatchObject({ noteCount: 1, version: 2 });
    // The case answers once the note is its own and writes it straight after (the API waits for
    // that write before it answers; a client of the workflow itself waits here).
    const timeline = await waitUntil(
      async () => {
        const rows = await database.query<{ type: string; sequence: number }>('select type, sequence from case_event where reference = $1 order by sequence', [input.reference]);
        return rows.length >= 2 ? rows : undefined;
      },
      { timeoutMs: 10_000, what: 'the note to be written' },
    );
    expect(timeline).toEqual([
      { type: 'received', sequence: 1 },
      { type: 'note', sequence: 2 },
    ]);
  });

  it('answers the state query, and refuses a stage-conflicting update without writing to the history', async () => {
    const input = intake();
    const handle = await client.workflow.start(contactCaseWorkflowType, { workflowId: contactCaseWorkflowId(input.reference), taskQueue: config.temporal.taskQueue, args: [input] });
    const before = (await handle.fetchHistory()).events?.length ?? 0;
    await expect(
      handle.executeUpdate(addNoteUpdate, { args: [{ commandId: 'x', actor: input.actor, command: { type: 'resolve' } as never }] }),
    ).rejects.toThrow();
    expect((await handle.query(caseStateQuery)).stage).toBe('triage');
    const after = (await handle.fetchHistory()).events ?? [];
    expect(after.filter((event) => event.workflowExecutionUpdateRejectedEventAttributes).length).toBe(0);
    expect(after.length).toBeGreaterThanOrEqual(before);
    await handle.terminate('test done');
  });
});
