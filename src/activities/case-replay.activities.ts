import { Inject } from '@nestjs/common';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { CaseHistoryReader } from '../modules/audit/case-history.reader.js';
import { replayCaseHistory } from '../modules/audit/case-replayer.js';
import { ActivitiesProvider } from '../modules/platform/temporal/activities.decorator.js';
import { type CaseReplayActivities, type CaseReplayInput, type ReplayReport } from '../workflows/case-replay.messages.js';

/** Replays a case's history here, in the worker, which has the workflow code. */
@ActivitiesProvider()
export class CaseReplayActivitiesProvider implements CaseReplayActivities {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly histories: CaseHistoryReader,
  ) {}

  async replayCase({ reference }: CaseReplayInput): Promise<ReplayReport> {
    return replayCaseHistory(this.config, reference, await this.histories.runs(reference));
  }
}
