import test from 'ava';
import { startDeliveryWorker } from '../src/inbox/delivery-worker.js';
import type { ApplyDelivery } from '../src/inbox/worker-contract.js';
import { silentLogger } from '../src/telemetry/logger.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { join } from 'node:path';
import { examplePayload, postDelivery, signedDelivery } from './support/webhook-samples.js';
import { eventually, startTestService, temporaryDir, TEST_SECRET } from './support/test-service.js';

const fastRetries = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 };

test('an event without a handler or a repository is ignored and the delivery says why', async (t) => {
  const service = await startTestService(t);
  await postDelivery(
    service.url,
    await signedDelivery(TEST_SECRET, 'meta', 'guid-meta', { action: 'deleted', hook_id: 7 }),
  );
  const delivery = await eventually(async () => {
    const d = await service.store.getDelivery('guid-meta');
    return d?.state === 'ignored' ? d : null;
  });
  const reason = 'no handler for event "meta" and no repository to route';
  t.is(delivery.reason, reason);
  t.not(delivery.processedAt, null);
  const audit = await service.store.listAudit({ limit: 10, deliveryId: 'guid-meta' });
  t.deepEqual(
    audit.map((r) => [r.kind, r.decision, r.reason]),
    [['delivery.outcome', 'ignored', reason]],
  );
});

test('a repository event no trigger listens to is ignored and says which repo was looked up', async (t) => {
  const service = await startTestService(t);
  await postDelivery(
    service.url,
    await signedDelivery(TEST_SECRET, 'star', 'guid-star', examplePayload('star', 'created')),
  );
  const delivery = await eventually(async () => {
    const d = await service.store.getDelivery('guid-star');
    return d?.state === 'ignored' ? d : null;
  });
  t.is(
    delivery.reason,
    'no trigger is registered for Codertocat/Hello-World (repo id 186853002), so nothing could wake',
  );
  const [outcome] = await service.store.listAudit({ limit: 10, deliveryId: 'guid-star', kind: 'routing.outcome' });
  t.like(outcome, {
    decision: 'no_candidates',
    subject: { repoId: 186853002, repoFullName: 'Codertocat/Hello-World' },
  });
});

for (const event of ['constructor', '__proto__', 'tostring']) {
  test(`an event named ${event} is ignored, not looked up on Object.prototype`, async (t) => {
    const service = await startTestService(t);
    await postDelivery(service.url, await signedDelivery(TEST_SECRET, event, `guid-${event}`, { zen: 'x' }));
    const delivery = await eventually(async () => {
      const d = await service.store.getDelivery(`guid-${event}`);
      return d && d.state !== 'received' && d.state !== 'processing' ? d : null;
    });
    t.like(delivery, {
      state: 'ignored',
      attempts: 1,
      reason: `no handler for event "${event}" and no repository to route`,
    });
  });
}

test('a ping is applied: it confirms the webhook configuration', async (t) => {
  const service = await startTestService(t);
  await postDelivery(service.url, await signedDelivery(TEST_SECRET, 'ping', 'guid-ping', examplePayload('ping')));
  const delivery = await eventually(async () => {
    const d = await service.store.getDelivery('guid-ping');
    return d?.state === 'applied' ? d : null;
  });
  t.is(delivery.reason, 'webhook configuration confirmed');
});

test('a failing delivery is retried with back-off, then kept as failed with its error and attempts', async (t) => {
  let calls = 0;
  const apply: ApplyDelivery = async () => {
    calls += 1;
    throw new Error(`store of record unavailable (${calls})`);
  };
  const service = await startTestService(t, { overrides: { apply, retryPolicy: fastRetries, idlePollMs: 20 } });
  await postDelivery(service.url, await signedDelivery(TEST_SECRET, 'push', 'guid-fail', examplePayload('push')));
  const failed = await eventually(async () => {
    const d = await service.store.getDelivery('guid-fail');
    return d?.state === 'failed' && d.nextAttemptAt === null ? d : null;
  });
  t.like(failed, { attempts: 3, error: 'store of record unavailable (3)' });
  await new Promise((resolve) => setTimeout(resolve, 150));
  t.is(calls, 3, 'no attempt after the last one');
  const outcomes = await service.store.listAudit({ limit: 10, deliveryId: 'guid-fail' });
  t.deepEqual(
    outcomes.map((r) => r.decision),
    ['failed', 'failed', 'failed'],
  );
  t.regex(outcomes[0]?.reason ?? '', /^retry at /);
  t.is(outcomes[2]?.reason, 'attempts used up');
});

test('a given-up delivery that GitHub redelivers gets one more attempt', async (t) => {
  let healthy = false;
  const apply: ApplyDelivery = async () => {
    if (!healthy) throw new Error('down');
    return { state: 'applied', reason: null, audit: [] };
  };
  const service = await startTestService(t, {
    overrides: { apply, retryPolicy: { ...fastRetries, maxAttempts: 1 }, idlePollMs: 20 },
  });
  const delivery = await signedDelivery(TEST_SECRET, 'push', 'guid-redeliver', examplePayload('push'));
  await postDelivery(service.url, delivery);
  await eventually(async () => (await service.store.getDelivery('guid-redeliver'))?.state === 'failed');
  healthy = true;
  const response = await postDelivery(service.url, delivery);
  t.is(response.status, 202);
  t.like(await response.json(), { status: 'requeued' });
  const applied = await eventually(async () => {
    const d = await service.store.getDelivery('guid-redeliver');
    return d?.state === 'applied' ? d : null;
  });
  t.is(applied.attempts, 2);
});

