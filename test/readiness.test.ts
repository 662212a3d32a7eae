import { copyFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import Database from 'better-sqlite3';
import { startTestService, temporaryDir, TEST_SECRET } from './support/test-service.js';
import { postDelivery, signedDelivery } from './support/webhook-samples.js';

// Issue 19, finding 6: /readyz must say whether a delivery can be stored and read, not only
// whether the store answers "SELECT 1".

const DATABASE = 'reconciler.sqlite';

/** Overwrites the root page of `table` in a closed database file with garbage. */
function damageTable(path: string, table: string): void {
  const db = new Database(path, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const { rootpage } = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').get(table) as {
    rootpage: number;
  };
  db.close();
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (rootpage - 1) * pageSize);
  closeSync(fd);
}

test('readyz is 503 on a copy of the database whose inbox page is damaged, and ready on the intact original', async (t) => {
  const original = temporaryDir(t);
  const first = await startTestService(t, { dataDir: original, env: { INBOX_PAUSED: 'true' } });
  for (const id of ['before-1', 'before-2']) {
    t.is((await postDelivery(first.url, await signedDelivery(TEST_SECRET, 'ping', id, { zen: id }))).status, 202);
  }
  await first.close();

  const damaged = temporaryDir(t);
  copyFileSync(join(original, DATABASE), join(damaged, DATABASE));
  damageTable(join(damaged, DATABASE), 'deliveries');
  const service = await startTestService(t, { dataDir: damaged, env: { INBOX_PAUSED: 'true' } });
  const ready = await fetch(`${service.url}/readyz`);
  t.is(ready.status, 503);
  const body = (await ready.json()) as { error: { code: string; message: string } };
  t.is(body.error.code, 'store_unreachable');
  t.regex(body.error.message, /malformed/);
  // What readiness stands for: the delivery list fails on this copy too.
  t.is((await service.api('/api/deliveries')).status, 500);

  const intact = await startTestService(t, { dataDir: original, env: { INBOX_PAUSED: 'true' } });
  t.is((await fetch(`${intact.url}/readyz`)).status, 200);
});
