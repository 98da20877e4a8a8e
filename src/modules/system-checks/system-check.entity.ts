import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * One end-to-end check of the running system: the API started a workflow, the worker ran it, and
 * its activity wrote this row. Operators use it to prove the whole chain after a deployment.
 */
export const SystemCheckSchema = defineEntity({
  name: 'SystemCheck',
  tableName: 'system_check',
  properties: {
    id: p.uuid().primary(),
    workflowId: p.string().unique(),
    requestedAt: p.datetime(),
    recordedAt: p.datetime(),
    workerIdentity: p.string(),
    requestedBySubject: p.string(),
    requestedByRole: p.string().length(64),
  },
});

export type SystemCheck = InferEntity<typeof SystemCheckSchema>;
