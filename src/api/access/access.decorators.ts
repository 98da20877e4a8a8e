import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiResponse } from '@nestjs/swagger';
import { type Actor } from '../../modules/platform/access/access-token.js';
import { type Permission } from '../../domain/permissions.js';

export const PUBLIC_ROUTE = Symbol('PUBLIC_ROUTE');
export const REQUIRED_PERMISSION = Symbol('REQUIRED_PERMISSION');
export const RATE_LIMIT_BUCKET = Symbol('RATE_LIMIT_BUCKET');

export type RateLimitBucket = 'intake';

/** Open to anyone, without a token (health, for load balancers). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension('x-permission', 'public'));

/**
 * The caller must hold `permission` through one of their roles. Published in the OpenAPI document
 * as `x-permission`, so that clients and the access-control tests read it from there.
 */
export const RequirePermission = (permission: Permission) =>
  applyDecorators(
    SetMetadata(REQUIRED_PERMISSION, permission),
    ApiBearerAuth(),
    ApiExtension('x-permission', permission),
    ApiResponse({ status: 401, description: 'No token, or a token that does not verify' }),
    ApiResponse({ status: 403, description: `None of the caller's roles grants ${permission}` }),
  );

/** Limits how often one caller may use the route (see RATE_LIMIT_* in the configuration). */
export const RateLimited = (bucket: RateLimitBucket) =>
  applyDecorators(SetMetadata(RATE_LIMIT_BUCKET, bucket), ApiResponse({ status: 429, description: 'Too many requests; see Retry-After' }));

export interface AuthenticatedRequest {
  actor?: Actor & { role: string };
}

/** The authenticated caller, with the role that granted this route's permission. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without RequirePermission');
  return actor;
});
