import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { NativeConnection, Worker } from '@temporalio/worker';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { waitUntil } from '../../infra/child-process.js';
import { AppLogger } from '../logging/app-logger.js';
import { ACTIVITIES_PROVIDER } from './activities.decorator.js';
import { encryptingDataConverter } from './payload-codec.js';
import { temporalConnectionSettings } from './temporal-connection-options.js';
import { workerIdentity } from './worker-identity.js';
import { workflowSource } from './workflow-source.js';

type ActivityFunction = (...args: unknown[]) => Promise<unknown>;

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

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly logger: AppLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { temporal } = this.config;
    const activities = this.collectActivities();
    // The worker may start before the Temporal server is reachable (a cluster restart, or dev start-up).
    this.connection = await waitUntil(() => NativeConnection.connect(temporalConnectionSettings(temporal)), {
      timeoutMs: 120_000,
      intervalMs: 1_000,
      what: `Temporal at ${temporal.address}`,
    });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      identity: workerIdentity(),
      activities,
      ...workflowSource(),
      shutdownGraceTime: temporal.workerShutdownGraceMs,
      dataConverter: encryptingDataConverter(this.config.codec.keys),
      // A clock that falls due on a case cached by a worker that has died must not wait long for it.
      stickyQueueScheduleToStartTimeout: temporal.stickyQueueTimeoutMs,
      maxConcurrentWorkflowTaskExecutions: temporal.workflowTaskSlots,
      maxConcurrentWorkflowTaskPolls: Math.max(2, Math.floor(temporal.workflowTaskSlots / 2)),
      // Bounded: without it every open case stays cached, and memory grows with the queue.
      maxCachedWorkflows: temporal.maxCachedWorkflows,
    });
    this.running = this.worker.run();
    this.logger.log(
      { msg: 'worker running', startedInMs: Math.round(performance.now()), taskQueue: temporal.taskQueue, namespace: temporal.namespace, activities: Object.keys(activities) },
      'Worker',
    );
  }

  /** Settles when the worker stops: after shutdown, or at once with its error if it fails. */
  completion(): Promise<void> {
    if (!this.running) throw new Error('The worker has not started');
    return this.running;
  }

  async beforeApplicationShutdown(): Promise<void> {
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
