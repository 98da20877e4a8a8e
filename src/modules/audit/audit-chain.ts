import { type ActorRef } from '../../domain/actor.js';
import type { RecordedEntry } from '../../domain/case-records.js';
import { canonicalJson, sha256 } from '../platform/common/canonical-json.js';

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
  const reason = 'reason' in entry.details ? entry.details.reason : entry.type;
  const clockKind = 'clockKind' in entry.details ? entry.details.clockKind : null;
  return clockKind ? `${reason}:${clockKind}` : reason;
}

/** An audit entry as its row is written: the content, the hash it follows, and its own. */
export interface AuditRow extends AuditEntryContent {
  prevHash: string;
  hash: string;
}

/**
 * A change's entries as links of the case's chain, following `head` (the hash of the case's last
 * entry, or GENESIS_HASH). The caller writes them in the statement that writes the timeline; a
 * case's changes are written one at a time (its workflow runs them in order), so the head it read
 * is the one they follow.
 */
export function chainAuditEntries(head: string, reference: string, policyVersion: string, actor: ActorRef, at: Date, entries: RecordedEntry[]): AuditRow[] {
  let previous = head;
  return entries.map((entry) => {
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
    const row = { ...content, prevHash: previous, hash };
    previous = hash;
    return row;
  });
}
