import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's metrics, in the Prometheus text format (prom-client). One registry per process: the
 * API and the worker each serve theirs on a port of their own (METRICS_PORT, WORKER_METRICS_PORT).
 *
 * Labels are closed sets only: route templates, channels, command types, outcomes, roles, alert and
 * clock kinds. Never a reference, an id, a name, a number or any words a person wrote: a label's
 * every value is a time series, and what a label carries is readable by anyone who can scrape.
 * docs/operations.md says what each one means.
 */
export const registry = new Registry();

let defaultsCollected = false;
/** The process's own figures (memory, CPU, event loop lag, garbage collection), once per process. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: registry, prefix: 'pcm_' });
}

const registers = [registry];
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const httpRequests = new Counter({
  name: 'pcm_http_requests_total',
  help: 'HTTP requests answered by the API, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers,
});

export const httpRequestDuration = new Histogram({
  name: 'pcm_http_request_duration_seconds',
  help: 'Time from a request arriving to its answer finishing, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: latencyBuckets,
  registers,
});

export const intakes = new Counter({
  name: 'pcm_intakes_total',
  help: 'Contacts taken in by the API: `opened` a new case, `replayed` answered a repeat of a request as the first',
  labelNames: ['channel', 'outcome'] as const,
  registers,
});

export const caseCommands = new Counter({
  name: 'pcm_case_commands_total',
  help: 'Commands sent to cases by the API, by command type and outcome (accepted, refused, conflict, busy, not-found, error)',
  labelNames: ['command', 'outcome'] as const,
  registers,
});

export const storeWrites = new Counter({
  name: 'pcm_case_store_writes_total',
  help: 'Case store writes that finished: `written`, or `already-written` (a retry of a write that had committed)',
  labelNames: ['outcome'] as const,
  registers,
});

export const storeWriteRetries = new Counter({
  name: 'pcm_case_store_write_retries_total',
  help: 'Case store write attempts that were retries of a failed attempt',
  registers,
});

export const storeWriteFailures = new Counter({
  name: 'pcm_case_store_write_failures_total',
  help: 'Case store write attempts that failed, by kind: outage (retried while it lasts), data (given up after STORE_WRITE_DATA_ERROR_ATTEMPTS), refused (final)',
  labelNames: ['kind'] as const,
  registers,
});

export const storeWritesGivenUp = new Counter({
  name: 'pcm_case_store_writes_given_up_total',
  help: 'Case store writes given up for good and raised to administrators as a store alert',
  registers,
});

export const alertsRaised = new Counter({
  name: 'pcm_alerts_raised_total',
  help: 'Alerts written to the case store, by kind (warning, breach, re-escalation, manual) and the role they are addressed to',
  labelNames: ['kind', 'role'] as const,
  registers,
});

export const alertsAcknowledged = new Counter({
  name: 'pcm_alerts_acknowledged_total',
  help: 'Alerts acknowledged through the API, by kind and role',
  labelNames: ['kind', 'role'] as const,
  registers,
});

export const alertTimeToAcknowledge = new Histogram({
  name: 'pcm_alert_time_to_acknowledge_seconds',
  help: 'From an alert falling due to its acknowledgement, by kind and role',
  labelNames: ['kind', 'role'] as const,
  buckets: [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400],
  registers,
});

export const webhookDeliveries = new Counter({
  name: 'pcm_alert_webhook_deliveries_total',
  help: 'Alert webhook delivery attempts, by role and state (delivered, failed, not-configured)',
  labelNames: ['role', 'state'] as const,
  registers,
});

export const platformDeliveries = new Counter({
  name: 'pcm_platform_deliveries_total',
  help: 'Replies, posts and survey invitations sent through the platform adapter, by kind (reply, post, survey) and state (delivered, failed, given-up, not-configured)',
  labelNames: ['kind', 'state'] as const,
  registers,
});

export const clocksMet = new Counter({
  name: 'pcm_clocks_met_total',
  help: 'Clocks met, by clock kind and whether they were met late (after their due time)',
  labelNames: ['clock_kind', 'late'] as const,
  registers,
});

export const clocksBreached = new Counter({
  name: 'pcm_clocks_breached_total',
  help: 'Clocks that reached their due time unmet, by clock kind',
  labelNames: ['clock_kind'] as const,
  registers,
});

/** A gauge read when scraped; a failed read leaves it out of that scrape rather than failing it. */
export function scrapedGauge<L extends string>(options: { name: string; help: string; labelNames?: readonly L[]; read: (gauge: Gauge<L>) => Promise<void> | void }): Gauge<L> {
  const existing = registry.getSingleMetric(options.name);
  if (existing) registry.removeSingleMetric(options.name);
  return new Gauge<L>({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames ?? [],
    registers,
    async collect() {
      this.reset();
      try {
        await options.read(this);
      } catch {
        // The dependency alerts say the database is down; a figure that could not be read is absent.
      }
    },
  });
}
