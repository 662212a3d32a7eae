import { createHash } from 'node:crypto';
import {
  AUDIT_SCHEMA_VERSION,
  type AuditDraft,
  type AuditRecord,
  type ChainPosition,
  type ChainVerdict,
} from './audit-record.js';

// The hash chain: each record hashes its content and the hash of the one before it, so that an
// edited or removed record shows when the chain is verified.

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
