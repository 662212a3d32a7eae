import type Database from 'better-sqlite3';
import type { Lease, LeaseStore } from '../ports/leases.js';

export function sqliteLeases(db: Database.Database): LeaseStore {
  const q = {
    // A renewal, a free name, or a lease whose holder's time ran out; anything else is left alone.
    // The time is SQLite's, the clock of the one process this store serves (in ISO form, as stored).
    acquireLease: db.prepare(`
      INSERT INTO leases (name, holder, until)
      VALUES (@name, @holder, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || (@durationMs / 1000.0) || ' seconds'))
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
      WHERE leases.holder = excluded.holder OR leases.until <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`),
    releaseLease: db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?'),
    leaseByName: db.prepare('SELECT name, holder, until FROM leases WHERE name = ?'),
  };
  return {
    async acquireLease(name, holder, durationMs) {
      return q.acquireLease.run({ name, holder, durationMs }).changes > 0;
    },
    async releaseLease(name, holder) {
      return q.releaseLease.run(name, holder).changes > 0;
    },
    async getLease(name) {
      return (q.leaseByName.get(name) as Lease | undefined) ?? null;
    },
  };
}
