import { execFile } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import anyTest, { type ExecutionContext } from 'ava';
import Database from 'better-sqlite3';
import { MongoClient } from 'mongodb';
import { checkpointKeys, hashAuditRecord, type AuditRecord } from '../src/domain/audit/index.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { checkpointExportPath } from '../src/telemetry/audit-checkpoints.js';
import { storeCheckpoints, verifyAuditTrail, type AuditVerification } from '../src/telemetry/audit-trail.js';
import { coveredRepoWorld, deliver, pushPayload, pushTrigger } from './support/github-payloads.js';
import { STORE_KINDS, storeEnv, testOn, type StoreKind } from './support/mongo-server.js';
import { eventually, json, startTestService, temporaryDir, type TestService } from './support/test-service.js';

// Signed checkpoints (issue 19, "Tamper evidence that survives a rewrite"): someone who can write
// the database can edit a record and recompute every hash after it, and the chain verifies;
// the signed checkpoints, whose key is not in the database, still name the first rewritten record.

const test = anyTest;

interface Keys {
  privatePem: string;
  publicPem: string;
  key: KeyObject;
}
function ed25519(): Keys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    key: publicKey,
  };
}

interface World {
  service: TestService;
  dataDir: string;
  env: Record<string, string>;
}

async function world(t: ExecutionContext, kind: StoreKind, keys: Keys, dataDir = temporaryDir(t)): Promise<World> {
  const env = {
    ...(await storeEnv(t, kind)),
    AUDIT_SIGNING_KEY: keys.privatePem,
    AUDIT_CHECKPOINT_RECORDS: '3',
    AUDIT_CHECKPOINT_SECONDS: '1',
  };
  const service = await startTestService(t, { dataDir, env });
  await coveredRepoWorld(service);
  await pushTrigger(service, 22);
  await deliver(service, 'push', pushPayload({ id: 7, owner: 'octo-org', name: 'api' }, 22, ['a']));
  await signedUpToHead(service.store);
  return { service, dataDir, env };
}

/** Waits until the signed checkpoints cover every record so far. */
async function signedUpToHead(store: Store): Promise<number> {
  const [head] = await store.listAudit({ limit: 1, order: 'newest' });
  await eventually(async () => ((await store.lastSignedCheckpoint())?.seq ?? 0) >= (head?.seq ?? 1), 15_000);
  return head?.seq ?? 0;
}

const verify = async (service: TestService): Promise<AuditVerification> =>
  (await (await service.api('/api/audit/verify')).json()) as AuditVerification;

/** The attacker's rewrite: record `seq` gets another decision, and every hash from it on is made again. */
function rewrittenFrom(records: readonly AuditRecord[], seq: number): AuditRecord[] {
  const rewritten: AuditRecord[] = [];
  let prevHash = records.find((r) => r.seq === seq - 1)?.hash ?? null;
  for (const record of records.filter((r) => r.seq >= seq)) {
    const { hash: _old, ...rest } = record;
    const edited = { ...rest, prevHash, decision: record.seq === seq ? 'rewritten' : record.decision };
    const hash = hashAuditRecord(edited);
    rewritten.push({ ...edited, hash });
    prevHash = hash;
  }
  return rewritten;
}

async function rewriteChain(
  t: ExecutionContext,
  w: Pick<World, 'dataDir' | 'env'>,
  kind: StoreKind,
  records: readonly AuditRecord[],
  seq: number,
): Promise<void> {
  const rewritten = rewrittenFrom(records, seq);
  if (kind === 'sqlite') {
    const db = new Database(join(w.dataDir, 'reconciler.sqlite'));
    const update = db.prepare('UPDATE audit SET decision = ?, prev_hash = ?, hash = ? WHERE seq = ?');
    for (const r of rewritten) update.run(r.decision, r.prevHash, r.hash, r.seq);
    db.close();
    return;
  }
  const client = new MongoClient(w.env.MONGODB_URI ?? '');
  t.teardown(() => client.close());
  const audit = client.db(w.env.MONGODB_DB).collection('audit');
  for (const r of rewritten)
    await audit.updateOne({ seq: r.seq }, { $set: { decision: r.decision, prevHash: r.prevHash, hash: r.hash } });
}

for (const kind of STORE_KINDS) {
  testOn(kind, test)(
    `${kind}: a record edited with every hash after it recomputed is named by the signed checkpoints`,
    async (t) => {
      const keys = ed25519();
      const w = await world(t, kind, keys);
      const before = await verify(w.service);
      t.true(before.ok);
      t.true(before.signedCheckpointsChecked);
      t.truthy(before.signedCheckpoint, 'a signed checkpoint held');
      await rewriteChain(t, w, kind, await w.service.store.listAudit({ limit: 10_000 }), 4);
      const chainOnly = await verifyAuditTrail(w.service.store);
      t.true(chainOnly.ok, 'the rewritten chain verifies as a chain');
      const result = await verify(w.service);
      t.false(result.ok);
      t.like(result.broken, { seq: 4 });
      t.regex(result.broken?.problem ?? '', /not the one signed in checkpoint \d+ \(the chain was rewritten/);
      t.true((result.signedCheckpoint?.seq ?? 0) < 4, 'the last checkpoint that held is before the rewrite');
    },
  );
}

test('sqlite: deleting the tail after a signed checkpoint is detected', async (t) => {
  const w = await world(t, 'sqlite', ed25519());
  const head = (await verify(w.service)).lastSeq ?? 0;
  const db = new Database(join(w.dataDir, 'reconciler.sqlite'));
  db.prepare('DELETE FROM audit WHERE seq > ?').run(head - 2);
  db.close();
  const result = await verify(w.service);
  t.like(result.broken, { ok: false, seq: head - 1, id: null });
  t.regex(result.broken?.problem ?? '', new RegExp(`records ${head - 1} to ${head} are missing`));
});

const CLI = fileURLToPath(new URL('../src/cli/audit.js', import.meta.url));
function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
    );
  });
}

