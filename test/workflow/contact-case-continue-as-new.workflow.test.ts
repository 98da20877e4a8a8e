import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { type ContactIntake } from '../../src/domain/case-records.js';
import { Channel } from '../../src/domain/channels.js';
import { type ContactCaseState } from '../../src/domain/contact-case.js';
import { screenContact } from '../../src/domain/risk-screening.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { AuditVerifier } from '../../src/modules/audit/audit-verifier.service.js';
import { CaseHistoryReader } from '../../src/modules/audit/case-history.reader.js';
import { replayCaseHistory } from '../../src/modules/audit/case-replayer.js';
import { addNoteUpdate, CASE_CONTINUING, caseStateQuery, COMMAND_ID_CONFLICT, commandIds, commandUpdateId, contactCaseWorkflowId, contactCaseWorkflowType } from '../../src/workflows/contact-case.messages.js';
import { canonicalJson, sha256 } from '../../src/modules/platform/common/canonical-json.js';
import { defaultPolicy } from '../support/policies.js';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness.js';

/**
 * Enough notes for several runs: a run moves on after 100 commands (or sooner if Temporal suggests
 * it), so a case takes any number of commands although the server takes at most 2,000 updates in
 * one run; the test checks that no run took more than 100. On the real Temporal server (the cluster
 * profile), eleven runs; on the dev server, five, the same moves in less time. Not a whole number of
 * runs: the last run is half full, asleep on its clock's timer when the test reads it, not moving on
 * to the next.
 */
const NOTES = process.env.TEST_TEMPORAL === 'cluster' ? 1_050 : 450;
/** The most commands one run takes (`COMMANDS_PER_RUN` in the workflow). */
const COMMANDS_PER_RUN = 100;

/**
 * A case that stays open for months piles up history: notes without limit, re-armed clocks. The
 * workflow continues as new when Temporal suggests it, and nothing about the case may change.
 */
