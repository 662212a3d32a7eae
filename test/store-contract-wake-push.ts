import type { WakeEndpoint } from '../src/domain/wake-push.js';
import type { NewSend, SendFinish } from '../src/store/store.js';
import type { OpenStore } from './store-contract.js';
import type { DeclareTest } from './support/mongo-server.js';

// The contract for pushed wakes: endpoints keep their health across re-registration, sends are
// queued once however often they are offered, taken by one claim at a time, and an endpoint
// that keeps failing is paused and then tried again.

const T0 = '2026-01-01T00:00:00.000Z';
const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();

const endpoint: WakeEndpoint = {
  id: 'runner',
  url: 'http://127.0.0.1:9/wakes',
  secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0',
  filter: { automationIds: null, userIds: null, events: ['push'] },
  enabled: true,
  source: 'api',
  updatedAt: T0,
};

const send = (seq: number, endpointId = 'runner'): NewSend => ({
  id: `d${seq}:t1`,
  seq,
  endpointId,
  wakeId: `d${seq}:t1`,
  body: JSON.stringify({ type: 'wake.created', data: { seq } }),
  createdAt: at(seq),
});

const attempt = (seconds: number, status: number | null) => ({
  at: at(seconds),
  status,
  error: status === null ? 'connection refused' : null,
  durationMs: 3,
});

const failed = (seconds: number, retryAt: string | null, threshold = 3): SendFinish => ({
  state: retryAt === null ? 'given_up' : 'pending',
  nextAttemptAt: retryAt,
  attempt: attempt(seconds, 500),
  pauseUntil: at(seconds + 60),
  pauseAfterFailures: threshold,
});

const delivered = (seconds: number): SendFinish => ({
  state: 'delivered',
  nextAttemptAt: null,
  attempt: attempt(seconds, 204),
  pauseUntil: at(seconds + 60),
  pauseAfterFailures: 3,
});

const claimAt = (workerId: string, seconds: number) => ({ workerId, now: at(seconds), leaseUntil: at(seconds + 30) });

