import { join } from 'node:path';
import test from 'ava';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { MIGRATIONS } from '../src/store/sqlite/migrations.js';
import { storeContract } from './store-contract.js';
import { temporaryDir } from './support/test-service.js';

storeContract('sqlite', async (t) => {
  const store = openSqliteStore({ path: join(temporaryDir(t), 'contract.sqlite') });
  t.teardown(() => store.close());
  return store;
});

test('sqlite: opening a file applies every migration once and records the schema version', async (t) => {
  const path = join(temporaryDir(t), 'versioned.sqlite');
  await openSqliteStore({ path }).close();
  await openSqliteStore({ path }).close();
  const db = new Database(path, { readonly: true });
  t.teardown(() => db.close());
  t.is(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  t.is(db.pragma('journal_mode', { simple: true }), 'wal');
});

test('sqlite: upgrading a version 1 database keeps its audit records findable by the new filters', async (t) => {
  const path = join(temporaryDir(t), 'upgrade.sqlite');
  const v1 = new Database(path);
  v1.exec(MIGRATIONS[0] ?? '');
  v1.pragma('user_version = 1');
  v1.prepare(
    `INSERT INTO audit (seq, id, schema_version, kind, actor, source_type, source_id, subject, user_id, repo_id, decision,
       reason, before, after, trace_id, delivery_id, occurred_at, recorded_at, prev_hash, hash)
     VALUES (1, 'a1', 1, 'sync.installation', 'sync', 'sync', 's1', ?, NULL, 7, 'completed', NULL, 'null', 'null', NULL,
       NULL, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', NULL, 'h')`,
  ).run(JSON.stringify({ installationId: 11, repoId: 7, repoFullName: 'Octo-Org/API' }));
  v1.close();
  const store = openSqliteStore({ path });
  t.teardown(() => store.close());
  t.deepEqual(
    (await store.listAudit({ limit: 5, installationId: 11 })).map((r) => r.id),
    ['a1'],
  );
  t.deepEqual(
    (await store.listAudit({ limit: 5, repo: { ids: [], fullName: 'octo-org/api' } })).map((r) => r.id),
    ['a1'],
  );
});

test('sqlite: a database from a newer build is refused with a message', async (t) => {
  const path = join(temporaryDir(t), 'future.sqlite');
  const db = new Database(path);
  db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  db.close();
  t.throws(() => openSqliteStore({ path }), { message: /newer than this build knows/ });
});

test('sqlite: a delivery left processing by a dead process is due again when the file is reopened', async (t) => {
  const path = join(temporaryDir(t), 'reopen.sqlite');
  const crashed = openSqliteStore({ path });
  await crashed.recordDelivery(
    {
      id: 'd1',
      event: 'push',
      action: null,
      installationId: null,
      repoId: null,
      receivedAt: '2026-01-01T00:00:00.000Z',
      payload: '{}',
      headers: {},
    },
    '2026-01-01T00:00:00.000Z',
  );
  const farFuture = '2099-01-01T00:00:00.000Z';
  await crashed.claimNextDelivery({ workerId: 'dead', now: '2026-01-01T00:00:01.000Z', leaseUntil: farFuture });
  await crashed.close();
  const reopened = openSqliteStore({ path });
  t.teardown(() => reopened.close());
  const claim = await reopened.claimNextDelivery({
    workerId: 'alive',
    now: '2026-01-01T00:00:02.000Z',
    leaseUntil: farFuture,
  });
  t.like(claim, { id: 'd1', attempts: 2, state: 'processing' });
});

test('sqlite: a received body is stored as the UTF-8 text it came as, byte for byte, and read back as the same string', async (t) => {
  const path = join(temporaryDir(t), 'bytes.sqlite');
  const store = openSqliteStore({ path });
  t.teardown(() => store.close());
  // Multi-byte characters, an escaped lone surrogate, and spacing a re-serialisation would change.
  const text = '{ "action": "créé", "zen": "☕ 🙂 \\ud800",\n  "installation": {"id": 7} }';
  const bytes = Buffer.from(text, 'utf8');
  const result = await store.receiveDelivery(
    { id: 'bytes-1', event: 'push', receivedAt: '2026-01-01T00:00:00.000Z', payload: bytes, headers: {} },
    '2026-01-01T00:00:00.000Z',
  );
  t.like(result, { status: 'accepted', delivery: { action: 'créé', installationId: 7 } });
  t.is(await store.getDeliveryPayload('bytes-1'), text);
  const db = new Database(path, { readonly: true });
  t.teardown(() => db.close());
  t.deepEqual(db.prepare('SELECT typeof(payload) AS type, CAST(payload AS BLOB) AS raw FROM delivery_payloads').get(), {
    type: 'text',
    raw: bytes,
  });
});
