import { Module } from '@nestjs/common';
import { ContactCasesModule } from '../contact-cases/contact-cases.module.js';
import { SatisfactionSurveys } from './satisfaction.service.js';
import { SurveyLinks } from './survey-links.js';

/** Satisfaction surveys: the decision on each closed case, the signed links, the answers. */
@Module({ imports: [ContactCasesModule], providers: [SatisfactionSurveys, SurveyLinks], exports: [SatisfactionSurveys, SurveyLinks] })
export class SatisfactionModule {}
