import { Module } from '@nestjs/common';
import { SystemChecksService } from './system-checks.service.js';

@Module({ providers: [SystemChecksService], exports: [SystemChecksService] })
export class SystemChecksModule {}
