import anyTest, { type ExecutionContext } from 'ava';
import { MongoClient } from 'mongodb';
import { openMongoStore } from '../src/store/mongo/mongo-store.js';
import { storeContract } from './store-contract.js';
import { incomingFixture, outcomeDraftFixture, wakeFixture } from './support/fixtures.js';
import { storeEnv, testOn } from './support/mongo-server.js';

const test = testOn('mongodb', anyTest);

// The store contract against MongoDB through the official driver (MONGODB_URI, or the wire
// server from ../shared/tools started for this file). Each test gets a database of its own.

storeContract('mongodb', async (t) => {
  const env = await storeEnv(t, 'mongodb');
  const store = await openMongoStore({ uri: env.MONGODB_URI ?? '', database: env.MONGODB_DB ?? '' });
  t.teardown(() => store.close());
  return store;
});

/** Sets fields on a stored delivery behind the store's back, as a replica that died mid-way leaves them. */
async function leaveOnDelivery(
  t: ExecutionContext,
  env: Record<string, string>,
  id: string,
  fields: Record<string, unknown>,
): Promise<void> {
  const client = new MongoClient(env.MONGODB_URI ?? '');
  t.teardown(() => client.close());
  await client.db(env.MONGODB_DB).collection<{ _id: string }>('deliveries').updateOne({ _id: id }, { $set: fields });
}

test('mongodb: the wakes and audit of a delivery whose finisher died are copied out by the next claim', async (t) => {
  const env = await storeEnv(t, 'mongodb');
  const store = await openMongoStore({ uri: env.MONGODB_URI ?? '', database: env.MONGODB_DB ?? '' });
  t.teardown(() => store.close());
  const now = new Date().toISOString();
  await store.recordDelivery(incomingFixture('d1', { receivedAt: now }), now);
  // What a finisher leaves when it dies right after ending the delivery (src/store/mongo/deliveries.ts).
  const wake = wakeFixture('d1', 't1', now);
  const draft = outcomeDraftFixture('d1', { occurredAt: now });
  await leaveOnDelivery(t, env, 'd1', {
    state: 'applied',
    pending: JSON.stringify({ wakes: [wake], audit: [{ id: 'a-1', draft }] }),
    pendingUntil: '2000-01-01T00:00:00.000Z',
  });
  t.is(await store.claimNextDelivery({ workerId: 'w2', now, leaseUntil: now }), null);
  t.deepEqual(
    (await store.listWakes({ limit: 10 })).map((w) => w.id),
    ['d1:t1'],
  );
  t.deepEqual(
    (await store.listAudit({ limit: 10, deliveryId: 'd1' })).map((r) => [r.id, r.decision]),
    [['a-1', 'applied']],
  );
  await store.claimNextDelivery({ workerId: 'w2', now, leaseUntil: now });
  t.is((await store.listAudit({ limit: 10, deliveryId: 'd1' })).length, 1, 'copied once');
});

test('mongodb: a payload split into chunks reads back exactly, even with a character across a chunk edge', async (t) => {
  const env = await storeEnv(t, 'mongodb');
  const store = await openMongoStore({ uri: env.MONGODB_URI ?? '', database: env.MONGODB_DB ?? '' });
  t.teardown(() => store.close());
  const payload = `${'a'.repeat(4 * 1024 * 1024 - 1)}😀${'b'.repeat(1000)}`;
  const now = new Date().toISOString();
  await store.recordDelivery(incomingFixture('big', { receivedAt: now, payload }), now);
  t.true((await store.getDeliveryPayload('big')) === payload);
});

