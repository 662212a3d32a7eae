import type { AuditKind } from './audit-kinds.js';

// The audit trail: append-only, one record per decision, chained by hash so that an edited
// or removed record shows (REQUIREMENTS.md, "Shapes": Audit record).

export const AUDIT_SCHEMA_VERSION = 1;

/** resync: the periodic drift resync (a change it makes means a webhook was missed); periodic: another periodic job. */
export type AuditActor = 'webhook' | 'sync' | 'api' | 'worker' | 'resync' | 'periodic';

export interface AuditSource {
  /** periodic: one run of a periodic job (its id is the run's, shared by every record the run writes). */
  type: 'delivery' | 'sync' | 'api' | 'periodic';
  id: string;
}

export interface AuditSubject {
  userId?: string;
  repoId?: number;
  repoFullName?: string;
  installationId?: number;
  automationId?: string;
  triggerId?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type AuditValue = Json;

/** What a decision says about itself; the store gives it a place in the chain. */
export interface AuditDraft {
  kind: AuditKind;
  actor: AuditActor;
  source: AuditSource;
  subject: AuditSubject;
  decision: string;
  reason: string | null;
  before: AuditValue;
  after: AuditValue;
  traceId: string | null;
  deliveryId: string | null;
  occurredAt: string;
}

export interface AuditRecord extends AuditDraft {
  id: string;
  seq: number;
  schemaVersion: number;
  recordedAt: string;
  prevHash: string | null;
  hash: string;
}

export interface ChainPosition {
  id: string;
  seq: number;
  recordedAt: string;
  prevHash: string | null;
}

/** Where a pruned chain now starts: the last removed record's position and hash. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  prunedAt: string;
  /** Records removed so far, over every prune. */
  pruned: number;
}

/** `id` is null where the bad record is one that is missing (a deleted tail). */
export type ChainVerdict = { ok: true } | { ok: false; seq: number; id: string | null; problem: string };
