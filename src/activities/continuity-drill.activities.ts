import { createHash } from 'node:crypto';
import { type ActorRef } from '../domain/actor.js';
import { assessment } from '../domain/assessment-builder.js';
import { Channel } from '../domain/channels.js';
import { DRILL_TEAM, type DrillSettings, type DrillVerdict, drillPolicy, type ExpectedAlarm, judgeDrill } from '../domain/continuity-drill.js';
import { ContactCasesService } from '../modules/contact-cases/contact-cases.service.js';
import { ContinuityDrillsService } from '../modules/continuity-drills/continuity-drills.service.js';
import { DomainError, DomainErrorCode } from '../modules/platform/errors/domain-error.js';
import { PolicyService } from '../modules/policy/policy.service.js';
import { ActivitiesProvider } from '../modules/platform/temporal/activities.decorator.js';
import { workerIdentity } from '../modules/platform/temporal/worker-identity.js';
import { workerRestarts } from '../modules/platform/temporal/worker-restarts.js';
import type { ContinuityDrillActivities, DrillCase, DrillRecord, WorkerRestart } from '../workflows/continuity-drill.messages.js';

const POLL_MS = 500;

/** The continuity drill's steps, on the worker: real intakes, a real restart, reads of the case store. */
@ActivitiesProvider()
export class ContinuityDrillActivitiesProvider implements ContinuityDrillActivities {
  constructor(
    private readonly cases: ContactCasesService,
    private readonly policies: PolicyService,
    private readonly drills: ContinuityDrillsService,
  ) {}

  /**
   * Synthetic web-form contacts in the drill team, through the same intake as any contact, under
   * the drill policy. Each has an Idempotency-Key made from the drill, so a retried activity opens
   * no case twice.
   */
  async openDrillCases(input: { drillId: string; settings: DrillSettings; actor: ActorRef }): Promise<DrillCase[]> {
    await this.policies.ensureRecorded();
    const policy = drillPolicy(this.policies.current, input.settings);
    const opened: DrillCase[] = [];
    for (let index = 0; index < input.settings.cases; index += 1) {
      const request = {
        channel: Channel.WebForm,
        caller: { anonymous: true },
        narrative: `Continuity drill ${input.drillId}, case ${index + 1}: a synthetic contact, not from the public`,
        channelDetails: { title: 'Continuity drill' },
      };
      const key = `drill:${input.drillId}:${index}`;
      const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
      const result = await this.cases.intake(request, input.actor, { key, requestHash }, { team: DRILL_TEAM, policy });
      opened.push({ reference: result.reference, clocks: result.clocks });
    }
    return opened;
  }

  restartWorker(input: { downMs: number }): Promise<WorkerRestart> {
    if (!workerRestarts.request(input.downMs)) return Promise.reject(new Error('This process hosts no worker to restart'));
    return Promise.resolve({ workerIdentity: workerIdentity(), stoppedAt: new Date().toISOString(), downMs: input.downMs });
  }

  /**
   * Reads back what the clocks did and the alerts they raised, waiting up to `settleMs` for the last
   * writes and deliveries, and judges the drill.
   */
  async verifyDrill(input: { expected: ExpectedAlarm[]; toleranceMs: number; settleMs: number }): Promise<DrillVerdict> {
    const references = [...new Set(input.expected.map((alarm) => alarm.reference))];
    const until = Date.now() + input.settleMs;
    for (;;) {
      const [fired, alerts] = await Promise.all([this.drills.firedAlarms(input.expected), this.drills.alerts(references)]);
      const verdict = judgeDrill(input.expected, fired, alerts, input.toleranceMs);
      const settled = verdict.late.every((alarm) => alarm.firedAt !== null) && verdict.undeliveredAlerts.every((alert) => alert.deliveryState === 'failed');
      if (settled || Date.now() >= until) return verdict;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async recordDrill(record: DrillRecord): Promise<void> {
    await this.drills.record(record);
  }

  /** Assessed grade 4, recorded and closed with no further action, so they raise nothing more. */
  async closeDrillCases(input: { references: string[]; actor: ActorRef; drillId: string }): Promise<number> {
    let closed = 0;
    for (const reference of input.references) {
      const id = (step: string) => `drill:${input.drillId}:${reference}:${step}`;
      try {
        await this.cases.command(reference, { type: 'assess', assessment: assessment({}, 4) }, input.actor, id('assess'));
        await this.cases.command(reference, { type: 'record-incident', incident: { openingCategory: 'lost-found-property', qualifiers: [] } }, input.actor, id('incident'));
        await this.cases.command(
          reference,
          { type: 'resolve', resolution: { outcome: 'no-further-action', closingCategory: 'lost-found-property', noFurtherActionReason: 'Continuity drill: a synthetic case' } },
          input.actor,
          id('resolve'),
        );
        closed += 1;
      } catch (error) {
        // Closed already (a retry of this activity): nothing more to do on it.
        if (error instanceof DomainError && error.code === DomainErrorCode.StageConflict && /closed/.test(error.message)) continue;
        throw error;
      }
    }
    return closed;
  }
}
