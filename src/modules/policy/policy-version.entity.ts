import { defineEntity, p } from '@mikro-orm/core';

/** Every policy a process has run with, by version: a version's content never changes once recorded. */
export const PolicyVersionSchema = defineEntity({
  name: 'PolicyVersion',
  tableName: 'policy_version',
  properties: {
    version: p.string().primary().length(64),
    content: p.json<Record<string, unknown>>(),
    sha256: p.string().length(64),
    recordedAt: p.datetime(),
  },
});
