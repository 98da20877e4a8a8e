import { Module } from '@nestjs/common';
import { AlertQueries } from './alert-queries.service.js';
import { AlertStream } from './alert-stream.service.js';
import { AlertWebhooks } from './alert-webhooks.service.js';

/** The alerts: the inbox and the live stream (the API), and delivery to webhooks (the worker). */
@Module({ providers: [AlertQueries, AlertStream, AlertWebhooks], exports: [AlertQueries, AlertStream, AlertWebhooks] })
export class AlertsModule {}
