import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { NativeConnection, Worker } from '@temporalio/worker';
import { type AppConfig } from '../../../config/app-config.js';
import { APP_CONFIG } from '../../../config/config.module.js';
import { waitUntil } from '../process/child-process.js';
import { AppLogger } from '../logging/app-logger.js';
import { ACTIVITIES_PROVIDER } from './activities.decorator.js';
import { encryptingDataConverter } from './payload-codec.js';
import { temporalConnectionSettings } from './temporal-connection-options.js';
import { workerIdentity } from './worker-identity.js';
import { workerRestarts } from './worker-restarts.js';
import { workflowSource } from './workflow-source.js';
import { type Context as ActivityContext } from '@temporalio/activity';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import { activeTracing } from '../telemetry/tracing.js';

type ActivityFunction = (...args: unknown[]) => Promise<unknown>;

/**
 * The worker's part of tracing, when it is on: each activity runs in a span under its workflow's,
 * and the spans the workflow sandbox makes leave through the `exporter` sink (in place of the one
 * workflowSource() gives, which drops them).
 */
function workerTracing(source: ReturnType<typeof workflowSource>) {
  const tracing = activeTracing();
  if (!tracing) return {};
  return {
    sinks: { exporter: makeWorkflowExporter(tracing.workflowSpans as unknown as Parameters<typeof makeWorkflowExporter>[0], undefined as never) },
    interceptors: {
      ...('interceptors' in source ? source.interceptors : {}),
      activity: [(ctx: ActivityContext) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    },
  };
}

/**
 * Hosts the workflows and the activities of every @ActivitiesProvider() in the Nest container.
 * Created when the application boots; on shutdown it drains in-flight activities, awaits the run
 * promise and closes its connection.
 */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private connection?: NativeConnection;
  private worker?: Worker;
  private running?: Promise<void>;
  /** Set while a drill's restart has the worker down: its stop then is not the process's end. */
  private restarting?: Promise<void>;
  private activities: Record<string, ActivityFunction> = {};
  private stopping = false;
  private wake?: () => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly logger: AppLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { temporal } = this.config;
    this.activities = this.collectActivities();
    // The worker may start before the Temporal server is reachable (a cluster restart, or dev start-up).
    this.connection = await waitUntil(() => NativeConnection.connect(temporalConnectionSettings(temporal)), {
      timeoutMs: 120_000,
      intervalMs: 1_000,
      what: `Temporal at ${temporal.address}`,
    });
    await this.startWorker();
    workerRestarts.register((downMs) => this.restart(downMs));
  }

  private async startWorker(): Promise<void> {
    const { temporal } = this.config;
    const activities = this.activities;
    const source = workflowSource({ traced: activeTracing() !== undefined });
    this.worker = await Worker.create({
      connection: this.connection!,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      identity: workerIdentity(),
      activities,
      ...source,
      shutdownGraceTime: temporal.workerShutdownGraceMs,
      dataConverter: encryptingDataConverter(this.config.codec.keys),
      // A clock that falls due on a case cached by a worker that has died must not wait long for it.
      stickyQueueScheduleToStartTimeout: temporal.stickyQueueTimeoutMs,
      maxConcurrentWorkflowTaskExecutions: temporal.workflowTaskSlots,
      maxConcurrentWorkflowTaskPolls: Math.max(2, Math.floor(temporal.workflowTaskSlots / 2)),
      // Bounded: without it every open case stays cached, and memory grows with the queue.
      maxCachedWorkflows: temporal.maxCachedWorkflows,
      ...workerTracing(source),
    });
    this.running = this.worker.run();
    this.logger.log(
      { msg: 'worker running', startedInMs: Math.round(performance.now()), taskQueue: temporal.taskQueue, namespace: temporal.namespace, activities: Object.keys(activities) },
      'Worker',
    );
  }

  /**
   * A continuity drill's restart: the worker stops polling and drains as on shutdown (losing its
   * cache of cases), stays down for `downMs`, and a new worker starts on the same task queue.
   */
  async restart(downMs: number): Promise<void> {
    if (this.restarting || !this.worker || this.worker.getState() !== 'RUNNING') return;
    let done!: () => void;
    this.restarting = new Promise((resolve) => (done = resolve));
    try {
      this.logger.warn({ msg: 'worker stopping for a continuity drill', downMs }, 'Worker');
      this.worker.shutdown();
      await this.running;
      // Down for the drill's time, unless the process is told to stop meanwhile.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, downMs);
        this.wake = () => (clearTimeout(timer), resolve());
      });
      if (this.stopping) return;
      await this.startWorker();
      this.logger.warn({ msg: 'worker back after a continuity drill restart', downMs }, 'Worker');
    } catch (error) {
      this.logger.error({ msg: 'the worker could not start again after a drill restart', err: error }, 'Worker');
    } finally {
      this.restarting = undefined;
      done();
    }
  }

  /** Settles when the worker stops for good: after shutdown, or at once with its error if it fails. */
  async completion(): Promise<void> {
    if (!this.running) throw new Error('The worker has not started');
    for (;;) {
      const running: Promise<void> | undefined = this.running;
      await running;
      // A drill's restart stops the worker and starts a new one: wait for that one instead.
      const restarting = this.restarting;
      if (!restarting) return;
      await restarting;
      if (this.running === running) return;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.restarting;
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch((error: unknown) => this.logger.error({ msg: 'worker stopped with an error', err: error }, 'Worker'));
    await this.connection?.close();
  }

  private collectActivities(): Record<string, ActivityFunction> {
    const activities: Record<string, ActivityFunction> = {};
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      const metatype = wrapper.metatype;
      if (!instance || !metatype || !this.reflector.get(ACTIVITIES_PROVIDER, metatype)) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const method = prototype[name];
        if (name === 'constructor' || typeof method !== 'function') continue;
        if (activities[name]) throw new Error(`Two activities are named ${name}`);
        activities[name] = (method as ActivityFunction).bind(instance);
      }
    }
    return activities;
  }
}
