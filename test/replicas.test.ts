import anyTest from 'ava';
import { openMongoStore } from '../src/store/mongo/mongo-store.js';
import { verifyAuditTrail } from '../src/telemetry/audit-trail.js';
import { OCTO_API, pushPayload } from './support/github-payloads.js';
import { testOn } from './support/mongo-server.js';
import { replicaWorld } from './support/replica-world.js';
import { eventually, TEST_SECRET } from './support/test-service.js';
import { postDelivery, signedDelivery, type SignedDelivery } from './support/webhook-samples.js';

const test = testOn('mongodb', anyTest);

// R12: several replicas on one MongoDB database. Each of two server processes receives the same
// 200 deliveries (a load balancer and GitHub's redelivery can do that); one is killed half-way.
// Every delivery is applied exactly once, none is left behind, and the audit chain stays linear.

const DELIVERIES = 200;

test('two replicas on one database apply each of 200 deliveries once, and finish the work of one that dies', async (t) => {
  // Short leases, so the survivor takes over the dead replica's claims within the test.
  const { a, b, urlA, urlB, env } = await replicaWorld(t, { INBOX_LEASE_SECONDS: '2' });

  const deliveries: SignedDelivery[] = [];
  for (let i = 0; i < DELIVERIES; i++)
    deliveries.push(await signedDelivery(TEST_SECRET, 'push', `replica-${i}`, pushPayload(OCTO_API, 22, [`f${i}`])));
  let bAlive = true;
  const send = async (url: string, delivery: SignedDelivery): Promise<number> => {
    try {
      return (await postDelivery(url, delivery)).status;
    } catch {
      return 0; // a replica that was killed refuses connections: the other one still has it
    }
  };
  for (let i = 0; i < DELIVERIES; i += 20) {
    if (i === DELIVERIES / 2) {
      b.child.kill('SIGKILL');
      bAlive = false;
    }
    const batch = deliveries.slice(i, i + 20);
    const answers = await Promise.all(
      batch.flatMap((d) => [send(urlA ?? '', d), ...(bAlive ? [send(urlB ?? '', d)] : [])]),
    );
    const refused = answers.filter((status) => !(status === 202 || status === 200 || (status === 0 && !bAlive)));
    if (refused.length > 0)
      t.log(
        [a.output(), b.output()]
          .join('\n')
          .split('\n')
          .filter((line) => line.includes('"level":"error"'))
          .join('\n'),
      );
    t.deepEqual(refused, [], 'every copy of every delivery is acknowledged');
  }

  const store = await openMongoStore({ uri: env.MONGODB_URI ?? '', database: env.MONGODB_DB ?? '' });
  t.teardown(() => store.close());
  // Done: every delivery applied, and what a killed replica left half-copied has been copied out.
  const applied = await eventually(async () => {
    const done = await store.listDeliveries({ limit: 1000, state: 'applied' });
    const wakes = await store.listWakes({ limit: 1000 });
    return done.filter((d) => d.id.startsWith('replica-')).length === DELIVERIES && wakes.length >= DELIVERIES
      ? done
      : null;
  }, 45_000);
  t.is(applied.filter((d) => d.id.startsWith('replica-')).length, DELIVERIES, 'none lost, none stuck');
  t.deepEqual(await store.inboxBacklog(), { pending: 0, oldestReceivedAt: null });

  const wakes = await store.listWakes({ limit: 1000 });
  t.is(wakes.length, DELIVERIES, 'one wake per delivery: none applied twice');
  t.is(new Set(wakes.map((w) => w.deliveryId)).size, DELIVERIES);
  const outcomes = await store.listAudit({ limit: 5000, kind: 'delivery.outcome' });
  const appliedOnce = new Map<string, number>();
  for (const record of outcomes)
    if (record.decision === 'applied' && record.deliveryId?.startsWith('replica-'))
      appliedOnce.set(record.deliveryId, (appliedOnce.get(record.deliveryId) ?? 0) + 1);
  t.is(appliedOnce.size, DELIVERIES);
  t.true(
    [...appliedOnce.values()].every((n) => n === 1),
    'each delivery has exactly one applied outcome',
  );
  const chain = await verifyAuditTrail(store);
  t.true(chain.ok, `the audit chain stays linear with two writers: ${JSON.stringify(chain.broken)}`);
});
