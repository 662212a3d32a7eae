import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { sealAuditRecord, type AuditCheckpoint, type AuditDraft, type AuditRecord } from '../../domain/audit.js';
import type { Delivery } from '../../domain/delivery.js';
import type { Installation, RepoRow, RepoRowKey, Wake } from '../../domain/entities.js';
import type {
  AuditQuery,
  DeliveryClaim,
  DeliveryFailure,
  DeliveryFinish,
  DeliveryQuery,
  InboxBacklog,
  Lease,
  RepoRowPage,
  Store,
  WakeQuery,
} from '../store.js';
import {
  DELIVERY_COLUMNS,
  rootToColumn,
  str,
  strOrNull,
  toAuditRecord,
  toAutomation,
  toDelivery,
  toInstallation,
  toRepoRow,
  toTrigger,
  toUser,
  toWake,
  type Row,
} from './rows.js';
import { startInboxWriter } from './inbox-writer.js';
import { acquireOwnerLock } from './owner-lock.js';
import { MIGRATIONS } from './migrations.js';

export interface SqliteStoreOptions {
  /** The database file; created with its directory when missing. */
  path: string;
  /** Sees every statement the main connection runs, values filled in (tests read query plans). */
  onStatement?: (sql: string) => void;
}

function applyMigrations(db: Database.Database): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > MIGRATIONS.length) {
    throw new Error(
      `the database at ${db.name} has schema version ${current}, newer than this build knows (${MIGRATIONS.length}); run a newer reconciler`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] ?? '');
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

// A delivery whose installation has another delivery under a live claim waits (DeliveryStore.claimNextDelivery).
const NOT_UNDER_CLAIM = `(installation_id IS NULL OR installation_id NOT IN (
  SELECT installation_id FROM deliveries WHERE state = 'processing' AND lease_until > @now AND installation_id IS NOT NULL))`;

