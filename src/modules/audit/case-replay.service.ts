import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { type temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { contactCaseWorkflowId } from '../../workflows/contact-case.messages.js';
import { DomainError, DomainErrorCode } from '../errors/domain-error.js';
import { AesGcmPayloadCodec, encryptingDataConverter, loadPayloadKeys } from '../temporal/payload-codec.js';
import { TemporalClientService } from '../temporal/temporal-client.module.js';
import { workflowSource } from '../temporal/workflow-source.js';
import { CaseHistoryStore } from './case-history.store.js';
import { historyTimeline } from './history-timeline.js';

export interface ReplayReport {
  reference: string;
  /** `archive`: the history exported into the case store when the case closed; `live`: from Temporal. */
  source: 'archive' | 'live';
  events: number;
  reproduced: boolean;
  /** In plain words: "all decisions reproduced", or where and how the code and the record part. */
  verdict: string;
}

/** Explains a replay failure to an auditor. */
export function replayVerdict(error: unknown): string {
  // Thrown by the replayer as @temporalio/workflow's DeterminismViolationError (matched by name).
  if (error instanceof Error && error.name === 'DeterminismViolationError') {
    return `The current workflow code does not reproduce the recorded decisions: ${error.message.replace(/\s+/g, ' ').trim()}`;
  }
  return `The history could not be replayed: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Replays a case's recorded history (exported, or live from Temporal) against the current workflow
 * code, decrypting its payloads with the configured keys: every decision the code makes again must
 * be the one recorded.
 */
@Injectable()
export class CaseReplayService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly histories: CaseHistoryStore,
    private readonly temporal: TemporalClientService,
  ) {}

  async history(reference: string): Promise<{ source: 'archive' | 'live'; workflowId: string; history: temporal.api.history.v1.IHistory }> {
    const stored = await this.histories.load(reference);
    if (stored) return { source: 'archive', workflowId: stored.workflowId, history: stored.history };
    const workflowId = contactCaseWorkflowId(reference);
    try {
      return { source: 'live', workflowId, history: await this.temporal.client.workflow.getHandle(workflowId).fetchHistory() };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new DomainError(DomainErrorCode.NotFound, `No history for case ${reference}`);
      throw error;
    }
  }

  /** The history as a readable timeline (payloads decrypted only to find actors and commands). */
  async timeline(reference: string) {
    const { source, history } = await this.history(reference);
    const { policyVersion, items } = await historyTimeline(history, new AesGcmPayloadCodec(loadPayloadKeys(this.config.codec.keys)));
    return { reference, source, policyVersion, events: history.events?.length ?? 0, items };
  }

  async replay(reference: string): Promise<ReplayReport> {
    const { source, workflowId, history } = await this.history(reference);
    const events = history.events?.length ?? 0;
    try {
      await Worker.runReplayHistory({ ...workflowSource(), dataConverter: encryptingDataConverter(this.config.codec.keys), replayName: `audit-${reference}` }, history, workflowId);
      return { reference, source, events, reproduced: true, verdict: 'all decisions reproduced' };
    } catch (error) {
      return { reference, source, events, reproduced: false, verdict: replayVerdict(error) };
    }
  }
}
