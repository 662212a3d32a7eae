import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../store.js';
import { sqliteAudit } from './audit.js';
import { sqliteBindings } from './bindings.js';
import { sqliteDeliveries } from './deliveries.js';
import { startInboxWriter } from './inbox-writer.js';
import { sqliteInstallations } from './installations.js';
import { sqliteLeases } from './leases.js';
import { applyMigrations } from './migrations.js';
import { acquireOwnerLock } from './owner-lock.js';
import { sqliteRepoRows } from './repo-rows.js';
import { sqliteUsers } from './users.js';
import { sqliteWakeOutbox } from './wakes.js';
import { sqliteWakePush } from './wake-push.js';

export interface SqliteStoreOptions {
  /** The database file; created with its directory when missing. */
  path: string;
  /** Sees every statement the main connection runs, values filled in (tests read query plans). */
  onStatement?: (sql: string) => void;
}

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
  // The same for a wake send in an attempt: due again now (the receiver dedupes on its webhook-id).
  db.prepare(`UPDATE wake_sends SET lease_until = '' WHERE state = 'sending'`).run();

  const inboxWriter = startInboxWriter(options.path);
  const newestDelivery = db.prepare(
    'SELECT d.seq, p.seq AS payloadSeq FROM deliveries d LEFT JOIN delivery_payloads p ON p.seq = d.seq ORDER BY d.seq DESC LIMIT 1',
  );
  const audit = sqliteAudit(db);
  return {
    ...sqliteDeliveries(db, inboxWriter),
    ...sqliteInstallations(db),
    ...sqliteUsers(db, audit.appendNow),
    ...sqliteRepoRows(db, audit.appendNow),
    ...sqliteBindings(db, audit.appendNow),
    ...audit.store,
    ...sqliteLeases(db),
    ...sqliteWakeOutbox(db),
    ...sqliteWakePush(db, audit.appendNow),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async probeInbox() {
      newestDelivery.get();
      // The write lock the inbox writer takes for every delivery, released at once.
      db.exec('BEGIN IMMEDIATE; ROLLBACK');
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