test('the exported checkpoint file verifies the store offline with reconciler-audit, and names a rewritten record', async (t) => {
  const keys = ed25519();
  const w = await world(t, 'sqlite', keys);
  await w.service.close();
  const exported = checkpointExportPath(w.dataDir);
  const lines = readFileSync(exported, 'utf8').trim().split('\n');
  t.true(lines.length >= 2, 'one line per checkpoint');
  const publicKey = join(w.dataDir, 'audit-public.pem');
  writeFileSync(publicKey, keys.publicPem);
  const database = join(w.dataDir, 'reconciler.sqlite');
  const args = ['verify', '--checkpoints', exported, '--public-key', publicKey, '--sqlite', database];
  const good = await runCli(args);
  t.is(good.code, 0, good.stderr + good.stdout);
  t.like(JSON.parse(good.stdout), { ok: true, signedCheckpointsChecked: true });

  const stopped = openSqliteStore({ path: database });
  const records = await stopped.listAudit({ limit: 10_000 });
  await stopped.close();
  await rewriteChain(t, w, 'sqlite', records, 5);
  const bad = await runCli(args);
  t.is(bad.code, 1, bad.stderr);
  t.regex(bad.stderr, /audit record 5 is bad: its hash is not the one signed in checkpoint/);

  const stranger = join(w.dataDir, 'stranger.pem');
  writeFileSync(stranger, ed25519().publicPem);
  const unknownKey = await runCli([...args.slice(0, 4), stranger, ...args.slice(5)]);
  t.is(unknownKey.code, 1, unknownKey.stderr);
  t.regex(unknownKey.stderr, /not among the public keys given/);
});

test('sqlite: a store behind its last exported checkpoint at start (records lost with the WAL) is logged loudly and counted', async (t) => {
  const keys = ed25519();
  const dataDir = temporaryDir(t);
  const first = await world(t, 'sqlite', keys, dataDir);
  await first.service.close();
  const db = new Database(join(dataDir, 'reconciler.sqlite'));
  const head = Number((db.prepare('SELECT max(seq) AS n FROM audit').get() as { n: number }).n);
  // What a deleted WAL leaves: the last records and their checkpoint rows were never in the main file.
  db.prepare('DELETE FROM audit WHERE seq > ?').run(head - 3);
  db.prepare('DELETE FROM audit_signed_checkpoints WHERE seq > ?').run(head - 3);
  db.close();
  // The crash also cut the last append to the export file short.
  appendFileSync(checkpointExportPath(dataDir), '{"number":99,"seq":');
  const again = await startTestService(t, { dataDir, env: first.env });
  const lost = again.logLines().find((line) => line.includes('AUDIT RECORDS LOST'));
  t.truthy(lost);
  t.like(JSON.parse(lost ?? '{}'), { level: 'error', recordsLost: 3, storeHeadSeq: head - 3 });
  const metrics = await (await fetch(`${again.url}/metrics`)).text();
  t.regex(metrics, /^reconciler_audit_records_lost 3$/m);
  const result = await verify(again);
  t.like(result.broken, { seq: head - 2, id: null });
  await again.api('/api/users/u3', json('PUT', { githubUserId: 3, githubLogin: 'u3' }));
  await again.close();
  const lines = readFileSync(checkpointExportPath(dataDir), 'utf8').split('\n');
  t.true(lines.includes('{"number":99,"seq":'), 'the cut line stays on a line of its own');
  t.notThrows(() =>
    lines.filter((line) => line !== '' && !line.startsWith('{"number":99,')).map((line) => JSON.parse(line)),
  );
});

test('sqlite: after a key rotation checkpoints signed with the earlier key still verify, given its public key', async (t) => {
  const earlier = ed25519();
  const dataDir = temporaryDir(t);
  const first = await world(t, 'sqlite', earlier, dataDir);
  await first.service.close();
  const current = ed25519();
  const service = await startTestService(t, { dataDir, env: { ...first.env, AUDIT_SIGNING_KEY: current.privatePem } });
  await service.api('/api/users/u2', json('PUT', { githubUserId: 2, githubLogin: 'u2' }));
  await signedUpToHead(service.store);
  const source = storeCheckpoints(service.store);
  const both = await verifyAuditTrail(service.store, { source, keys: checkpointKeys([earlier.key, current.key]) });
  t.true(both.ok, JSON.stringify(both.broken));
  t.is(both.signedCheckpoint?.keyId, [...checkpointKeys([current.key]).keys()][0]);
  const onlyCurrent = await verifyAuditTrail(service.store, { source, keys: checkpointKeys([current.key]) });
  t.regex(onlyCurrent.broken?.problem ?? '', /checkpoint 1: signed with key [0-9a-f]{16}, which is not among/);
});
