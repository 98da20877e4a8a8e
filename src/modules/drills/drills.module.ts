import { Module } from '@nestjs/common';
import { DrillsService } from './drills.service.js';

@Module({ providers: [DrillsService], exports: [DrillsService] })
export class DrillsModule {}
