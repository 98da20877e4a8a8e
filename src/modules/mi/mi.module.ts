import { Module } from '@nestjs/common';
import { PolicyModule } from '../policy/policy.module.js';
import { MiMeasures } from './mi-measures.service.js';

/** Management information for the police authority, from the counts the case store keeps. */
@Module({ imports: [PolicyModule], providers: [MiMeasures], exports: [MiMeasures] })
export class MiModule {}