/**
 * The embedded default store. One service process owns a database file at a time: SQLite
 * serves one writer, so several replicas need the MongoDB store.
 */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  mkdirSync(dirname(options.path), { recursive: true });
  const releaseLock = acquireOwnerLock(options.path);
  let db: Database.Database;
  try {
    db = new Database(
      options.path,
      options.onStatement ? { verbose: (sql) => options.onStatement?.(String(sql)) } : {},
    );
  } catch (error) {
    releaseLock();
    throw error;
  }
  // Only takes effect on a new file: a 7 KB webhook payload then fits in one page instead of
  // spilling into overflow pages, and each WAL frame carries more (measured: -25% CPU per delivery).
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  // NORMAL: a commit survives a process crash. The inbox writer commits at FULL, because a 202
  // promises the delivery survives a power cut too; losing any other write to one only makes a
  // delivery run again.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  try {
    applyMigrations(db);
  } catch (error) {
    db.close();
    releaseLock();
    throw error;
  }
  // This process owns the file (the lock above), so a delivery still marked processing at open
  // was held by a process that died: its claim is void and the delivery is due now, not when the lease ends.
  db.prepare(`UPDATE deliveries SET lease_until = '' WHERE state = 'processing'`).run();

  const q = {
    deliveryById: db.prepare(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id = ?`),
    deliveryPayload: db.prepare(
      'SELECT p.payload FROM deliveries d JOIN delivery_payloads p ON p.seq = d.seq WHERE d.id = ?',
    ),
    oldestReceived: db.prepare(
      `SELECT seq FROM deliveries WHERE state = 'received' AND ${NOT_UNDER_CLAIM} ORDER BY seq LIMIT 1`,
    ),
    oldestRetryDue: db.prepare(
      `SELECT min(seq) AS seq FROM deliveries WHERE state = 'failed' AND next_attempt_at <= @now AND ${NOT_UNDER_CLAIM}`,
    ),
    oldestLeaseExpired: db.prepare(
      `SELECT min(seq) AS seq FROM deliveries WHERE state = 'processing' AND lease_until <= @now AND ${NOT_UNDER_CLAIM}`,
    ),
    claim: db.prepare(`
      UPDATE deliveries SET state = 'processing', attempts = attempts + 1, lease_owner = @workerId, lease_until = @leaseUntil
      WHERE seq = @seq RETURNING ${DELIVERY_COLUMNS}`),
    nextRetryAt: db.prepare(
      `SELECT min(next_attempt_at) AS at FROM deliveries WHERE state = 'failed' AND next_attempt_at IS NOT NULL`,
    ),
    finish: db.prepare(`
      UPDATE deliveries SET state = @state, reason = @reason, processed_at = @processedAt, next_attempt_at = NULL,
        routing_outcome = @routingOutcome, lease_owner = NULL, lease_until = NULL
      WHERE id = @id AND state = 'processing' AND lease_owner = @workerId`),
    fail: db.prepare(`
      UPDATE deliveries SET state = 'failed', error = @error, processed_at = @processedAt, next_attempt_at = @nextAttemptAt,
        lease_owner = NULL, lease_until = NULL
      WHERE id = @id AND state = 'processing' AND lease_owner = @workerId`),
    // Pending: waiting for the worker, in its hands, or waiting for a retry. Given-up failures are not.
    pendingSummary: db.prepare(`
      SELECT count(*) AS n, min(received_at) AS oldest FROM deliveries
      WHERE state IN ('received', 'processing') OR (state = 'failed' AND next_attempt_at IS NOT NULL)`),

    upsertInstallation: db.prepare(`
      INSERT INTO installations (id, account_id, account_login, account_type, target_type, permissions, repository_selection,
        events, suspended_at, suspended_by, deleted_at, updated_at)
      VALUES (@id, @accountId, @accountLogin, @accountType, @targetType, @permissions, @repositorySelection,
        @events, @suspendedAt, @suspendedBy, @deletedAt, @updatedAt)
      ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, account_login = excluded.account_login,
        account_type = excluded.account_type, target_type = excluded.target_type, permissions = excluded.permissions,
        repository_selection = excluded.repository_selection, events = excluded.events, suspended_at = excluded.suspended_at,
        suspended_by = excluded.suspended_by, deleted_at = excluded.deleted_at, updated_at = excluded.updated_at`),
    installationById: db.prepare('SELECT * FROM installations WHERE id = ?'),
    installationPage: db.prepare('SELECT * FROM installations WHERE id > ? ORDER BY id LIMIT ?'),
    // A renewal, a free name, or a lease whose holder's time ran out; anything else is left alone.
    acquireLease: db.prepare(`
      INSERT INTO leases (name, holder, until) VALUES (@name, @holder, @until)
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
      WHERE leases.holder = excluded.holder OR leases.until <= @now`),
    releaseLease: db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?'),
    leaseByName: db.prepare('SELECT name, holder, until FROM leases WHERE name = ?'),

    upsertUser: db.prepare(`
      INSERT INTO users (id, github_user_id, github_login, created_at, updated_at)
      VALUES (@id, @githubUserId, @githubLogin, @createdAt, @updatedAt)
      ON CONFLICT (id) DO UPDATE SET github_user_id = excluded.github_user_id, github_login = excluded.github_login,
        updated_at = excluded.updated_at`),
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    link: db.prepare(
      'INSERT INTO user_installations (user_id, installation_id, linked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    unlink: db.prepare('DELETE FROM user_installations WHERE user_id = ? AND installation_id = ?'),
    linkedInstallations: db.prepare(
      'SELECT installation_id FROM user_installations WHERE user_id = ? ORDER BY installation_id',
    ),
    linkedUsers: db.prepare('SELECT user_id FROM user_installations WHERE installation_id = ? ORDER BY user_id'),

    upsertRepoRow: db.prepare(`
      INSERT INTO repo_rows (user_id, repo_id, root_directory, full_name, owner, name, default_branch, visibility, archived,
        installation_id, discovered_by, last_seen_at)
      VALUES (@userId, @repoId, @rootDirectory, @fullName, @owner, @name, @defaultBranch, @visibility, @archived,
        @installationId, @discoveredBy, @lastSeenAt)
      ON CONFLICT (user_id, repo_id, root_directory) DO UPDATE SET full_name = excluded.full_name, owner = excluded.owner,
        name = excluded.name, default_branch = excluded.default_branch, visibility = excluded.visibility,
        archived = excluded.archived, installation_id = excluded.installation_id, discovered_by = excluded.discovered_by,
        last_seen_at = excluded.last_seen_at`),
    repoRow: db.prepare('SELECT * FROM repo_rows WHERE user_id = ? AND repo_id = ? AND root_directory = ?'),
    repoRowsFirstPage: db.prepare('SELECT * FROM repo_rows WHERE user_id = ? ORDER BY repo_id, root_directory LIMIT ?'),
    repoRowsAfter: db.prepare(`
      SELECT * FROM repo_rows WHERE user_id = @userId AND (repo_id, root_directory) > (@repoId, @rootDirectory)
      ORDER BY repo_id, root_directory LIMIT @limit`),
    repoRowsBoundFirstPage: db.prepare(`
      SELECT * FROM repo_rows WHERE user_id = @userId AND installation_id IS @installationId
      ORDER BY repo_id, root_directory LIMIT @limit`),
    repoRowsBoundAfter: db.prepare(`
      SELECT * FROM repo_rows WHERE user_id = @userId AND installation_id IS @installationId
        AND (repo_id, root_directory) > (@repoId, @rootDirectory)
      ORDER BY repo_id, root_directory LIMIT @limit`),
    repoRowsOfRepos: db.prepare(`
      SELECT * FROM repo_rows WHERE user_id = ? AND repo_id IN (SELECT value FROM json_each(?))
      ORDER BY repo_id, root_directory`),
    // Skips from one installation id to the next through the index: a few lookups, not a scan.
    nextRowInstallationId: db.prepare(
      'SELECT min(installation_id) AS id FROM repo_rows WHERE user_id = ? AND installation_id > ?',
    ),
    countBoundRows: db.prepare('SELECT count(*) AS n FROM repo_rows WHERE user_id = ? AND installation_id IS ?'),
    repoRowsByRepo: db.prepare('SELECT * FROM repo_rows WHERE repo_id = ? ORDER BY user_id, root_directory'),
    repoRowsByInstallationFirst: db.prepare(
      'SELECT * FROM repo_rows WHERE installation_id = ? ORDER BY user_id, repo_id, root_directory LIMIT ?',
    ),
    repoRowsByInstallationAfter: db.prepare(`
      SELECT * FROM repo_rows WHERE installation_id = @installationId
        AND (user_id, repo_id, root_directory) > (@userId, @repoId, @rootDirectory)
      ORDER BY user_id, repo_id, root_directory LIMIT @limit`),
    deleteRepoRow: db.prepare('DELETE FROM repo_rows WHERE user_id = ? AND repo_id = ? AND root_directory = ?'),
    deleteRepoRowsByRepo: db.prepare('DELETE FROM repo_rows WHERE repo_id = ?'),

    putAutomation: db.prepare(`
      INSERT INTO automations (id, user_id, installation_id, name, enabled, updated_at)
      VALUES (@id, @userId, @installationId, @name, @enabled, @updatedAt)
      ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, installation_id = excluded.installation_id,
        name = excluded.name, enabled = excluded.enabled, updated_at = excluded.updated_at`),
    automationById: db.prepare('SELECT * FROM automations WHERE id = ?'),
    deleteAutomation: db.prepare('DELETE FROM automations WHERE id = ?'),
    automationsByUser: db.prepare('SELECT * FROM automations WHERE user_id = ? ORDER BY id'),
    putTrigger: db.prepare(`
      INSERT INTO triggers (id, user_id, automation_id, installation_id, repo_id, repo_full_name, root_directory, events,
        enabled, updated_at)
      VALUES (@id, @userId, @automationId, @installationId, @repoId, @repoFullName, @rootDirectory, @events, @enabled,
        @updatedAt)
      ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, automation_id = excluded.automation_id,
        installation_id = excluded.installation_id, repo_id = excluded.repo_id, repo_full_name = excluded.repo_full_name,
        root_directory = excluded.root_directory, events = excluded.events, enabled = excluded.enabled,
        updated_at = excluded.updated_at`),
    triggerById: db.prepare('SELECT * FROM triggers WHERE id = ?'),
    deleteTrigger: db.prepare('DELETE FROM triggers WHERE id = ?'),
    triggersByUser: db.prepare('SELECT * FROM triggers WHERE user_id = ? ORDER BY id'),
    triggersByRepo: db.prepare('SELECT * FROM triggers WHERE repo_id = ? ORDER BY id'),

    checkpoint: db.prepare('SELECT seq, hash, pruned_at, pruned FROM audit_checkpoint WHERE id = 1'),
    firstKeptSeq: db.prepare('SELECT min(seq) AS seq FROM audit WHERE recorded_at >= ?'),
    lastSeqAndHash: db.prepare('SELECT seq, hash FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT 1'),
    lastAuditSeq: db.prepare('SELECT max(seq) AS seq FROM audit'),
    deleteAuditBelow: db.prepare('DELETE FROM audit WHERE seq < ?'),
    putCheckpoint: db.prepare(`
      INSERT INTO audit_checkpoint (id, seq, hash, pruned_at, pruned) VALUES (1, @seq, @hash, @prunedAt, @pruned)
      ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, pruned_at = excluded.pruned_at,
        pruned = excluded.pruned`),
    auditByReason: db.prepare(
      `SELECT coalesce(reason, '') AS reason, count(*) AS n FROM audit WHERE kind = ? GROUP BY 1`,
    ),
    lastAudit: db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1'),
    insertAudit: db.prepare(`
      INSERT INTO audit (seq, id, schema_version, kind, actor, source_type, source_id, subject, user_id, repo_id,
        repo_full_name, installation_id, decision, reason, before, after, trace_id, delivery_id, occurred_at, recorded_at,
        prev_hash, hash)
      VALUES (@seq, @id, @schemaVersion, @kind, @actor, @sourceType, @sourceId, @subject, @userId, @repoId,
        @repoFullName, @installationId, @decision, @reason, @before, @after, @traceId, @deliveryId, @occurredAt, @recordedAt, @prevHash, @hash)`),

    insertWake: db.prepare(`
      INSERT INTO wakes (id, delivery_id, trigger_id, automation_id, user_id, repo_id, installation_id, event, action, created_at)
      VALUES (@id, @deliveryId, @triggerId, @automationId, @userId, @repoId, @installationId, @event, @action, @createdAt)
      ON CONFLICT (id) DO NOTHING`),
    wakesFirst: db.prepare('SELECT * FROM wakes ORDER BY seq LIMIT ?'),
    wakesAfter: db.prepare('SELECT * FROM wakes WHERE seq > ? ORDER BY seq LIMIT ?'),
    // The same rule as coverageOf (domain/projects.ts), counted where the rows are.
    reposByCoverage: db.prepare(`
      SELECT CASE WHEN r.installation_id IS NULL THEN 'visible_only'
                  WHEN i.id IS NULL OR i.deleted_at IS NOT NULL THEN 'bound_to_gone'
                  ELSE 'covered' END AS coverage, count(*) AS n
      FROM repo_rows r LEFT JOIN installations i ON i.id = r.installation_id
      WHERE r.root_directory = '' GROUP BY 1`),
    installationsByState: db.prepare(`
      SELECT CASE WHEN deleted_at IS NOT NULL THEN 'deleted' WHEN suspended_at IS NOT NULL THEN 'suspended'
                  ELSE 'active' END AS state, count(*) AS n
      FROM installations GROUP BY 1`),
    repoRowsByFullName: db.prepare(
      'SELECT * FROM repo_rows WHERE full_name = ? COLLATE NOCASE ORDER BY user_id, repo_id, root_directory',
    ),
  };

  const upsertRepoRowNow = (row: RepoRow): void => {
    q.upsertRepoRow.run({ ...row, rootDirectory: rootToColumn(row.rootDirectory), archived: row.archived ? 1 : 0 });
  };

  const appendAuditNow = (drafts: AuditDraft[]): AuditRecord[] => {
    const last = q.lastAudit.get() as { seq: number; hash: string } | undefined;
    let seq = last?.seq ?? 0;
    let prevHash = last?.hash ?? null;
    const recordedAt = new Date().toISOString();
    return drafts.map((draft) => {
      seq += 1;
      const record = sealAuditRecord(draft, { id: randomUUID(), seq, recordedAt, prevHash });
      q.insertAudit.run({
        ...record,
        sourceType: record.source.type,
        sourceId: record.source.id,
        subject: JSON.stringify(record.subject),
        userId: record.subject.userId ?? null,
        repoId: record.subject.repoId ?? null,
        repoFullName: record.subject.repoFullName ?? null,
        installationId: record.subject.installationId ?? null,
        before: JSON.stringify(record.before),
        after: JSON.stringify(record.after),
      });
      prevHash = record.hash;
      return record;
    });
  };

  const getDeliveryNow = (id: string): Delivery | null => {
    const row = q.deliveryById.get(id) as Row | undefined;
    return row ? toDelivery(row) : null;
  };

  const inboxWriter = startInboxWriter(options.path);

  const writeRepoRowsNow = db.transaction((rows: readonly RepoRow[], audit: AuditDraft[]) => {
    for (const row of rows) upsertRepoRowNow(row);
    if (audit.length > 0) appendAuditNow(audit);
  });

  // Read-then-write transactions run as BEGIN IMMEDIATE: the inbox writer thread commits on its
  // own connection, and a deferred transaction whose snapshot went stale before its first write
  // fails with SQLITE_BUSY at once instead of waiting (WAL mode), which made claims and
  // finishes fail under load.
  const oldestDueSeq = (now: string): number | null => {
    const candidates = [
      (q.oldestReceived.get({ now }) as { seq: number } | undefined)?.seq,
      (q.oldestRetryDue.get({ now }) as { seq: number | null }).seq,
      (q.oldestLeaseExpired.get({ now }) as { seq: number | null }).seq,
    ].filter((seq): seq is number => typeof seq === 'number');
    return candidates.length === 0 ? null : Math.min(...candidates);
  };
  const claimNow = db.transaction((claim: DeliveryClaim): Delivery | null => {
    const seq = oldestDueSeq(claim.now);
    if (seq === null) return null;
    const row = q.claim.get({ seq, workerId: claim.workerId, leaseUntil: claim.leaseUntil });
    return row ? toDelivery(row as Row) : null;
  });

  const endDeliveryNow = db.transaction(
    (statement: Database.Statement, params: Record<string, unknown>, audit: AuditDraft[], wakes: Wake[]): boolean => {
      if (statement.run(params).changes === 0) return false;
      for (const wake of wakes) q.insertWake.run(wake);
      appendAuditNow(audit);
      return true;
    },
  );

  const checkpointNow = (): AuditCheckpoint | null => {
    const row = q.checkpoint.get() as Row | undefined;
    return row
      ? { seq: Number(row.seq), hash: str(row.hash), prunedAt: str(row.pruned_at), pruned: Number(row.pruned) }
      : null;
  };
  const pruneNow = db.transaction((recordedBefore: string, prunedAt: string) => {
    const firstKept = (q.firstKeptSeq.get(recordedBefore) as { seq: number | null }).seq;
    // Everything is older than the cutoff: keep the newest record, so the chain keeps its head.
    const keepFrom = firstKept ?? (q.lastAuditSeq.get() as { seq: number | null }).seq;
    const last =
      keepFrom === null ? undefined : (q.lastSeqAndHash.get(keepFrom) as { seq: number; hash: string } | undefined);
    if (keepFrom === null || last === undefined) return { pruned: 0, checkpoint: checkpointNow() };
    const pruned = q.deleteAuditBelow.run(keepFrom).changes;
    const checkpoint = { seq: last.seq, hash: last.hash, prunedAt, pruned: (checkpointNow()?.pruned ?? 0) + pruned };
    q.putCheckpoint.run(checkpoint);
    return { pruned, checkpoint };
  });

  const installationRow = (i: Installation) => ({
    ...i,
    permissions: i.permissions === null ? null : JSON.stringify(i.permissions),
    events: JSON.stringify(i.events),
  });

  return {
    async recordDelivery(incoming, now) {
      const result = await inboxWriter.record({ incoming, now });
      if (result.status === 'malformed') throw new Error(`a delivery with known facts was refused: ${result.problem}`);
      return result;
    },
    receiveDelivery(received, now) {
      // The writer thread parses the payload: a 7 KB JSON.parse is the largest piece of an
      // acknowledgement's work left on the event loop (bench/ingest.ts).
      return inboxWriter.record({ received, now });
    },
    async claimNextDelivery(claim) {
      // Idle polls take no write lock: only a claim that has something to take does.
      return oldestDueSeq(claim.now) === null ? null : claimNow.immediate(claim);
    },
    async nextRetryAt() {
      return strOrNull((q.nextRetryAt.get() as { at: string | null }).at);
    },
    async finishDelivery(id, workerId, finish: DeliveryFinish) {
      const { audit, wakes, routingOutcome, ...fields } = finish;
      return endDeliveryNow.immediate(
        q.finish,
        { id, workerId, ...fields, routingOutcome: routingOutcome ?? null },
        audit,
        wakes ?? [],
      );
    },
    async failDelivery(id, workerId, failure: DeliveryFailure) {
      const { audit, ...fields } = failure;
      return endDeliveryNow.immediate(q.fail, { id, workerId, ...fields }, audit, []);
    },
    async getDelivery(id) {
      return getDeliveryNow(id);
    },
    async getDeliveriesByIds(ids) {
      const found: Delivery[] = [];
      // Batches stay well below SQLite's limit on bound parameters.
      for (let start = 0; start < ids.length; start += 500) {
        const batch = ids.slice(start, start + 500);
        const sql = `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id IN (${batch.map(() => '?').join(',')})`;
        found.push(...(db.prepare(sql).all(...batch) as Row[]).map(toDelivery));
      }
      return found;
    },
    async getDeliveryPayload(id) {
      const row = q.deliveryPayload.get(id) as { payload: string } | undefined;
      return row?.payload ?? null;
    },
    async listDeliveries(query: DeliveryQuery) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.state !== undefined) {
        where.push('state = ?');
        params.push(query.state);
      }
      if (query.beforeSeq !== undefined) {
        where.push('seq < ?');
        params.push(query.beforeSeq);
      }
      if (query.repoId !== undefined) {
        where.push('repo_id = ?');
        params.push(query.repoId);
      }
      if (query.routingOutcomes !== undefined) {
        const outcomes = query.routingOutcomes.filter((o) => o !== null);
        const either = outcomes.map(() => 'routing_outcome = ?');
        if (query.routingOutcomes.includes(null)) either.push('routing_outcome IS NULL');
        where.push(either.length === 0 ? '0' : `(${either.join(' OR ')})`);
        params.push(...outcomes);
      }
      const sql = `SELECT ${DELIVERY_COLUMNS} FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
      return (db.prepare(sql).all(...params, query.limit) as Row[]).map(toDelivery);
    },
    async inboxBacklog(): Promise<InboxBacklog> {
      const summary = q.pendingSummary.get() as { n: number; oldest: string | null };
      return { pending: Number(summary.n), oldestReceivedAt: strOrNull(summary.oldest) };
    },
    async listWakes(query: WakeQuery) {
      const rows =
        query.afterSeq === undefined ? q.wakesFirst.all(query.limit) : q.wakesAfter.all(query.afterSeq, query.limit);
      return (rows as Row[]).map(toWake);
    },

    async upsertInstallation(installation) {
      q.upsertInstallation.run(installationRow(installation));
    },
    async countInstallationsByState() {
      const counts = { active: 0, suspended: 0, deleted: 0 };
      for (const row of q.installationsByState.all() as { state: keyof typeof counts; n: number }[])
        counts[row.state] = Number(row.n);
      return counts;
    },
    async getInstallation(id) {
      const row = q.installationById.get(id) as Row | undefined;
      return row ? toInstallation(row) : null;
    },
    async listInstallations(ids) {
      if (ids.length === 0) return [];
      const rows = db
        .prepare(`SELECT * FROM installations WHERE id IN (${ids.map(() => '?').join(',')}) ORDER BY id`)
        .all(...ids) as Row[];
      return rows.map(toInstallation);
    },
    async listInstallationPage(page) {
      return (q.installationPage.all(page.afterId ?? -1, page.limit) as Row[]).map(toInstallation);
    },

    async upsertUser(user) {
      q.upsertUser.run(user);
    },
    async getUser(id) {
      const row = q.userById.get(id) as Row | undefined;
      return row ? toUser(row) : null;
    },
    async linkInstallation(userId, installationId, linkedAt) {
      return q.link.run(userId, installationId, linkedAt).changes > 0;
    },
    async unlinkInstallation(userId, installationId) {
      return q.unlink.run(userId, installationId).changes > 0;
    },
    async listLinkedInstallationIds(userId) {
      return (q.linkedInstallations.all(userId) as Row[]).map((r) => Number(r.installation_id));
    },
    async listUsersLinkedTo(installationId) {
      return (q.linkedUsers.all(installationId) as Row[]).map((r) => str(r.user_id));
    },

    async writeRepoRows(rows, audit) {
      writeRepoRowsNow.immediate(rows, audit);
    },
    async getRepoRow(key: RepoRowKey) {
      const row = q.repoRow.get(key.userId, key.repoId, rootToColumn(key.rootDirectory)) as Row | undefined;
      return row ? toRepoRow(row) : null;
    },
    async listRepoRows(userId, page: RepoRowPage) {
      if (page.installationId !== undefined) {
        const bound = { userId, installationId: page.installationId, limit: page.limit };
        const rows = page.after
          ? q.repoRowsBoundAfter.all({
              ...bound,
              repoId: page.after.repoId,
              rootDirectory: rootToColumn(page.after.rootDirectory),
            })
          : q.repoRowsBoundFirstPage.all(bound);
        return (rows as Row[]).map(toRepoRow);
      }
      const rows = page.after
        ? q.repoRowsAfter.all({
            userId,
            repoId: page.after.repoId,
            rootDirectory: rootToColumn(page.after.rootDirectory),
            limit: page.limit,
          })
        : q.repoRowsFirstPage.all(userId, page.limit);
      return (rows as Row[]).map(toRepoRow);
    },
    async listRepoRowsByRepoId(repoId) {
      return (q.repoRowsByRepo.all(repoId) as Row[]).map(toRepoRow);
    },
    async listRepoRowsByFullName(fullName) {
      return (q.repoRowsByFullName.all(fullName) as Row[]).map(toRepoRow);
    },
    async listRepoRowsOfRepos(userId, repoIds) {
      return (q.repoRowsOfRepos.all(userId, JSON.stringify(repoIds)) as Row[]).map(toRepoRow);
    },
    async listRepoRowInstallationIds(userId) {
      const ids: number[] = [];
      for (;;) {
        const next = (q.nextRowInstallationId.get(userId, ids.at(-1) ?? -1) as { id: number | null }).id;
        if (next === null) return ids;
        ids.push(Number(next));
      }
    },
    async countRepoRows(userId, installationId) {
      return Number((q.countBoundRows.get(userId, installationId) as { n: number }).n);
    },
    async listRepoRowsByInstallation(installationId, page) {
      const rows = page.after
        ? q.repoRowsByInstallationAfter.all({
            installationId,
            userId: page.after.userId,
            repoId: page.after.repoId,
            rootDirectory: rootToColumn(page.after.rootDirectory),
            limit: page.limit,
          })
        : q.repoRowsByInstallationFirst.all(installationId, page.limit);
      return (rows as Row[]).map(toRepoRow);
    },
    async countReposByCoverage() {
      const counts = { covered: 0, visible_only: 0, bound_to_gone: 0 };
      for (const row of q.reposByCoverage.all() as { coverage: keyof typeof counts; n: number }[])
        counts[row.coverage] = Number(row.n);
      return counts;
    },
    async deleteRepoRow(key) {
      return q.deleteRepoRow.run(key.userId, key.repoId, rootToColumn(key.rootDirectory)).changes > 0;
    },
    async deleteRepoRowsByRepoId(repoId) {
      return q.deleteRepoRowsByRepo.run(repoId).changes;
    },

    async putAutomation(automation) {
      q.putAutomation.run({ ...automation, enabled: automation.enabled ? 1 : 0 });
    },
    async getAutomation(id) {
      const row = q.automationById.get(id) as Row | undefined;
      return row ? toAutomation(row) : null;
    },
    async deleteAutomation(id) {
      return q.deleteAutomation.run(id).changes > 0;
    },
    async listAutomationsByUser(userId) {
      return (q.automationsByUser.all(userId) as Row[]).map(toAutomation);
    },
    async putTrigger(trigger) {
      q.putTrigger.run({ ...trigger, events: JSON.stringify(trigger.events), enabled: trigger.enabled ? 1 : 0 });
    },
    async getTrigger(id) {
      const row = q.triggerById.get(id) as Row | undefined;
      return row ? toTrigger(row) : null;
    },
    async deleteTrigger(id) {
      return q.deleteTrigger.run(id).changes > 0;
    },
    async listTriggersByUser(userId) {
      return (q.triggersByUser.all(userId) as Row[]).map(toTrigger);
    },
    async listTriggersByRepoId(repoId) {
      return (q.triggersByRepo.all(repoId) as Row[]).map(toTrigger);
    },

    async appendAudit(drafts) {
      return db.transaction(appendAuditNow).immediate(drafts);
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
      return (db.prepare(sql).all(...params, query.limit) as Row[]).map(toAuditRecord);
    },

    async auditCheckpoint() {
      return checkpointNow();
    },
    async pruneAudit(recordedBefore, prunedAt) {
      return pruneNow.immediate(recordedBefore, prunedAt);
    },
    async countAuditByReason(kind) {
      const rows = q.auditByReason.all(kind) as { reason: string; n: number }[];
      return Object.fromEntries(rows.map((row) => [row.reason, Number(row.n)]));
    },

    async acquireLease(name, holder, now, until) {
      return q.acquireLease.run({ name, holder, now, until }).changes > 0;
    },
    async releaseLease(name, holder) {
      return q.releaseLease.run(name, holder).changes > 0;
    },
    async getLease(name) {
      return (q.leaseByName.get(name) as Lease | undefined) ?? null;
    },

    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      await inboxWriter.close();
      if (db.open) {
        db.close();
        releaseLock();
      }
    },
  };
}
