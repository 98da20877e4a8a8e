import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { caseReplayWorkflowId, caseReplayWorkflowType, type CaseReplayInput, type ReplayReport } from '../../workflows/case-replay.messages.js';
import { TemporalClientService } from '../platform/temporal/temporal-client.module.js';
import { DomainError, DomainErrorCode } from '../platform/errors/domain-error.js';
import { CaseHistoryStore } from './case-history.store.js';

/**
 * Replays for the API: the replay itself runs on a worker (a short workflow and its activity), which
 * has the workflow code, so that the API process never loads the worker package or the bundle.
 */
@Injectable()
export class CaseReplayService {
  constructor(
    private readonly temporal: TemporalClientService,
    private readonly histories: CaseHistoryStore,
  ) {}

  async replay(reference: string): Promise<ReplayReport> {
    // Asked here first, so that an unknown case is a 404 rather than a failed workflow.
    if (!(await this.histories.hasCase(reference))) throw new DomainError(DomainErrorCode.NotFound, `No history for case ${reference}`);
    const input: CaseReplayInput = { reference };
    return this.temporal.client.workflow.execute(caseReplayWorkflowType, {
      workflowId: caseReplayWorkflowId(reference, randomUUID()),
      taskQueue: this.temporal.taskQueue,
      args: [input],
      workflowExecutionTimeout: '5 minutes',
    }) as Promise<ReplayReport>;
  }
}
