import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  auditSearchKeys,
  planPrune,
  sealChain,
  type AuditCheckpoint,
  type AuditDraft,
  type AuditRecord,
  type SignedCheckpoint,
  type StoredAuditRecord,
} from '../../domain/audit/index.js';
import { AUDIT_CHECKPOINT, AUDIT_RECORD } from '../codec.js';
import type { AuditQuery, AuditStore } from '../ports/audit.js';
import { column, oneOf, paramsOf, SQLITE, type Row } from './sqlite-codec.js';

/** Appends to the chain inside the caller's transaction, so that a write and its audit commit together. */
export type AppendAuditNow = (drafts: readonly AuditDraft[]) => AuditRecord[];

// The audit table keeps the source as two columns (type, id), not as one JSON value.
const toRecord = (row: Row): AuditRecord =>
  AUDIT_RECORD.decode(
    (field) => (field === 'source' ? JSON.stringify({ type: row.source_type, id: row.source_id }) : row[column(field)]),
    SQLITE,
  );

const toStored = (row: Row): StoredAuditRecord => ({
  record: toRecord(row),
  searchKeys: {
    userId: (row.user_id as string | null) ?? null,
    repoId: row.repo_id === null ? null : Number(row.repo_id),
    repoFullName: (row.repo_full_name as string | null) ?? null,
    installationId: row.installation_id === null ? null : Number(row.installation_id),
  },
});

/**
 * A write and, when it changed something, its audit records, as one transaction (BEGIN
 * IMMEDIATE when run with `.immediate`): either both commit or neither does.
 */
export function auditedWrite<A extends unknown[]>(
  db: Database.Database,
  appendAudit: AppendAuditNow,
  write: (...args: A) => boolean,
): Database.Transaction<(audit: readonly AuditDraft[], ...args: A) => boolean> {
  return db.transaction((audit: readonly AuditDraft[], ...args: A): boolean => {
    if (!write(...args)) return false;
    appendAudit(audit);
    return true;
  });
}