test('a delivery that fails once and then succeeds ends applied after two attempts', async (t) => {
  let calls = 0;
  const apply: ApplyDelivery = async () => {
    calls += 1;
    if (calls === 1) throw new Error('transient');
    return { state: 'applied', reason: null, audit: [] };
  };
  const service = await startTestService(t, { overrides: { apply, retryPolicy: fastRetries, idlePollMs: 20 } });
  await postDelivery(service.url, await signedDelivery(TEST_SECRET, 'push', 'guid-flaky', examplePayload('push')));
  const applied = await eventually(async () => {
    const d = await service.store.getDelivery('guid-flaky');
    return d?.state === 'applied' ? d : null;
  });
  t.like(applied, { attempts: 2, error: 'transient' });
});

test('deliveries stored while paused are processed in arrival order after a restart', async (t) => {
  const dataDir = temporaryDir(t);
  const paused = await startTestService(t, { dataDir, env: { INBOX_PAUSED: 'true' } });
  const ids = ['guid-a', 'guid-b', 'guid-c', 'guid-d', 'guid-e'];
  for (const id of ids)
    await postDelivery(paused.url, await signedDelivery(TEST_SECRET, 'push', id, examplePayload('push')));
  t.is((await paused.store.inboxBacklog()).pending, 5);
  await paused.close();

  const order: string[] = [];
  const apply: ApplyDelivery = async (delivery) => {
    order.push(delivery.id);
    return { state: 'applied', reason: null, audit: [] };
  };
  const resumed = await startTestService(t, { dataDir, overrides: { apply } });
  await eventually(async () => (await resumed.store.inboxBacklog()).pending === 0);
  t.deepEqual(order, ids);
});

test('closing the service finishes the delivery in hand before the store closes', async (t) => {
  const dataDir = temporaryDir(t);
  let started!: () => void;
  const inHand = new Promise<void>((resolve) => (started = resolve));
  const apply: ApplyDelivery = async () => {
    started();
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { state: 'applied', reason: 'slow but done', audit: [] };
  };
  const service = await startTestService(t, { dataDir, overrides: { apply } });
  await postDelivery(service.url, await signedDelivery(TEST_SECRET, 'push', 'guid-slow', examplePayload('push')));
  await inHand;
  await service.close();
  const reopened = openSqliteStore({ path: join(dataDir, 'reconciler.sqlite') });
  t.teardown(() => reopened.close());
  t.like(await reopened.getDelivery('guid-slow'), { state: 'applied', reason: 'slow but done' });
});

test('under concurrent ingress every delivery is processed once, on its first attempt, with no store errors', async (t) => {
  const service = await startTestService(t);
  const payload = examplePayload('push');
  const ids = Array.from({ length: 400 }, (_, i) => `guid-load-${i}`);
  let next = 0;
  await Promise.all(
    Array.from({ length: 40 }, async () => {
      while (next < ids.length) {
        const id = ids[next++] ?? '';
        const response = await postDelivery(service.url, await signedDelivery(TEST_SECRET, 'push', id, payload));
        if (response.status !== 202) throw new Error(`${id} answered ${response.status}`);
      }
    }),
  );
  await eventually(async () => (await service.store.inboxBacklog()).pending === 0, 30_000);
  const deliveries = await service.store.listDeliveries({ limit: 500 });
  t.is(deliveries.length, 400);
  t.true(deliveries.every((d) => d.state === 'ignored' && d.attempts === 1));
  t.deepEqual(
    service.logLines().filter((line) => /"level":"(error|fatal)"/.test(line)),
    [],
  );
});

test('a due retry held back by a claim on its installation is polled for, not spun on', async (t) => {
  const store = openSqliteStore({ path: join(temporaryDir(t), 'inbox.sqlite') });
  t.teardown(() => store.close());
  // Times from one start, so that a slow machine cannot make the retry due before the claim below.
  const start = Date.now();
  const iso = (ms: number) => new Date(start + ms).toISOString();
  const receive = (id: string) =>
    store.receiveDelivery(
      { id, event: 'installation', receivedAt: iso(0), payload: Buffer.from('{"installation":{"id":7}}'), headers: {} },
      iso(0),
    );
  await receive('failed-once');
  await store.claimNextDelivery({ workerId: 'w', now: iso(0), leaseUntil: iso(60_000) });
  await store.failDelivery('failed-once', 'w', {
    error: 'boom',
    processedAt: iso(0),
    nextAttemptAt: iso(100),
    audit: [],
  });
  await receive('held');
  // A worker that died holds the installation's other delivery for a minute.
  t.like(await store.claimNextDelivery({ workerId: 'dead', now: iso(0), leaseUntil: iso(60_000) }), { id: 'held' });

  let claims = 0;
  const worker = startDeliveryWorker({
    store: { ...store, claimNextDelivery: (claim) => ((claims += 1), store.claimNextDelivery(claim)) },
    apply: async () => ({ state: 'applied', reason: null, audit: [] }),
    logger: silentLogger,
    now: () => new Date(),
    retryPolicy: fastRetries,
    leaseMs: 60_000,
    idlePollMs: 500,
    isIngressBusy: () => false,
    maxDeferMs: 100,
    onProcessed: () => undefined,
  });
  await new Promise((resolve) => setTimeout(resolve, 1_300));
  await worker.stop();
  t.true(claims <= 5, `${claims} claims in 1.3 s polling every 500 ms`);
  t.is((await store.getDelivery('failed-once'))?.state, 'failed', 'still waiting for its installation');
});
