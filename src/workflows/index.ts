// Every workflow the worker hosts.
export { contactCaseWorkflow } from './contact-case.workflow.js';
export { systemCheckWorkflow } from './system-check.workflow.js';
export { caseArchiveWorkflow } from './case-archive.workflow.js';
export { caseReplayWorkflow } from './case-replay.workflow.js';
export { alertDeliveryWorkflow } from './alert-delivery.workflow.js';
export { outboundDeliveryWorkflow } from './outbound-delivery.workflow.js';
export { continuityDrillWorkflow } from './continuity-drill.workflow.js';
