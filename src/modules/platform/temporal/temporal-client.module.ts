import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { type AppConfig } from '../../../config/app-config.js';
import { APP_CONFIG } from '../../../config/config.module.js';
import { type ComponentHealth, probeWithin } from '../health/component-health.js';
import { encryptingDataConverter } from './payload-codec.js';
import { temporalConnectionSettings } from './temporal-connection-options.js';
import { missingSearchAttributes } from './search-attribute-registration.js';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { activeTracing } from '../telemetry/tracing.js';

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
    // A page of a long case's history (every change is in it, as its store write's input) can pass
    // gRPC's default 4 MiB: archiving and replaying it must not fail for that.
    this.connection = Connection.lazy({ ...temporalConnectionSettings(config.temporal), channelArgs: { 'grpc.max_receive_message_length': 64 * 1024 * 1024 } });
    this.namespace = config.temporal.namespace;
    this.taskQueue = config.temporal.taskQueue;
    this.client = new Client({
      connection: this.connection,
      namespace: this.namespace,
      dataConverter: encryptingDataConverter(config.codec.keys),
      // With tracing on, the active trace goes to the workflow in each start's and update's headers.
      ...(activeTracing() ? { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } } : {}),
    });
  }

  health(timeoutMs: number): Promise<ComponentHealth> {
    return probeWithin(timeoutMs, () =>
      this.connection.withDeadline(Date.now() + timeoutMs, () =>
        this.connection.workflowService.describeNamespace({ namespace: this.namespace }),
      ),
    );
  }

  /**
   * Whether the namespace is ready for cases: it exists and has every case search attribute (a
   * case cannot start without them). Down, naming what is missing, when it is not.
   */
  namespaceReady(timeoutMs: number): Promise<ComponentHealth> {
    return probeWithin(timeoutMs, () =>
      this.connection.withDeadline(Date.now() + timeoutMs, async () => {
        const missing = await missingSearchAttributes(this.connection, this.namespace).catch((error: unknown) => {
          if ((error as { code?: number }).code === GRPC_NOT_FOUND) throw new Error(`namespace ${this.namespace} does not exist: run npm run temporal:setup`);
          throw error;
        });
        if (missing.length > 0) throw new NamespaceNotReadyError(this.namespace, missing);
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

const GRPC_NOT_FOUND = 5;

/** The namespace lacks search attributes a case needs: named, with the command that adds them. */
export class NamespaceNotReadyError extends Error {
  constructor(
    readonly namespace: string,
    readonly missing: string[],
  ) {
    super(`namespace ${namespace} lacks the search attributes ${missing.join(', ')}: run npm run temporal:setup`);
    this.name = 'NamespaceNotReadyError';
  }
}

@Global()
@Module({ providers: [TemporalClientService], exports: [TemporalClientService] })
export class TemporalClientModule {}
