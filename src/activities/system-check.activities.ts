import { ActivitiesProvider } from '../modules/platform/temporal/activities.decorator.js';
import { workerIdentity } from '../modules/platform/temporal/worker-identity.js';
import { SystemChecksService } from '../modules/system-checks/system-checks.service.js';
import type { SystemCheckActivities, SystemCheckInput, SystemCheckResult } from '../workflows/system-check.messages.js';

@ActivitiesProvider()
export class SystemCheckActivitiesProvider implements SystemCheckActivities {
  constructor(private readonly systemChecks: SystemChecksService) {}

  async recordSystemCheck(input: SystemCheckInput & { workflowId: string }): Promise<SystemCheckResult> {
    const row = await this.systemChecks.record({
      id: input.checkId,
      workflowId: input.workflowId,
      requestedAt: new Date(input.requestedAt),
      workerIdentity: workerIdentity(),
      requestedBySubject: input.requestedBy.subject,
      requestedByRole: input.requestedBy.role,
    });
    return {
      checkId: row.id,
      recordedAt: row.recordedAt.toISOString(),
      workerIdentity: row.workerIdentity,
      requestedBy: { subject: row.requestedBySubject, role: row.requestedByRole },
    };
  }
}
