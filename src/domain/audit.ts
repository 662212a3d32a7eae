import { createHash } from 'node:crypto';

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
  kind: string;
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

/** JSON with object keys sorted at every depth, so equal records hash equally wherever stored. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashAuditRecord(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

export function sealAuditRecord(draft: AuditDraft, position: ChainPosition): AuditRecord {
  const unsealed = { ...draft, ...position, schemaVersion: AUDIT_SCHEMA_VERSION };
  return { ...unsealed, hash: hashAuditRecord(unsealed) };
}

/** Where a pruned chain now starts: the last removed record's position and hash. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  prunedAt: string;
  /** Records removed so far, over every prune. */
  pruned: number;
}

export type ChainVerdict = { ok: true } | { ok: false; seq: number; id: string; problem: string };

/**
 * Checks a run of records in sequence order against the hash before it (the previous record's,
 * a checkpoint's, or null at the start of the chain): each record must hash to its stored
 * hash and point at the one before it, and no sequence number may be missing.
 */
export function verifyChainSegment(
  records: readonly AuditRecord[],
  before: { seq: number; hash: string | null },
): { verdict: ChainVerdict; last: { seq: number; hash: string | null } } {
  let last = before;
  for (const record of records) {
    const { hash, ...rest } = record;
    const broken = (problem: string) => ({
      verdict: { ok: false as const, seq: record.seq, id: record.id, problem },
      last,
    });
    if (record.seq !== last.seq + 1) return broken(`record ${last.seq + 1} is missing before record ${record.seq}`);
    if (record.prevHash !== last.hash) return broken('its previous hash does not match the record before it');
    if (hashAuditRecord(rest) !== hash)
      return broken('its content does not match its hash (edited after it was written)');
    last = { seq: record.seq, hash };
  }
  return { verdict: { ok: true }, last };
}
