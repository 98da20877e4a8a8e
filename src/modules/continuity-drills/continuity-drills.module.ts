import { Module } from '@nestjs/common';
import { ContinuityDrillsService } from './continuity-drills.service.js';

@Module({ providers: [ContinuityDrillsService], exports: [ContinuityDrillsService] })
export class ContinuityDrillsModule {}
