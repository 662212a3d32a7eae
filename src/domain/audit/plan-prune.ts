import type { AuditCheckpoint } from './audit-record.js';

/** Where a record sits in the chain: its number and the hash of the record before it. */
export interface ChainLink {
  seq: number;
  prevHash: string | null;
}

export interface PruneFacts {
  /** The oldest record recorded at or after the cutoff (null: every record is older). */
  firstKept: ChainLink | null;
  /** The newest record (null: the chain is empty). */
  newest: ChainLink | null;
  /** Where the chain starts now, if it was pruned before. */
  previous: AuditCheckpoint | null;
  prunedAt: string;
}

export type PrunePlan =
  | { kind: 'keep'; checkpoint: AuditCheckpoint | null }
  /** Remove every record below `keepFrom` and move the checkpoint to the last one removed. */
  | { kind: 'prune'; keepFrom: number; checkpoint: AuditCheckpoint };

/**
 * What a prune removes: a prefix of the chain, the records before the first one kept. When
 * every record is older than the cutoff the newest stays, so the chain keeps its head and the
 * next append still links to it. The checkpoint is the last removed record's number and hash
 * (the first kept record's previous hash), so the rest still verifies after the removal.
 */
export function planPrune(facts: PruneFacts): PrunePlan {
  const keep = { kind: 'keep' as const, checkpoint: facts.previous };
  const from = facts.firstKept ?? facts.newest;
  if (from === null || from.prevHash === null) return keep;
  const previousSeq = facts.previous?.seq ?? 0;
  const lastRemoved = from.seq - 1;
  if (lastRemoved <= previousSeq) return keep;
  return {
    kind: 'prune',
    keepFrom: from.seq,
    checkpoint: {
      seq: lastRemoved,
      hash: from.prevHash,
      prunedAt: facts.prunedAt,
      // Records below the previous checkpoint were counted by the prune that moved it there.
      pruned: (facts.previous?.pruned ?? 0) + (lastRemoved - previousSeq),
    },
  };
}
