import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ExecutionContext } from 'ava';

// The routing model as rows, read straight from a test service's SQLite file (a second,
// read-only connection: WAL lets it read while the service writes). Hostile-input tests compare
// it before and after a request to prove that nothing outside the request's effect changed.

const MODEL_TABLES = ['installations', 'users', 'user_installations', 'repo_rows', 'automations', 'triggers'] as const;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export type ModelSnapshot = Record<(typeof MODEL_TABLES)[number], Record<string, unknown>[]>;

export interface SnapshotReader {
  /** Every model table, ordered by its key; with `timeless`, times the service stamped read as '<time>'. */
  model(options?: { timeless?: boolean }): ModelSnapshot;
  /** The wakes a delivery wrote, without their ids and times. */
  wakesOf(deliveryId: string): Record<string, unknown>[];
}

export function openSnapshotReader(t: ExecutionContext, dataDir: string): SnapshotReader {
  const db = new Database(join(dataDir, 'reconciler.sqlite'), { readonly: true });
  t.teardown(() => db.close());
  const timeless = (row: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        key.endsWith('_at') && typeof value === 'string' && ISO_TIME.test(value) ? '<time>' : value,
      ]),
    );
  return {
    model(options = {}) {
      const snapshot = {} as ModelSnapshot;
      for (const table of MODEL_TABLES) {
        const rows = db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3`).all() as Record<string, unknown>[];
        snapshot[table] = options.timeless === true ? rows.map(timeless) : rows;
      }
      return snapshot;
    },
    wakesOf(deliveryId) {
      return db
        .prepare(
          'SELECT trigger_id, automation_id, user_id, repo_id, installation_id, event, action FROM wakes WHERE delivery_id = ? ORDER BY trigger_id',
        )
        .all(deliveryId) as Record<string, unknown>[];
    },
  };
}
