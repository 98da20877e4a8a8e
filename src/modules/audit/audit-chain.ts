import { type EntityManager } from '@mikro-orm/postgresql';
import { type ActorRef } from '../../domain/actor.js';
import type { RecordedEntry } from '../../workflows/contact-case.messages.js';
import { canonicalJson, sha256 } from '../common/canonical-json.js';

/** The hash the first entry of every case follows. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an audit entry's hash covers (with the hash of the entry before it). */
export interface AuditEntryContent {
  reference: string;
  sequence: number;
  entryId: string;
  at: string;
  actor: ActorRef;
  /** For the system's own decisions: the rule that fired (for example `clock-breach:attendance`). */
  rule: string | null;
  action: string;
  summary: Record<string, unknown>;
  policyVersion: string;
}

export const auditHash = (previousHash: string, content: AuditEntryContent) => sha256(`${previousHash}\n${canonicalJson(content)}`);

/** The rule behind a decision the workflow made itself, named from the entry's codes. */
function ruleOf(actor: ActorRef, entry: RecordedEntry): string | null {
  if (actor.role !== 'system') return null;
  const clock = typeof entry.details.clock === 'string' ? entry.details.clock.replace(/-\d+$/, '') : null;
  const reason = typeof entry.details.reason === 'string' ? entry.details.reason : entry.type;
  return clock ? `${reason}:${clock}` : reason;
}

/**
 * Appends a change's entries to the case's chain, in the transaction that writes them to the
 * timeline. A case's changes are written one at a time (its workflow runs them in order), so the
 * chain's head read here is the one the new entries follow.
 */
export async function appendAuditEntries(em: EntityManager, reference: string, policyVersion: string, actor: ActorRef, at: Date, entries: RecordedEntry[]): Promise<void> {
  const [head] = await em.execute<Array<{ hash: string }>>('select hash from audit_entry where reference = ? order by sequence desc limit 1', [reference]);
  let previous = head?.hash ?? GENESIS_HASH;
  const rows: unknown[][] = [];
  for (const entry of entries) {
    const content: AuditEntryContent = {
      reference,
      sequence: entry.sequence,
      entryId: entry.id,
      at: at.toISOString(),
      actor: { subject: actor.subject, role: actor.role },
      rule: ruleOf(actor, entry),
      action: entry.type,
      summary: entry.details,
      policyVersion,
    };
    const hash = auditHash(previous, content);
    rows.push([reference, content.sequence, content.entryId, at, actor.subject, actor.role, content.rule, content.action, JSON.stringify(content.summary), policyVersion, previous, hash]);
    previous = hash;
  }
  await em.execute(
    `insert into audit_entry (reference, sequence, entry_id, at, actor_subject, actor_role, rule, action, summary, policy_version, prev_hash, hash)
     values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    rows.flat(),
  );
}
