import { type ContactPolicy } from '../../domain/policy.js';
import { canonicalJson, sha256 } from '../platform/common/canonical-json.js';
import { type StoreDatabase } from '../platform/database/store-db.js';

/** Keeps a policy by its version, once; answers the hash recorded for that version (which may differ). */
export async function recordPolicyVersion(store: StoreDatabase, policy: ContactPolicy): Promise<{ sha256: string; recordedSha256: string }> {
  const hash = sha256(canonicalJson(policy));
  const added = await store.db
    .insertInto('policy_version')
    .values({ version: policy.version, content: { ...policy }, sha256: hash, recorded_at: new Date() })
    .onConflict((conflict) => conflict.column('version').doNothing())
    .returning('sha256')
    .executeTakeFirst();
  // Recorded before (by this process or another): the version's first content stays.
  const recorded = added ?? (await store.db.selectFrom('policy_version').select('sha256').where('version', '=', policy.version).executeTakeFirstOrThrow());
  // The management information's days and months are cut in the policy's time zone.
  await store.db
    .insertInto('mi_setting')
    .values({ id: true, time_zone: policy.calendar.timeZone })
    .onConflict((conflict) =>
      conflict
        .column('id')
        .doUpdateSet((eb) => ({ time_zone: eb.ref('excluded.time_zone') }))
        .where('mi_setting.time_zone', 'is distinct from', (eb) => eb.ref('excluded.time_zone')),
    )
    .execute();
  return { sha256: hash, recordedSha256: recorded.sha256 };
}