describe('a case with thousands of updates', () => {
  let harness: WorkerHarness;
  const policy = defaultPolicy();
  const narrative = 'My bicycle was taken from outside the library';
  const input: ContactIntake = {
    reference: 'XP-20261124-700001',
    channel: Channel.WebForm,
    receivedAt: new Date().toISOString(),
    policy,
    team: 'contact-centre',
    area: 'urban',
    actor: { subject: 'pc-long', role: 'contact-handler' },
    flags: [],
    screening: screenContact({ channel: Channel.WebForm, flags: [], narrative }, policy),
    details: { caller: { name: 'Long Case' }, narrative, channelDetails: { title: 'Stolen bicycle' } },
  };
  const workflowId = contactCaseWorkflowId(input.reference);

  beforeAll(async () => {
    harness = await startWorkerHarness();
  });

  afterAll(async () => {
    await harness?.client.workflow.getHandle(workflowId).terminate('test done').catch(() => undefined);
    await harness?.stop();
  });

  it('continues as new, keeps its clocks exactly, archives every finished run, and replays every run', async () => {
    const { client, config, database, worker } = harness;
    const handle = await client.workflow.start(contactCaseWorkflowType, { workflowId, taskQueue: config.temporal.taskQueue, args: [input] });
    const firstRunId = handle.firstExecutionRunId;
    const opened: ContactCaseState = await handle.query(caseStateQuery);
    expect(opened.clocks.map((clock) => [clock.kind, clock.state])).toEqual([
      ['digital-action', 'running'],
      ['risk-review', 'running'],
    ]);

    // One handler after another, as a case is worked: each note waits for the one before.
    // As the API sends them: an id from an Idempotency-Key, bound to the request by its hash.
    const envelopeOf = (note: number, text = `Update ${note} for the caller`) => {
      const command = { type: 'add-note' as const, text };
      return { commandId: commandIds.keyed(input.reference, `note-${note}`), actor: input.actor, command, requestHash: sha256(canonicalJson({ command, actor: input.actor })) };
    };
    // As the API does: a command turned back while the case moves to its next run is sent again.
    let turnedBack = 0;
    const send = async (envelope: ReturnType<typeof envelopeOf>): Promise<ContactCaseState> => {
      for (;;) {
        try {
          return await client.workflow.getHandle(workflowId).executeUpdate(addNoteUpdate, { args: [envelope], updateId: commandUpdateId(envelope) });
        } catch (error) {
          if (!(error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === CASE_CONTINUING)) throw error;
          turnedBack += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    let last: ContactCaseState = opened;
    for (let note = 1; note <= NOTES; note += 1) last = await send(envelopeOf(note));
    expect(last).toMatchObject({ noteCount: NOTES, version: NOTES + 1, timelineLength: opened.timelineLength + NOTES });

    // Several runs, the first of them the one started.
    const runs = await waitUntil(
      async () => {
        const found: Array<{ runId: string; status: string }> = [];
        for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) found.push({ runId: execution.runId, status: execution.status.name });
        return found.length >= 3 && found.some((run) => run.status === 'RUNNING') ? found : undefined;
      },
      { timeoutMs: 30_000, what: 'the runs to be listed' },
    );
    expect(runs.map((run) => run.runId)).toContain(firstRunId);
    expect(runs.filter((run) => run.status === 'RUNNING')).toHaveLength(1);
    expect(runs.filter((run) => run.status === 'CONTINUED_AS_NEW')).toHaveLength(runs.length - 1);
    // No run took more than its share: the runs are at least as many as the notes need.
    expect(runs.length).toBeGreaterThanOrEqual(Math.ceil(NOTES / COMMANDS_PER_RUN));
    console.log(`[continue-as-new] ${NOTES} notes: ${runs.length} runs; ${turnedBack} sends turned back while a run ended`);

    // The clocks exactly as they were: the same due and warning times, still running, and the
    // current run sleeps on the timer for the same warning.
    const now: ContactCaseState = await client.workflow.getHandle(workflowId).query(caseStateQuery);
    expect(now.clocks).toEqual(opened.clocks);
    expect(now).toMatchObject({ noteCount: NOTES, version: NOTES + 1, stage: 'triage', reference: input.reference });
    const current = await client.workflow.getHandle(workflowId).fetchHistory();
    const timers = (current.events ?? []).filter((event) => event.timerStartedEventAttributes);
    expect(timers.length).toBeGreaterThan(0);
    const lastTimer = timers[timers.length - 1];
    const timerFiresAt = Number(lastTimer.eventTime!.seconds) * 1000 + Number(lastTimer.timerStartedEventAttributes!.startToFireTimeout!.seconds) * 1000;
    const nearestWarning = Math.min(...opened.clocks.map((clock) => Date.parse(clock.warnAt)));
    expect(Math.abs(timerFiresAt - nearestWarning)).toBeLessThan(2_000);

    // A note taken by an earlier run, sent again: the current run knows its id (handed on), so it
    // changes nothing; the same id with another request is refused.
    const takenHere = new Set((current.events ?? []).map((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId).filter(Boolean));
    // The latest note the current run did not take (the ids handed on are the latest ones).
    const earlier = Array.from({ length: NOTES }, (_, index) => NOTES - index).find((note) => !takenHere.has(commandUpdateId(envelopeOf(note))))!;
    expect(earlier).toBeDefined();
    expect(await send(envelopeOf(earlier))).toMatchObject({ noteCount: NOTES, version: NOTES + 1 });
    await expect(send(envelopeOf(earlier, 'Another text under the same key'))).rejects.toMatchObject({ cause: { type: COMMAND_ID_CONFLICT } });
    expect(await client.workflow.getHandle(workflowId).query(caseStateQuery)).toMatchObject({ noteCount: NOTES, version: NOTES + 1 });

    // The case store has every change once, in order, and the audit chain holds.
    // (The last note's write may still be running: the case answers a command before it writes it.)
    const { count, max } = await waitUntil(
      async () => {
        const [row] = await database.query<{ count: number; max: number }>('select count(*)::int as count, max(sequence) as max from case_event where reference = $1', [input.reference]);
        return row.count >= opened.timelineLength + NOTES ? row : undefined;
      },
      { timeoutMs: 10_000, what: 'every note to be written' },
    );
    expect([count, max]).toEqual([opened.timelineLength + NOTES, opened.timelineLength + NOTES]);
    const report = await new AuditVerifier(worker.get(MikroORM)).verify(input.reference);
    expect(report).toMatchObject({ intact: true });

    // Each run that continued as new is archived by the run after it.
    const finished = runs.filter((run) => run.status === 'CONTINUED_AS_NEW').map((run) => run.runId).sort();
    await waitUntil(
      async () => {
        const archived = await database.query<{ run_id: string }>('select run_id from case_history where reference = $1 order by run_id', [input.reference]);
        return archived.length === finished.length ? archived.map((row) => row.run_id) : undefined;
      },
      { timeoutMs: 60_000, what: 'every finished run to be archived' },
    ).then((archived) => expect(archived).toEqual(finished));

    // Replay covers every run: the archived ones, then the live one.
    const histories = await worker.get(CaseHistoryReader).runs(input.reference);
    expect(histories.map((history) => history.runId)).toEqual([...histories.filter((history) => history.source === 'archive').map((history) => history.runId), histories.at(-1)!.runId]);
    expect(histories).toHaveLength(runs.length);
    const replay = await replayCaseHistory(config, input.reference, histories);
    expect(replay).toMatchObject({ reproduced: true, verdict: 'all decisions reproduced', runs: runs.length, source: 'archive and live' });
  }, 600_000);
});
