import { unlinkSync } from 'node:fs';
import Database from 'better-sqlite3';

// The embedded store serves one process: a second one on the same file would void the first
// one's claims and apply its deliveries again.
//
// The lock is an exclusive SQLite lock on a small database beside the store, held for as long as
// the store is open. It is the operating system's lock (fcntl), so it dies with its holder: a
// process that was killed holds nothing, whatever process id the next one gets. A pid written in
// a file cannot tell that apart: in a container node runs as PID 1, so after a SIGKILL the new
// PID 1 found "its own" pid in the file, and a reused pid looks like a live holder.

const isBusy = (error: unknown): boolean => (error as { code?: string }).code?.startsWith('SQLITE_BUSY') === true;
const isNotADatabase = (error: unknown): boolean => (error as { code?: string }).code === 'SQLITE_NOTADB';

function holdExclusively(path: string): Database.Database {
  const lock = new Database(path, { timeout: 0 });
  try {
    // EXCLUSIVE locking mode keeps the lock a write takes until the connection closes.
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS owner (id INTEGER PRIMARY KEY); COMMIT');
    return lock;
  } catch (error) {
    lock.close();
    throw error;
  }
}

/** Takes the lock or throws saying another process holds it; returns the release function. */
export function acquireOwnerLock(databasePath: string): () => void {
  const path = `${databasePath}.lock`;
  let lock: Database.Database;
  try {
    lock = holdExclusively(path);
  } catch (error) {
    if (isBusy(error)) {
      throw new Error(
        `${databasePath} is in use by another process: one reconciler process owns an embedded store (use MONGODB_URI for several replicas, or another DATA_DIR)`,
      );
    }
    if (!isNotADatabase(error)) throw error;
    // A pid file left by an earlier version, which cannot prove its holder runs: replaced.
    unlinkSync(path);
    lock = holdExclusively(path);
  }
  // The file stays when released: unlinking it could let two processes lock two different files.
  return () => lock.close();
}
