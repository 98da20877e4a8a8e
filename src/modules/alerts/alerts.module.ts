import { Module } from '@nestjs/common';
import { AlertQueries } from './alert-queries.service.js';
import { AlertStream } from './alert-stream.service.js';

/** The alerts: the inbox and the live stream, read from the case store. */
@Module({ providers: [AlertQueries, AlertStream], exports: [AlertQueries, AlertStream] })
export class AlertsModule {}
