import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import anyTest from 'ava';
import { Webhook } from 'standardwebhooks';
import { OCTO_API, pushPayload } from './support/github-payloads.js';
import { testOn } from './support/mongo-server.js';
import { replicaWorld } from './support/replica-world.js';
import { eventually, TEST_SECRET } from './support/test-service.js';
import { RUNNER_SECRET } from './support/wake-receiver.js';
import { postDelivery, signedDelivery } from './support/webhook-samples.js';

const test = testOn('mongodb', anyTest);

// Pushed wakes with two replicas on one MongoDB database: both fan out and both send, and a send
// is only ever attempted by one of them at a time (claims with leases, as the inbox does).

const DELIVERIES = 100;

test('two replicas push each wake, and never attempt one send at the same time', async (t) => {
  t.timeout(120_000);
  const inFlight = new Map<string, number>();
  const overlaps: string[] = [];
  const received = new Map<string, number>();
  const webhook = new Webhook(RUNNER_SECRET);
  let invalid = 0;
  const server = createServer((req, res) => {
    const id = String(req.headers['webhook-id']);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        webhook.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
      } catch {
        invalid += 1;
      }
      const now = (inFlight.get(id) ?? 0) + 1;
      inFlight.set(id, now);
      if (now > 1) overlaps.push(id);
      // Slow enough that a second sender would be caught attempting the same send.
      setTimeout(() => {
        inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
        received.set(id, (received.get(id) ?? 0) + 1);
        res.writeHead(204).end();
      }, 30);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { urlA, urlB, api } = await replicaWorld(t, {
    WAKE_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wakes`,
    WAKE_ENDPOINT_SECRET: RUNNER_SECRET,
  });
  for (let i = 0; i < DELIVERIES; i++) {
    const delivery = await signedDelivery(TEST_SECRET, 'push', `push-${i}`, pushPayload(OCTO_API, 22, ['a']));
    t.is((await postDelivery(i % 2 === 0 ? (urlA ?? '') : (urlB ?? ''), delivery)).status, 202);
  }
  await eventually(async () => (received.size === DELIVERIES ? true : null), 60_000);
  // The last answers may still be on their way to being recorded.
  const pending = await eventually(async () => {
    const answer = (await (await api('/api/endpoints/default')).json()) as { endpoint: { pending: number } };
    return answer.endpoint.pending === 0 ? answer.endpoint.pending : null;
  }, 10_000).catch(() => -1);
  t.deepEqual(overlaps, [], 'no send attempted by both replicas at once');
  t.is(invalid, 0, 'every signature verifies');
  t.is(received.size, DELIVERIES);
  t.is(pending, 0, 'nothing pending');
});
