import type { AuditDraft, AuditRecord } from './audit-record.js';
import { sealAuditRecord } from './hash-chain.js';

/** The newest record of a chain (or the checkpoint it continues from); seq 0 and no hash when empty. */
export interface ChainHead {
  seq: number;
  hash: string | null;
}

/** A draft with the record id it will be stored under, fixed before it is written so that writing it again adds nothing twice. */
export interface IdentifiedDraft {
  id: string;
  draft: AuditDraft;
}

/**
 * Seals drafts after the head, in order: each takes the next sequence number and points at the
 * hash of the one before it. Both stores run this and only decide how the head is read and
 * what happens when another writer took the same numbers.
 */
export function sealChain(drafts: readonly IdentifiedDraft[], head: ChainHead, recordedAt: string): AuditRecord[] {
  let prevHash = head.hash;
  return drafts.map(({ id, draft }, i) => {
    const record = sealAuditRecord(draft, { id, seq: head.seq + i + 1, recordedAt, prevHash });
    prevHash = record.hash;
    return record;
  });
}
