import type Database from 'better-sqlite3';
import type { WakeBounds, WakeOutboxStore } from '../ports/wakes.js';

// Pruning deletes in batches so that one retention run never holds the write lock for long.
const PRUNE_BATCH = 10_000;

export function sqliteWakeOutbox(db: Database.Database): WakeOutboxStore {
  const q = {
    bounds: db.prepare('SELECT min(seq) AS oldest, max(seq) AS head FROM wakes'),
    // Walks the outbox in seq order from its oldest end, so it reads only what is pruned and one row more.
    firstKept: db.prepare('SELECT seq FROM wakes WHERE created_at >= ? ORDER BY seq LIMIT 1'),
    deleteBelow: db.prepare('DELETE FROM wakes WHERE seq < ? AND seq < (SELECT min(seq) FROM wakes) + ?'),
  };
  const bounds = (): WakeBounds => {
    const row = q.bounds.get() as { oldest: number | null; head: number | null };
    return { oldestSeq: row.oldest, headSeq: row.head ?? 0 };
  };
  return {
    async wakeBounds() {
      return bounds();
    },
    async pruneWakes(before) {
      const { headSeq } = bounds();
      const kept = q.firstKept.get(before) as { seq: number } | undefined;
      const keepFrom = Math.min(kept?.seq ?? headSeq, headSeq);
      let deleted = 0;
      for (;;) {
        const { changes } = q.deleteBelow.run(keepFrom, PRUNE_BATCH);
        deleted += changes;
        if (changes < PRUNE_BATCH) return deleted;
      }
    },
  };
}
