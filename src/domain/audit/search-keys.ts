import type { AuditRecord } from './audit-record.js';

// A store copies a few subject fields out of each record into columns (fields) of their own, so
// that `/api/audit?userId=&repo=` finds records by index. The copies are not hashed themselves:
// verification checks them against the hashed subject, or an edited column could hide a record
// from search while the chain still verified.

export interface AuditSearchKeys {
  userId: string | null;
  repoId: number | null;
  repoFullName: string | null;
  installationId: number | null;
}

/** A record as a store keeps it for verification: the record and its copied search keys. */
export interface StoredAuditRecord {
  record: AuditRecord;
  searchKeys: AuditSearchKeys;
}

export const auditSearchKeys = (record: AuditRecord): AuditSearchKeys => ({
  userId: record.subject.userId ?? null,
  repoId: record.subject.repoId ?? null,
  repoFullName: record.subject.repoFullName ?? null,
  installationId: record.subject.installationId ?? null,
});

/** The search keys that differ from the record's subject; names are searched without case. */
export function mismatchedSearchKeys(stored: StoredAuditRecord): (keyof AuditSearchKeys)[] {
  const expected = auditSearchKeys(stored.record);
  const actual = stored.searchKeys;
  const fold = (name: string | null) => name?.toLowerCase() ?? null;
  return (Object.keys(expected) as (keyof AuditSearchKeys)[]).filter((key) =>
    key === 'repoFullName' ? fold(expected[key]) !== fold(actual[key]) : expected[key] !== actual[key],
  );
}
