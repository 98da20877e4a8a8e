import { defineEntity, p } from '@mikro-orm/core';

/** One rate limit's current one-minute window, shared by every API replica (see RateLimitStore). */
export const RateLimitWindowSchema = defineEntity({
  name: 'RateLimitWindow',
  tableName: 'rate_limit_window',
  properties: {
    key: p.string().primary().length(200),
    windowStartedAt: p.datetime(),
    count: p.integer(),
  },
});
