import { createHash } from 'node:crypto';
import {
  AUDIT_SCHEMA_VERSION,
  type AuditDraft,
  type AuditRecord,
  type ChainPosition,
  type ChainVerdict,
} from './audit-record.js';
import { mismatchedSearchKeys, type StoredAuditRecord } from './search-keys.js';

// The hash chain: each record hashes its content and the hash of the one before it, so that an
// edited or removed record shows when the chain is verified.

/**
 * JSON with object keys sorted at every depth, so equal records hash equally wherever stored.
 * Strings are taken well-formed: a lone surrogate is kept as U+FFFD by every UTF-8 store, so the
 * hash is of what a store gives back, whichever path a string took to the record.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]): [string, unknown] => [k.toWellFormed(), v])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(typeof value === 'string' ? value.toWellFormed() : value);
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
 * hash and point at the one before it, no sequence number may be missing, and the search keys
 * stored beside a record must be its subject's.
 */
export function verifyChainSegment(
  stored: readonly StoredAuditRecord[],
  before: { seq: number; hash: string | null },
): { verdict: ChainVerdict; last: { seq: number; hash: string | null } } {
  let last = before;
  for (const entry of stored) {
    const { hash, ...rest } = entry.record;
    const { seq, id, prevHash } = entry.record;
    const broken = (problem: string) => ({ verdict: { ok: false as const, seq, id, problem }, last });
    if (seq !== last.seq + 1) return broken(`record ${last.seq + 1} is missing before record ${seq}`);
    if (prevHash !== last.hash) return broken('its previous hash does not match the record before it');
    if (hashAuditRecord(rest) !== hash)
      return broken('its content does not match its hash (edited after it was written)');
    const mismatched = mismatchedSearchKeys(entry);
    if (mismatched.length > 0)
      return broken(
        `its search keys (${mismatched.join(', ')}) do not match its hashed subject (edited after it was written)`,
      );
    last = { seq, hash };
  }
  return { verdict: { ok: true }, last };
}