test('mongodb: a delivery whose copy-out is still pending is not claimed again until it is copied', async (t) => {
  const env = await storeEnv(t, 'mongodb');
  const store = await openMongoStore({
    uri: env.MONGODB_URI ?? '',
    database: env.MONGODB_DB ?? '',
    finishHoldMs: 60_000,
  });
  t.teardown(() => store.close());
  const now = new Date().toISOString();
  await store.recordDelivery(incomingFixture('d1', { installationId: null, repoId: null, receivedAt: now }), now);
  // An attempt failed and its finisher died before copying its audit out; the retry is due.
  await leaveOnDelivery(t, env, 'd1', {
    state: 'failed',
    nextAttemptAt: now,
    pending: JSON.stringify({ wakes: [], audit: [] }),
    pendingUntil: new Date(Date.now() + 60_000).toISOString(),
  });
  t.is(
    await store.claimNextDelivery({ workerId: 'w2', now, leaseUntil: now }),
    null,
    'held while the copy-out is pending',
  );
});

test('mongodb: the audit of an API write whose writer died is copied out by the next claim, once', async (t) => {
  const env = await storeEnv(t, 'mongodb');
  const store = await openMongoStore({ uri: env.MONGODB_URI ?? '', database: env.MONGODB_DB ?? '' });
  t.teardown(() => store.close());
  const now = new Date().toISOString();
  await store.upsertUser({ id: 'u1', githubUserId: 1, githubLogin: 'octocat', createdAt: now, updatedAt: now }, []);
  // What a writer leaves when it dies right after the write (src/store/mongo/copy-out.ts).
  const draft = { ...outcomeDraftFixture('d0', { occurredAt: now }), kind: 'user.put' as const, deliveryId: null };
  const client = new MongoClient(env.MONGODB_URI ?? '');
  t.teardown(() => client.close());
  await client
    .db(env.MONGODB_DB)
    .collection<{ _id: string }>('users')
    .updateOne(
      { _id: 'u1' },
      { $set: { pendingAudit: [JSON.stringify([{ id: 'a-1', draft }])], pendingUntil: '2000-01-01T00:00:00.000Z' } },
    );
  await store.claimNextDelivery({ workerId: 'w2', now, leaseUntil: now });
  t.deepEqual(
    (await store.listAudit({ limit: 10 })).map((r) => [r.id, r.kind]),
    [['a-1', 'user.put']],
  );
  // The next write to the same document copies out with its own; nothing is copied twice.
  await store.upsertUser({ id: 'u1', githubUserId: 1, githubLogin: 'octo', createdAt: now, updatedAt: now }, [draft]);
  t.deepEqual(
    (await store.listAudit({ limit: 10 })).map((r) => r.kind),
    ['user.put', 'user.put'],
  );
});

test('mongodb: an orphaned copy-out on a document is taken by the next write to it', async (t) => {
  const env = await storeEnv(t, 'mongodb');
  const store = await openMongoStore({ uri: env.MONGODB_URI ?? '', database: env.MONGODB_DB ?? '' });
  t.teardown(() => store.close());
  const now = new Date().toISOString();
  const automation = { id: 'a1', userId: 'u1', installationId: 42, name: 'x', enabled: true, updatedAt: now };
  await store.putAutomation(automation, []);
  const draft = {
    ...outcomeDraftFixture('d0', { occurredAt: now }),
    kind: 'automation.put' as const,
    deliveryId: null,
  };
  const client = new MongoClient(env.MONGODB_URI ?? '');
  t.teardown(() => client.close());
  // A hold that has not passed: only a writer of the same document takes it over before then.
  await client
    .db(env.MONGODB_DB)
    .collection<{ _id: string }>('automations')
    .updateOne(
      { _id: 'a1' },
      { $set: { pendingAudit: [JSON.stringify([{ id: 'orphan', draft }])], pendingUntil: '2999-01-01T00:00:00.000Z' } },
    );
  t.true(await store.deleteAutomation('a1', [{ ...draft, kind: 'automation.deleted' }]));
  t.deepEqual(
    (await store.listAudit({ limit: 10 })).map((r) => [r.kind]),
    [['automation.put'], ['automation.deleted']],
  );
  t.is(await store.getAutomation('a1'), null);
  t.is(await client.db(env.MONGODB_DB).collection('automations').countDocuments({}), 0, 'removed once copied out');
});
