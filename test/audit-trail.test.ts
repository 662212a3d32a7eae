import { join } from 'node:path';
import test from 'ava';
import Database from 'better-sqlite3';
import type { AuditVerification } from '../src/telemetry/audit-trail.js';
import { coveredRepoWorld, deliver, pushPayload, pushTrigger } from './support/github-payloads.js';
import { json, startTestService, temporaryDir, type TestService } from './support/test-service.js';

// The audit trail is tamper-evident: GET /api/audit/verify walks the hash chain and names the
// first record that was edited or removed; pruning keeps what remains verifiable.

async function world(t: Parameters<typeof startTestService>[0]): Promise<{ service: TestService; dbPath: string }> {
  const dataDir = temporaryDir(t);
  const service = await startTestService(t, { dataDir });
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
