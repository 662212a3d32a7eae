import type {
  AuditCheckpoint,
  AuditDraft,
  AuditRecord,
  SignedCheckpoint,
  StoredAuditRecord,
} from '../../domain/audit/index.js';

export interface AuditQuery {
  limit: number;
  /** Oldest first (the default) or newest first. */
  order?: 'oldest' | 'newest';
  /** Records with a sequence number above this one. */
  afterSeq?: number;
  /** Records with a sequence number below this one. */
  beforeSeq?: number;
  deliveryId?: string;
  traceId?: string;
  userId?: string;
  installationId?: number;
  /** Records about any of these repo ids, or whose subject names this full name (without case). */
  repo?: { ids: readonly number[]; fullName?: string };
  kind?: string;
  since?: string;
}

export interface AuditStore {
  /** Appends in order, chaining each record to the one before it. */
  appendAudit(drafts: AuditDraft[]): Promise<AuditRecord[]>;
  listAudit(query: AuditQuery): Promise<AuditRecord[]>;
  /** Records after `afterSeq`, oldest first, with the search keys stored beside each (for verification). */
  listStoredAudit(afterSeq: number, limit: number): Promise<StoredAuditRecord[]>;
  /** How many records of a kind were written, by reason (a record without one counts under ''). */
  countAuditByReason(kind: string): Promise<Record<string, number>>;
  /** Null until records were pruned; then where the remaining chain starts. */
  auditCheckpoint(): Promise<AuditCheckpoint | null>;
  /**
   * Removes the oldest records, those recorded before `recordedBefore`, as one prefix of the
   * chain, and moves the checkpoint to the last one removed, so the rest still verifies.
   */
  pruneAudit(recordedBefore: string, prunedAt: string): Promise<{ pruned: number; checkpoint: AuditCheckpoint | null }>;
  /** Keeps a signed checkpoint; false when its number or its seq is taken (another replica wrote that one). */
  appendSignedCheckpoint(checkpoint: SignedCheckpoint): Promise<boolean>;
  lastSignedCheckpoint(): Promise<SignedCheckpoint | null>;
  /** The first signed checkpoint at or after `seq` (the one whose records include it). */
  signedCheckpointCovering(seq: number): Promise<SignedCheckpoint | null>;
  signedCheckpointNumbered(number: number): Promise<SignedCheckpoint | null>;
}
