import { type ContactPolicy } from '../../domain/policy.js';
import { canonicalJson, sha256 } from '../platform/common/canonical-json.js';
import { type Sql } from '../platform/database/sql.js';

/** Keeps a policy by its version, once; answers the hash recorded for that version (which may differ). */
export async function recordPolicyVersion(sql: Sql, policy: ContactPolicy): Promise<{ sha256: string; recordedSha256: string }> {
  const hash = sha256(canonicalJson(policy));
  // One statement: the row this adds, or the one recorded before (which the same snapshot sees).
  const [row] = await sql.query<{ sha256: string }>(
    `with added as (
       insert into policy_version (version, content, sha256, recorded_at) values ($1, $2, $3, now())
       on conflict (version) do nothing returning sha256)
     select sha256 from added union all select sha256 from policy_version where version = $1 limit 1`,
    [policy.version, JSON.stringify(policy), hash],
  );
  // The management information's days and months are cut in the policy's time zone.
  await sql.query(
    `insert into mi_setting (id, time_zone) values (true, $1)
     on conflict (id) do update set time_zone = excluded.time_zone where mi_setting.time_zone is distinct from excluded.time_zone`,
    [policy.calendar.timeZone],
  );
  return { sha256: hash, recordedSha256: row.sha256 };
}
