import { join } from 'node:path';
import anyTest from 'ava';
import Database from 'better-sqlite3';
import { MongoClient } from 'mongodb';
import type { AuditVerification } from '../src/telemetry/audit-trail.js';
import { coveredRepoWorld, deliver, pushPayload, pushTrigger, repositoryPayload } from './support/github-payloads.js';
import { storeEnv, testOn } from './support/mongo-server.js';
import { json, startTestService, temporaryDir, type TestService } from './support/test-service.js';

// The audit trail is tamper-evident: GET /api/audit/verify walks the hash chain and names the
// first record that was edited or removed; pruning keeps what remains verifiable.

const test = anyTest;

async function world(
  t: Parameters<typeof startTestService>[0],
  env: Record<string, string> = {},
): Promise<{ service: TestService; dbPath: string }> {
  const dataDir = temporaryDir(t);
  const service = await startTestService(t, { dataDir, env });
  await coveredRepoWorld(service);
  await pushTrigger(service, 22);
  await deliver(service, 'push', pushPayload({ id: 7, owner: 'octo-org', name: 'api' }, 22, ['a']));
  return { service, dbPath: join(dataDir, 'reconciler.sqlite') };
}

const verify = async (service: TestService): Promise<AuditVerification> =>
  (await (await service.api('/api/audit/verify')).json()) as AuditVerification;

/** Changes the store's file behind the service's back, as an attacker with disk access would. */
function tamper(dbPath: string, sql: string): void {
  const db = new Database(dbPath);
  try {
    db.prepare(sql).run();
  } finally {
    db.close();
  }
}

test('an untouched audit trail verifies from its first record to its last', async (t) => {
  const { service } = await world(t);
  const result = await verify(service);
  t.true(result.ok);
  t.true(result.checked >= 6);
  t.is(result.firstSeq, 1);
  t.is(result.lastSeq, result.checked);
  t.is(result.broken, null);
});

test('editing one audit row makes verify name that record', async (t) => {
  const { service, dbPath } = await world(t);
  const [target] = await service.store.listAudit({ limit: 1, afterSeq: 2 });
  tamper(dbPath, `UPDATE audit SET decision = 'woken' WHERE seq = ${target?.seq ?? 0}`);
  const result = await verify(service);
  t.false(result.ok);
  t.like(result.broken, { ok: false, seq: target?.seq, id: target?.id });
  t.regex(result.broken?.problem ?? '', /edited after it was written/);
});

test('removing a row from the middle makes verify name the gap', async (t) => {
  const { service, dbPath } = await world(t);
  tamper(dbPath, 'DELETE FROM audit WHERE seq = 3');
  const result = await verify(service);
  t.like(result.broken, { ok: false, seq: 4 });
  t.regex(result.broken?.problem ?? '', /record 3 is missing/);
});

test('pruning removes the oldest records behind a checkpoint; the rest still verifies and grows', async (t) => {
  const { service } = await world(t);
  const before = await verify(service);
  const pruned = await service.api(
    '/api/audit/prune',
    json('POST', { before: new Date(Date.now() + 1000).toISOString() }),
  );
  t.is(pruned.status, 400, 'a cutoff in the future is refused');
  const now = await service.api('/api/audit/prune', json('POST', { before: new Date().toISOString() }));
  t.is(now.status, 200);
  const result = (await now.json()) as { pruned: number; checkpoint: { seq: number; pruned: number } };
  t.is(result.pruned, before.checked - 1, 'everything but the newest record');
  t.like(result.checkpoint, { seq: before.checked - 1, pruned: before.checked - 1 });
  const after = await verify(service);
  t.true(after.ok);
  t.is(after.firstSeq, before.checked);
  const [record] = await service.store.listAudit({ limit: 1, order: 'newest' });
  t.like(record, { kind: 'audit.pruned', after: { pruned: before.checked - 1 } });
  await service.api('/api/users/u2', json('PUT', { githubUserId: 2, githubLogin: 'u2' }));
  t.true((await verify(service)).ok, 'records appended after a prune extend the chain');
  const bad = await service.api('/api/audit/prune', json('POST', { before: 'last week' }));
  t.is(bad.status, 400);
});

const searchedRecord = async (service: TestService) => {
  const [target] = await service.store.listAudit({ limit: 1, userId: 'u1', order: 'newest' });
  if (target === undefined) throw new Error('a record about u1');
  return target;
};

test('editing a search column of a record (its user) makes verify name that record, not say ok', async (t) => {
  const { service, dbPath } = await world(t);
  const target = await searchedRecord(service);
  tamper(dbPath, `UPDATE audit SET user_id = 'nobody' WHERE seq = ${target.seq}`);
  t.false((await service.store.listAudit({ limit: 100, userId: 'u1' })).some((r) => r.seq === target.seq));
  const result = await verify(service);
  t.like(result.broken, { ok: false, seq: target.seq, id: target.id });
  t.regex(result.broken?.problem ?? '', /search keys \(userId\)/);
});

testOn('mongodb', anyTest)(
  'mongodb: editing a search field of a record (its repo) makes verify name that record',
  async (t) => {
    const env = await storeEnv(t, 'mongodb');
    const { service } = await world(t, env);
    const [target] = await service.store.listAudit({ limit: 1, repo: { ids: [7] }, order: 'newest' });
    if (target === undefined) throw new Error('a record about repo 7');
    const client = new MongoClient(env.MONGODB_URI ?? '');
    t.teardown(() => client.close());
    await client
      .db(env.MONGODB_DB)
      .collection('audit')
      .updateOne({ seq: target.seq }, { $set: { repoId: 8, repoFullNameLower: 'elsewhere/other' } });
    const result = await verify(service);
    t.like(result.broken, { ok: false, seq: target.seq, id: target.id });
    t.regex(result.broken?.problem ?? '', /search keys \(repoId, repoFullName\)/);
  },
);

test('a signed delivery with a lone surrogate in a repository name is stored well-formed and the chain keeps verifying', async (t) => {
  const { service } = await world(t);
  // JSON.stringify writes the lone surrogate as the escape \ud800, as a hostile body would carry it.
  const renamed = await deliver(service, 'repository', repositoryPayload('renamed', { id: 7, owner: 'octo-org', name: 'api\ud800' }, 22));
  t.is(renamed.state, 'applied');
  const [row] = await service.store.listRepoRowsByFullName('octo-org/api\ufffd');
  t.is(row?.fullName, 'octo-org/api\ufffd', 'the row keeps the name well-formed');
  const audited = await service.store.listAudit({ limit: 100, deliveryId: renamed.id });
  t.true(audited.length > 0);
  t.false(
    audited.some((record) => JSON.stringify(record).includes('\\ud800')),
    'no record carries the lone surrogate',
  );
  const first = await verify(service);
  t.true(first.ok, JSON.stringify(first.broken));
  await service.api('/api/users/u2', json('PUT', { githubUserId: 2, githubLogin: 'u2' }));
  const later = await verify(service);
  t.true(later.ok, 'records written after it verify too');
  t.is(later.lastSeq, first.checked + 1);
});
