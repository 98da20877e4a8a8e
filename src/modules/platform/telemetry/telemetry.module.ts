import { Module } from '@nestjs/common';
import { PolicyModule } from '../../policy/policy.module.js';
import { TemporalClientModule } from '../temporal/temporal-client.module.js';
import { StoreGauges } from './store-gauges.service.js';

/** The API's gauges read from the case store when scraped (the counters live in metrics.ts). */
@Module({ imports: [PolicyModule, TemporalClientModule], providers: [StoreGauges] })
export class TelemetryModule {}
