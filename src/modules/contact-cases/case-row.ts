import { type Insertable } from 'kysely';
import { type CaseProjection } from '../../domain/case-projection.js';
import type { StoredCaseState } from '../../domain/case-records.js';
import { type StoreDatabase, type StoreTables } from '../platform/database/store-db.js';

/** The projection's fields fixed when a case is opened: written once, with the contact's details. */
const fixedAtIntake: ReadonlySet<string> = new Set<keyof CaseProjection>(['reference', 'channel', 'receivedAt', 'policyVersion', 'area', 'flags']);

/** The case row's columns written once at intake, from the contact's details. */
type IntakeColumns =
  | 'reference'
  | 'workflow_id'
  | 'channel'
  | 'received_at'
  | 'policy_version'
  | 'area'
  | 'flags'
  | 'created_by_subject'
  | 'created_by_role'
  | 'caller'
  | 'narrative'
  | 'location'
  | 'interpreter_language'
  | 'channel_details'
  | 'linked_references';

/** The rest of the case row: what follows the case (a column missing from the projection fails the store's tests at its first insert). */
export type FollowedRow = Omit<Insertable<StoreTables['contact_case']>, IntakeColumns>;

/** A column of the case row that holds a field of the projection. */
interface FollowedColumn {
  field: keyof CaseProjection;
  column: string;
  type: string;
}

const followedByStore = new WeakMap<StoreDatabase, readonly FollowedColumn[]>();

/**
 * The columns of the case row that follow the case: each column of `contact_case` whose entity
 * property is named as a field of the projection, those fixed at intake aside. Derived, so a field
 * added to the projection is written with every change and compared by the reconciler as soon as
 * the entity has a column of its name; the projection's other fields (the search attributes') have
 * none.
 */
export function followedColumns(store: StoreDatabase, projected: CaseProjection): readonly FollowedColumn[] {
  let followed = followedByStore.get(store);
  if (!followed) {
    const columns = store.columns('contact_case');
    followed = (Object.keys(projected) as Array<keyof CaseProjection>).flatMap((field) => {
      const column = columns.get(field);
      return column && !fixedAtIntake.has(field) ? [{ field, ...column }] : [];
    });
    followedByStore.set(store, followed);
  }
  return followed;
}

/** A projected value as its column takes it: a time as a `Date`, a list copied. */
function columnValue(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type.startsWith('timestamp')) return new Date(value as string);
  return Array.isArray(value) ? [...(value as unknown[])] : value;
}

/** The case row's columns that follow from the projection (and the state kept with it), as the case store writes them with each change. */
export function caseRowOf(store: StoreDatabase, projected: CaseProjection, state: StoredCaseState, at: Date): FollowedRow {
  const row: Record<string, unknown> = { state, updated_at: at };
  for (const { field, column, type } of followedColumns(store, projected)) row[column] = columnValue(projected[field], type);
  return row as FollowedRow;
}

/** A value as the workflow and the API state it: a time as UTC ISO 8601, nothing missing but null. */
export const asStated = (value: unknown) => (value instanceof Date ? value.toISOString() : (value ?? null));
