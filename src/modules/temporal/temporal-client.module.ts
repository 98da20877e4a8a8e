import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { type ComponentHealth, probeWithin } from '../health/component-health.js';
import { encryptingDataConverter } from './payload-codec.js';
import { temporalConnectionSettings } from './temporal-connection-options.js';

/**
 * The API's Temporal client. The connection is lazy, so the API starts (and reports Temporal as
 * down on /health) even while the Temporal server is unreachable.
 */
@Injectable()
export class TemporalClientService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;
  readonly namespace: string;
  readonly taskQueue: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connection = Connection.lazy(temporalConnectionSettings(config.temporal));
    this.namespace = config.temporal.namespace;
    this.taskQueue = config.temporal.taskQueue;
    this.client = new Client({ connection: this.connection, namespace: this.namespace, dataConverter: encryptingDataConverter(config.codec.keys) });
  }

  health(timeoutMs: number): Promise<ComponentHealth> {
    return probeWithin(timeoutMs, () =>
      this.connection.withDeadline(Date.now() + timeoutMs, () =>
        this.connection.workflowService.describeNamespace({ namespace: this.namespace }),
      ),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalClientService], exports: [TemporalClientService] })
export class TemporalClientModule {}
