// Every workflow the worker hosts.
export { systemCheckWorkflow } from './system-check.workflow.js';
