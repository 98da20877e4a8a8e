import {
  CaseAssessmentSchema,
  CaseCrimeDecisionSchema,
  CaseEventSchema,
  CaseIncidentSchema,
  CaseNoteSchema,
  CaseReferralSchema,
  IntakeRequestSchema,
  ReferenceSequenceSchema,
} from '../contact-cases/case-records.entity.js';
import { ContactCaseSchema } from '../contact-cases/contact-case.entity.js';
import { SystemCheckSchema } from '../system-checks/system-check.entity.js';

/** Every entity the case store maps. */
export const entities = [
  SystemCheckSchema,
  ContactCaseSchema,
  CaseEventSchema,
  CaseAssessmentSchema,
  CaseIncidentSchema,
  CaseCrimeDecisionSchema,
  CaseReferralSchema,
  CaseNoteSchema,
  IntakeRequestSchema,
  ReferenceSequenceSchema,
];
