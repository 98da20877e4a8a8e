import { defaultPayloadConverter, type PayloadCodec } from '@temporalio/common';
import { type temporal } from '@temporalio/proto';
import type { CaseChange, IntakeRecord } from '../../domain/case-records.js';
import type { ContactCaseState } from '../../domain/contact-case.js';
import type { CaseContinuation } from '../../workflows/contact-case.messages.js';

/** One store write as a case's history holds it: the activity's input, exactly. */
export type RecordedWrite = { kind: 'intake'; record: IntakeRecord } | { kind: 'change'; change: CaseChange };

/** What one run of a case's history says about the case store. */
export interface RecordedRun {
  /** Every exact write the run scheduled, in the history's order. */
  writes: RecordedWrite[];
  /** Writes the run made as local activities (before writes were exact): their content is not in the history. */
  legacyWrites: number;
  /** The case as the run left it: its result, or what it carried into the next run (null while it runs). */
  finalState: ContactCaseState | null;
}

/** The activities that write the store exactly, by name. */
export const exactWriteActivities = { intake: 'recordCaseIntake', change: 'writeCaseChange' } as const;

/** The writes, and the state a run ended with, read out of its history (payloads decrypted with `codec`). */
export async function recordedRun(history: temporal.api.history.v1.IHistory, codec: PayloadCodec): Promise<RecordedRun> {
  const open = async <T>(payload?: temporal.api.common.v1.IPayload | null): Promise<T | undefined> => {
    if (!payload) return undefined;
    const [plain] = await codec.decode([payload]);
    return defaultPayloadConverter.fromPayload<T>(plain);
  };
  const run: RecordedRun = { writes: [], legacyWrites: 0, finalState: null };
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const name = scheduled.activityType?.name;
      if (name === exactWriteActivities.intake) run.writes.push({ kind: 'intake', record: (await open<IntakeRecord>(scheduled.input?.payloads?.[0]))! });
      if (name === exactWriteActivities.change) run.writes.push({ kind: 'change', change: (await open<CaseChange>(scheduled.input?.payloads?.[0]))! });
    } else if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
      run.legacyWrites += 1;
    } else if (event.workflowExecutionCompletedEventAttributes) {
      run.finalState = (await open<ContactCaseState>(event.workflowExecutionCompletedEventAttributes.result?.payloads?.[0])) ?? null;
    } else if (event.workflowExecutionContinuedAsNewEventAttributes) {
      const carried = await open<CaseContinuation>(event.workflowExecutionContinuedAsNewEventAttributes.input?.payloads?.[1]);
      run.finalState = carried?.state ?? null;
    }
  }
  return run;
}

/** The version a write brings the case to. */
export const versionOf = (write: RecordedWrite) => (write.kind === 'intake' ? write.record.state.version : write.change.state.version);
