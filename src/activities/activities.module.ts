import { Module } from '@nestjs/common';
import { SystemChecksModule } from '../modules/system-checks/system-checks.module.js';
import { SystemCheckActivities } from './system-check.activities.js';

/** Every activity provider the worker registers. */
@Module({ imports: [SystemChecksModule], providers: [SystemCheckActivities] })
export class ActivitiesModule {}
