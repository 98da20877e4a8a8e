import { type Role } from '../../../domain/roles.js';
import { grantingRole, Permission } from '../../../domain/permissions.js';

/**
 * The fields of an answer that a route's own permission does not open: schema name → field → the
 * permission that does. Everything else an answer carries is for whoever may call its route. The
 * OpenAPI document marks each of these fields with `x-permission`, the routes strip them for
 * callers without it (`withoutRestrictedFields`), and the field-access test holds every route to
 * the document, role by role.
 */
export const restrictedFields = {
  IntakeView: { callerHistory: Permission.CallerLookup },
} as const satisfies Record<string, Record<string, Permission>>;

export type RestrictedSchema = keyof typeof restrictedFields;

/** The answer as `roles` may read it: each restricted field they lack the permission for, left out. */
export function withoutRestrictedFields<T extends object>(schema: RestrictedSchema, roles: readonly Role[], answer: T): Partial<T> {
  const shown = { ...answer } as Record<string, unknown>;
  for (const [field, permission] of Object.entries(restrictedFields[schema]) as Array<[string, Permission]>) {
    if (grantingRole(roles, permission) === undefined) delete shown[field];
  }
  return shown as Partial<T>;
}
