import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DRILL_TEAM } from '../../../domain/continuity-drill.js';
import { stages } from '../../../domain/contact-case.js';
import { DatabaseHealth } from '../database/database.health.js';
import { countRows, StoreDatabase } from '../database/store-db.js';
import { PolicyService } from '../../policy/policy.service.js';
import { TemporalClientService } from '../temporal/temporal-client.module.js';
import { scrapedGauge } from './metrics.js';

const PROBE_TIMEOUT_MS = 2_000;

/**
 * The figures the API reads from the case store and its dependencies when it is scraped: each a
 * query on a partial index of open rows, so a scrape costs a few milliseconds at 10,000 open
 * cases. The continuity drill's synthetic cases are left out, as the queue leaves them out.
 */
@Injectable()
export class StoreGauges implements OnModuleInit {
  constructor(
    private readonly store: StoreDatabase,
    private readonly policies: PolicyService,
    private readonly database: DatabaseHealth,
    private readonly temporal: TemporalClientService,
  ) {}

  onModuleInit(): void {
    scrapedGauge({
      name: 'pcm_open_cases',
      help: 'Open cases by stage (the continuity drill\'s left out)',
      labelNames: ['stage'],
      read: async (gauge) => {
        const rows = await this.store.db
          .selectFrom('contact_case')
          .select(['stage', countRows().as('count')])
          .where('closed_at', 'is', null)
          .where('team', '<>', DRILL_TEAM)
          .groupBy('stage')
          .execute();
        for (const stage of stages.filter((name) => name !== 'closed')) gauge.set({ stage }, rows.find((row) => row.stage === stage)?.count ?? 0);
      },
    });
    scrapedGauge({
      name: 'pcm_oldest_ir_case_in_triage_age_seconds',
      help: 'How long the oldest open IR (immediate risk) case has waited in triage, not yet assessed; 0 when none waits',
      read: async (gauge) => {
        const row = await this.store.db
          .selectFrom('contact_case')
          .select((eb) => eb.fn.min('received_at').as('oldest'))
          .where('closed_at', 'is', null)
          .where('stage', '=', 'triage')
          .where('risk_marker', '=', 'IR')
          .where('team', '<>', DRILL_TEAM)
          .executeTakeFirst();
        // The driver reads a timestamp as text when it is not a column of an entity (an aggregate).
        const oldest = row?.oldest ? new Date(row.oldest).getTime() : Date.now();
        gauge.set(Math.max(0, (Date.now() - oldest) / 1000));
      },
    });
    scrapedGauge({
      name: 'pcm_unacknowledged_alerts',
      help: 'Open alerts no one has acknowledged yet, by kind (a breach\'s is the one to watch)',
      labelNames: ['kind'],
      read: async (gauge) => {
        const rows = await this.store.db
          .selectFrom('case_alert')
          .select(['kind', countRows().as('count')])
          .where('acknowledged_at', 'is', null)
          .where('closed_at', 'is', null)
          .where('team', '<>', DRILL_TEAM)
          .groupBy('kind')
          .execute();
        for (const kind of ['warning', 'breach', 're-escalation', 'manual']) gauge.set({ kind }, rows.find((row) => row.kind === kind)?.count ?? 0);
      },
    });
    scrapedGauge({
      name: 'pcm_dependency_up',
      help: 'Whether the API reaches its dependency (1) or not (0): the case store database, and Temporal with a namespace ready for cases',
      labelNames: ['dependency'],
      read: async (gauge) => {
        const [database, temporal, namespace] = await Promise.all([
          this.database.check(PROBE_TIMEOUT_MS),
          this.temporal.health(PROBE_TIMEOUT_MS),
          this.temporal.namespaceReady(PROBE_TIMEOUT_MS),
        ]);
        gauge.set({ dependency: 'database' }, database.status === 'up' ? 1 : 0);
        gauge.set({ dependency: 'temporal' }, temporal.status === 'up' && namespace.status === 'up' ? 1 : 0);
      },
    });
    scrapedGauge({
      name: 'pcm_policy_on_time_target_share',
      help: 'The contact policy\'s target share of clocks met on time (`targets.onTimeShare`)',
      read: (gauge) => {
        const target = this.policies.current.targets?.onTimeShare;
        if (target !== undefined) gauge.set(target);
      },
    });
    scrapedGauge({
      name: 'pcm_policy_holidays_until_timestamp_seconds',
      help: 'The last day the contact policy\'s holiday calendar covers, as a Unix time (the end of that day, UTC); past it a working-day clock counts holidays as working days',
      read: (gauge) => {
        const lastHoliday = [...this.policies.current.calendar.holidays].sort().at(-1);
        if (lastHoliday) gauge.set(Date.parse(`${lastHoliday}T23:59:59Z`) / 1_000);
      },
    });
  }
}
