import { Module } from '@nestjs/common';
import { CallerIdentities } from './caller-identities.service.js';
import { CaseQueries } from './case-queries.service.js';
import { CaseStore } from './case-store.service.js';
import { CaseStoreWatch } from './case-store-watch.service.js';
import { ContactCasesService } from './contact-cases.service.js';
import { PolicyModule } from '../policy/policy.module.js';

/** The case store: written by the worker's activities, read by the API. */
@Module({ providers: [CaseStore, CaseQueries], exports: [CaseStore, CaseQueries] })
export class CaseStoreModule {}

/** The API's operations on contact cases (needs the Temporal client). */
@Module({ imports: [CaseStoreModule, PolicyModule], providers: [ContactCasesService, CallerIdentities, CaseStoreWatch], exports: [ContactCasesService, CallerIdentities, CaseStoreModule] })
export class ContactCasesModule {}
