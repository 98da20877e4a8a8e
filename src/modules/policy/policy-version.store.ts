import { type EntityManager } from '@mikro-orm/postgresql';
import { type ContactPolicy } from '../../domain/policy.js';
import { canonicalJson, sha256 } from '../common/canonical-json.js';

/** Keeps a policy by its version, once; answers the hash recorded for that version (which may differ). */
export async function recordPolicyVersion(em: EntityManager, policy: ContactPolicy): Promise<{ sha256: string; recordedSha256: string }> {
  const hash = sha256(canonicalJson(policy));
  await em.execute('insert into policy_version (version, content, sha256, recorded_at) values (?, ?, ?, ?) on conflict (version) do nothing', [
    policy.version,
    JSON.stringify(policy),
    hash,
    new Date(),
  ]);
  const [row] = await em.execute<Array<{ sha256: string }>>('select sha256 from policy_version where version = ?', [policy.version]);
  return { sha256: hash, recordedSha256: row.sha256 };
}
