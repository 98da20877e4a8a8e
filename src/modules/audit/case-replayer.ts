import { Worker } from '@temporalio/worker';
import { type AppConfig } from '../../config/app-config.js';
import { type ReplayReport } from '../../workflows/case-replay.messages.js';
import { encryptingDataConverter } from '../platform/temporal/payload-codec.js';
import { workflowSource } from '../platform/temporal/workflow-source.js';
import { type CaseHistory, sourceOf } from './case-history.reader.js';

/** Explains a replay failure to an auditor. */
export function replayVerdict(error: unknown): string {
  // Thrown by the replayer as @temporalio/workflow's DeterminismViolationError (matched by name).
  if (error instanceof Error && error.name === 'DeterminismViolationError') {
    return `The current workflow code does not reproduce the recorded decisions: ${error.message.replace(/\s+/g, ' ').trim()}`;
  }
  return `The history could not be replayed: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Replays a case's recorded histories, every run, against the current workflow code, decrypting
 * their payloads with the configured keys: every decision the code makes again must be the one
 * recorded. It loads the worker package and the workflow bundle, so it runs in the worker (an
 * activity) and in the audit:replay command, never in the API.
 */
export async function replayCaseHistory(config: AppConfig, reference: string, runs: CaseHistory[]): Promise<ReplayReport> {
  const events = runs.reduce((sum, run) => sum + (run.history.events?.length ?? 0), 0);
  const report = { reference, source: sourceOf(runs), runs: runs.length, events };
  for (const [index, { workflowId, history }] of runs.entries()) {
    try {
      await Worker.runReplayHistory({ ...workflowSource(), dataConverter: encryptingDataConverter(config.codec.keys, { replay: true }), replayName: `audit-${reference}-${index + 1}` }, history, workflowId);
    } catch (error) {
      const which = runs.length > 1 ? ` (run ${index + 1} of ${runs.length})` : '';
      return { ...report, reproduced: false, verdict: `${replayVerdict(error)}${which}` };
    }
  }
  return { ...report, reproduced: true, verdict: 'all decisions reproduced' };
}