export function wakePushContract(title: (behaviour: string) => string, open: OpenStore, test: DeclareTest): void {
  test(title('an endpoint is registered with its audit, and re-registering keeps its queue and health'), async (t) => {
    const store = await open(t);
    const draft = (decision: string) => ({
      kind: 'endpoint.put' as const,
      actor: 'api' as const,
      source: { type: 'api' as const, id: 'PUT /api/endpoints/runner' },
      subject: {},
      decision,
      reason: null,
      before: null,
      after: { url: endpoint.url },
      traceId: null,
      deliveryId: null,
      occurredAt: T0,
    });
    t.is(await store.putEndpoint(endpoint, 5, [draft('created')]), 'created');
    t.like(await store.getEndpoint('runner'), { ...endpoint, queuedThroughSeq: 5, consecutiveFailures: 0 });
    t.true(await store.queueSends('runner', 5, 6, [send(6)]));
    t.is(await store.putEndpoint({ ...endpoint, enabled: false }, 99, [draft('updated')]), 'updated');
    t.like(await store.getEndpoint('runner'), { enabled: false, queuedThroughSeq: 6 });
    t.deepEqual(
      (await store.listAudit({ limit: 10 })).map((r) => [r.kind, r.decision]),
      [
        ['endpoint.put', 'created'],
        ['endpoint.put', 'updated'],
      ],
    );
    t.true(await store.deleteEndpoint('runner', []));
    t.is(await store.getEndpoint('runner'), null);
    t.deepEqual(await store.listEndpoints(), []);
    t.false(await store.deleteEndpoint('runner', []));
  });

  test(title('sends are queued once, and the queue position moves only from where it was'), async (t) => {
    const store = await open(t);
    await store.putEndpoint(endpoint, 0, []);
    t.true(await store.queueSends('runner', 0, 2, [send(1), send(2)]));
    t.false(await store.queueSends('runner', 0, 2, [send(1), send(2)]), 'another process moved it first');
    t.true(await store.queueSends('runner', 2, 3, [send(2), send(3)]), 'a send offered again is kept once');
    t.deepEqual(
      (await store.listSends({ endpointId: 'runner', limit: 10 })).map((s) => [s.id, s.state, s.attempts]),
      [
        ['d3:t1', 'pending', 0],
        ['d2:t1', 'pending', 0],
        ['d1:t1', 'pending', 0],
      ],
    );
    t.deepEqual(
      (await store.listSends({ endpointId: 'runner', limit: 1, beforeSeq: 3 })).map((s) => s.id),
      ['d2:t1'],
    );
    t.deepEqual(await store.sendBacklog(), [{ endpointId: 'runner', pending: 3, oldestPendingAt: at(1) }]);
    t.is(await store.nextSendAt(), at(1));
  });

  test(title('a send is taken by one claim; a lost claim cannot finish it; an expired one is taken over'), async (t) => {
    const store = await open(t);
    await store.putEndpoint(endpoint, 0, []);
    await store.queueSends('runner', 0, 1, [send(1)]);
    t.is(await store.claimSend(claimAt('w1', 0)), null, 'not due before it was queued');
    const claimed = await store.claimSend(claimAt('w1', 1));
    t.like(claimed, { id: 'd1:t1', state: 'sending', attempts: 0, body: send(1).body });
    t.is(await store.claimSend(claimAt('w2', 2)), null, 'under a live claim');
    const taken = await store.claimSend(claimAt('w2', 40));
    t.is(taken?.id, 'd1:t1', 'the lease expired: another worker takes it');
    t.false(await store.finishSend('d1:t1', 'w1', at(41), delivered(41)), 'w1 lost its claim');
    t.true(await store.finishSend('d1:t1', 'w2', at(41), delivered(41)));
    const [done] = await store.listSends({ endpointId: 'runner', limit: 1 });
    t.like(done, { state: 'delivered', attempts: 1, finishedAt: at(41), nextAttemptAt: null });
    t.deepEqual(done?.attemptLog, [attempt(41, 204)]);
    t.like(await store.getEndpoint('runner'), { consecutiveFailures: 0, lastSuccessAt: at(41) });
    t.deepEqual(await store.sendBacklog(), []);
  });

  test(title('failures accrue on the endpoint; the threshold pauses it; a success resumes it'), async (t) => {
    const store = await open(t);
    await store.putEndpoint(endpoint, 0, []);
    await store.queueSends('runner', 0, 2, [send(1), send(2)]);
    for (const [index, seconds] of [10, 20, 30].entries()) {
      const claimed = await store.claimSend(claimAt('w1', seconds));
      t.truthy(claimed, `attempt ${index + 1}`);
      await store.finishSend(claimed?.id ?? '', 'w1', at(seconds), failed(seconds, at(seconds + 1)));
    }
    const paused = await store.getEndpoint('runner');
    t.like(paused, { consecutiveFailures: 3, pausedUntil: at(90) });
    t.regex(paused?.lastFailure ?? '', /HTTP 500/);
    t.is(await store.claimSend(claimAt('w1', 60)), null, 'paused: no send is taken');
    const probe = await store.claimSend(claimAt('w1', 91));
    t.truthy(probe, 'the pause is over');
    await store.finishSend(probe?.id ?? '', 'w1', at(91), delivered(91));
    t.like(await store.getEndpoint('runner'), { consecutiveFailures: 0, pausedUntil: null });
    const sends = await store.listSends({ endpointId: 'runner', limit: 10 });
    t.deepEqual(
      sends.map((s) => s.attempts).reduce((a, b) => a + b, 0),
      4,
      'every attempt counted on its send',
    );
  });

  test(title('a disabled endpoint sends nothing; given-up sends are requeued one by one or since a time'), async (t) => {
    const store = await open(t);
    await store.putEndpoint(endpoint, 0, []);
    await store.queueSends('runner', 0, 3, [send(1), send(2), send(3)]);
    for (const seconds of [10, 20, 30]) {
      const claimed = await store.claimSend(claimAt('w1', seconds));
      await store.finishSend(claimed?.id ?? '', 'w1', at(seconds), failed(seconds, null, 100));
    }
    t.deepEqual(
      (await store.listSends({ endpointId: 'runner', states: ['given_up'], limit: 10 })).map((s) => s.finishedAt),
      [at(30), at(20), at(10)],
      'each given up when its last attempt ended, kept with it',
    );
    t.is(await store.requeueSends('runner', { sendId: 'd1:t1' }, at(40)), 1);
    t.is(await store.requeueSends('runner', { sendId: 'd1:t1' }, at(40)), 0, 'pending already');
    t.is(await store.requeueSends('other', { sendId: 'd2:t1' }, at(40)), 0, 'another endpoint’s send');
    const given = await store.listSends({ endpointId: 'runner', states: ['given_up'], limit: 10 });
    t.is(given.length, 2);
    t.is(await store.requeueSends('runner', { givenUpSince: given[0]?.finishedAt ?? '' }, at(41)), 1, 'the later one');
    await store.putEndpoint({ ...endpoint, enabled: false }, 0, []);
    t.is(await store.claimSend(claimAt('w1', 50)), null, 'disabled');
    await store.putEndpoint(endpoint, 0, []);
    t.truthy(await store.claimSend(claimAt('w1', 50)));
  });
}
