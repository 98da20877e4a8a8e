import {
  CallerIdentitySchema,
  CaseAssessmentSchema,
  CaseCrimeDecisionSchema,
  CaseEventSchema,
  CaseIncidentSchema,
  CaseNoteSchema,
  CaseAlertSchema,
  CaseChangeSchema,
  CaseDowngradeDecisionSchema,
  CaseReferralSchema,
  CaseResolutionSchema,
  IntakeRequestSchema,
  StoreAlertSchema,
  ReferenceSequenceSchema,
} from '../../contact-cases/case-records.entity.js';
import { AuditEntrySchema, CaseAccessLogSchema, CaseHistorySchema, StoreReconciliationSchema } from '../../audit/audit.entity.js';
import { PolicyVersionSchema } from '../../policy/policy-version.entity.js';
import { ContactCaseSchema } from '../../contact-cases/contact-case.entity.js';
import { SystemCheckSchema } from '../../system-checks/system-check.entity.js';
import { MiCountSchema, MiSettingSchema } from '../../mi/mi-count.entity.js';
import { CaseMessageSchema, ConversationSchema, SocialMediaPostSchema } from '../../conversations/conversation.entity.js';
import { RateLimitWindowSchema } from '../access/rate-limit.entity.js';
import { ContinuityDrillSchema } from '../../continuity-drills/continuity-drill.entity.js';
import { StaffPresenceChangeSchema, StaffPresenceSchema } from '../../presence/presence.entity.js';
import { SatisfactionSurveySchema } from '../../satisfaction/satisfaction-survey.entity.js';

/** Every table the system keeps, as an entity: a database test checks them against the migrations. */
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
  CaseAlertSchema,
  CallerIdentitySchema,
  AuditEntrySchema,
  CaseAccessLogSchema,
  CaseHistorySchema,
  PolicyVersionSchema,
  MiCountSchema,
  MiSettingSchema,
  ConversationSchema,
  CaseMessageSchema,
  SocialMediaPostSchema,
  RateLimitWindowSchema,
  ContinuityDrillSchema,
  CaseChangeSchema,
  CaseResolutionSchema,
  CaseDowngradeDecisionSchema,
  StoreAlertSchema,
  StoreReconciliationSchema,
  StaffPresenceSchema,
  StaffPresenceChangeSchema,
  SatisfactionSurveySchema,
];