export function sqliteAudit(db: Database.Database): { store: AuditStore; appendNow: AppendAuditNow } {
  const q = {
    lastAudit: db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1'),
    insertAudit: db.prepare(`
      INSERT INTO audit (seq, id, schema_version, kind, actor, source_type, source_id, subject, user_id, repo_id,
        repo_full_name, installation_id, decision, reason, before, after, trace_id, delivery_id, occurred_at, recorded_at,
        prev_hash, hash)
      VALUES (@seq, @id, @schemaVersion, @kind, @actor, @sourceType, @sourceId, @subject, @userId, @repoId,
        @repoFullName, @installationId, @decision, @reason, @before, @after, @traceId, @deliveryId, @occurredAt, @recordedAt, @prevHash, @hash)`),
    checkpoint: db.prepare('SELECT seq, hash, pruned_at, pruned FROM audit_checkpoint WHERE id = 1'),
    firstKept: db.prepare('SELECT seq, prev_hash FROM audit WHERE recorded_at >= ? ORDER BY seq LIMIT 1'),
    newest: db.prepare('SELECT seq, prev_hash FROM audit ORDER BY seq DESC LIMIT 1'),
    deleteAuditBelow: db.prepare('DELETE FROM audit WHERE seq < ?'),
    putCheckpoint: db.prepare(`
      INSERT INTO audit_checkpoint (id, seq, hash, pruned_at, pruned) VALUES (1, @seq, @hash, @prunedAt, @pruned)
      ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, pruned_at = excluded.pruned_at,
        pruned = excluded.pruned`),
    storedAfter: db.prepare('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?'),
    putSigned: db.prepare('INSERT OR IGNORE INTO audit_signed_checkpoints (number, seq, body) VALUES (?, ?, ?)'),
    lastSigned: db.prepare('SELECT body FROM audit_signed_checkpoints ORDER BY number DESC LIMIT 1'),
    signedCovering: db.prepare('SELECT body FROM audit_signed_checkpoints WHERE seq >= ? ORDER BY seq LIMIT 1'),
    signedNumbered: db.prepare('SELECT body FROM audit_signed_checkpoints WHERE number = ?'),
    auditByReason: db.prepare(
      `SELECT coalesce(reason, '') AS reason, count(*) AS n FROM audit WHERE kind = ? GROUP BY 1`,
    ),
  };

  const appendNow: AppendAuditNow = (drafts) => {
    const last = q.lastAudit.get() as { seq: number; hash: string } | undefined;
    const records = sealChain(
      drafts.map((draft) => ({ id: randomUUID(), draft })),
      { seq: last?.seq ?? 0, hash: last?.hash ?? null },
      new Date().toISOString(),
    );
    for (const record of records) {
      const { source: _source, ...fields } = paramsOf(AUDIT_RECORD, record);
      q.insertAudit.run({
        ...fields,
        sourceType: record.source.type,
        sourceId: record.source.id,
        ...auditSearchKeys(record),
      });
    }
    return records;
  };

  const checkpointNow = (): AuditCheckpoint | null => oneOf(AUDIT_CHECKPOINT, q.checkpoint.get());
  const link = (row: unknown) => {
    const found = row as { seq: number; prev_hash: string | null } | undefined;
    return found ? { seq: Number(found.seq), prevHash: found.prev_hash } : null;
  };
  const pruneNow = db.transaction((recordedBefore: string, prunedAt: string) => {
    const plan = planPrune({
      firstKept: link(q.firstKept.get(recordedBefore)),
      newest: link(q.newest.get()),
      previous: checkpointNow(),
      prunedAt,
    });
    if (plan.kind === 'keep') return { pruned: 0, checkpoint: plan.checkpoint };
    const pruned = q.deleteAuditBelow.run(plan.keepFrom).changes;
    q.putCheckpoint.run(plan.checkpoint);
    return { pruned, checkpoint: plan.checkpoint };
  });

  const signed = (row: unknown): SignedCheckpoint | null =>
    row === undefined ? null : (JSON.parse((row as { body: string }).body) as SignedCheckpoint);

  const store: AuditStore = {
    async appendAudit(drafts) {
      return db.transaction(appendNow).immediate(drafts);
    },
    async listAudit(query: AuditQuery) {
      const where: string[] = [];
      const params: unknown[] = [];
      const filters: [string, unknown][] = [
        ['seq > ?', query.afterSeq],
        ['seq < ?', query.beforeSeq],
        ['delivery_id = ?', query.deliveryId],
        ['trace_id = ?', query.traceId],
        ['user_id = ?', query.userId],
        ['installation_id = ?', query.installationId],
        ['kind = ?', query.kind],
        ['occurred_at >= ?', query.since],
      ];
      for (const [clause, value] of filters) {
        if (value !== undefined) {
          where.push(clause);
          params.push(value);
        }
      }
      if (query.repo !== undefined) {
        // One indexed lookup per part: an OR across the two columns would scan the table.
        const parts = query.repo.ids.map(() => 'SELECT seq FROM audit WHERE repo_id = ?');
        params.push(...query.repo.ids);
        if (query.repo.fullName !== undefined) {
          parts.push('SELECT seq FROM audit WHERE repo_full_name = ? COLLATE NOCASE');
          params.push(query.repo.fullName);
        }
        where.push(parts.length === 0 ? '0' : `seq IN (${parts.join(' UNION ALL ')})`);
      }
      const order = query.order === 'newest' ? 'DESC' : 'ASC';
      const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${order} LIMIT ?`;
      return (db.prepare(sql).all(...params, query.limit) as Row[]).map(toRecord);
    },
    async listStoredAudit(afterSeq, limit) {
      return (q.storedAfter.all(afterSeq, limit) as Row[]).map(toStored);
    },
    async auditCheckpoint() {
      return checkpointNow();
    },
    async pruneAudit(recordedBefore, prunedAt) {
      return pruneNow.immediate(recordedBefore, prunedAt);
    },
    async appendSignedCheckpoint(checkpoint) {
      return q.putSigned.run(checkpoint.number, checkpoint.seq, JSON.stringify(checkpoint)).changes > 0;
    },
    async lastSignedCheckpoint() {
      return signed(q.lastSigned.get());
    },
    async signedCheckpointCovering(seq) {
      return signed(q.signedCovering.get(seq));
    },
    async signedCheckpointNumbered(number) {
      return signed(q.signedNumbered.get(number));
    },
    async countAuditByReason(kind) {
      const rows = q.auditByReason.all(kind) as { reason: string; n: number }[];
      return Object.fromEntries(rows.map((row) => [row.reason, Number(row.n)]));
    },
  };
  return { store, appendNow };
}
