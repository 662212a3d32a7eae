import anyTest, { type ExecutionContext } from 'ava';
import { hashAuditRecord, type AuditDraft, type SignedCheckpoint } from '../src/domain/audit/index.js';
import type { IncomingDelivery } from '../src/domain/delivery.js';
import type { Installation, RepoRow, Trigger } from '../src/domain/entities.js';
import type { Store } from '../src/store/store.js';
import { wakeFixture } from './support/fixtures.js';
import { testOn, type StoreKind } from './support/mongo-server.js';
import { auditedWritesContract } from './store-contract-audited-writes.js';
import { deliverySearchContract } from './store-contract-search.js';
import { wakePushContract } from './store-contract-wake-push.js';

// The store contract: written once against the port, run against every adapter unchanged.
// Each adapter's test file calls storeContract with a function that opens a fresh, empty store.

export type OpenStore = (t: ExecutionContext) => Promise<Store>;

const T0 = '2026-01-01T00:00:00.000Z';
const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();

function incoming(id: string, overrides: Partial<IncomingDelivery> = {}): IncomingDelivery {
  return {
    id,
    event: 'push',
    action: null,
    installationId: 42,
    repoId: 7,
    receivedAt: T0,
    payload: `{"ref":"refs/heads/main","id":"${id}"}`,
    headers: { 'x-github-hook-id': '1' },
    ...overrides,
  };
}

function auditDraft(overrides: Partial<AuditDraft> = {}): AuditDraft {
  return {
    kind: 'sync.decision',
    actor: 'sync',
    source: { type: 'sync', id: 'sync-1' },
    subject: { userId: 'u1', repoId: 7 },
    decision: 'covered',
    reason: null,
    before: { installationId: null },
    after: { installationId: 42 },
    traceId: 'trace-1',
    deliveryId: null,
    occurredAt: T0,
    ...overrides,
  };
}

function installation(id: number, overrides: Partial<Installation> = {}): Installation {
  return {
    id,
    accountId: 1,
    accountLogin: 'octo-org',
    accountType: 'Organization',
    targetType: 'Organization',
    permissions: { contents: 'read', metadata: 'read' },
    repositorySelection: 'selected',
    events: ['push'],
    suspendedAt: null,
    suspendedBy: null,
    deletedAt: null,
    updatedAt: T0,
    ...overrides,
  };
}

function repoRow(
  userId: string,
  repoId: number,
  rootDirectory: string | null,
  overrides: Partial<RepoRow> = {},
): RepoRow {
  return {
    userId,
    repoId,
    rootDirectory,
    fullName: `octo-org/repo-${repoId}`,
    owner: 'octo-org',
    name: `repo-${repoId}`,
    defaultBranch: 'main',
    visibility: 'private',
    archived: false,
    installationId: 42,
    discoveredBy: 'installation',
    lastSeenAt: T0,
    ...overrides,
  };
}

export function trigger(id: string, overrides: Partial<Trigger> = {}): Trigger {
  return {
    id,
    userId: 'u1',
    automationId: 'a1',
    installationId: 42,
    repoId: 7,
    repoFullName: 'octo-org/repo-7',
    rootDirectory: null,
    events: ['push', 'pull_request.opened'],
    enabled: true,
    updatedAt: T0,
    ...overrides,
  };
}

export function storeContract(label: StoreKind, open: OpenStore): void {
  const test = testOn(label, anyTest);
  const title = (behaviour: string): string => `${label}: ${behaviour}`;
  const claimAt = (workerId: string, seconds: number, leaseSeconds = 60) => ({
    workerId,
    now: at(seconds),
    leaseUntil: at(seconds + leaseSeconds),
  });
  const finished = (audit: AuditDraft[] = []) => ({
    state: 'applied' as const,
    reason: null,
    processedAt: at(1),
    audit,
  });

  test(title('a new delivery is stored as received with its exact payload'), async (t) => {
    const store = await open(t);
    const result = await store.recordDelivery(incoming('d1', { action: 'opened' }), T0);
    t.is(result.status, 'accepted');
    t.like(result.delivery, { id: 'd1', event: 'push', action: 'opened', state: 'received', attempts: 0, error: null });
    t.deepEqual(await store.getDelivery('d1'), result.delivery);
    t.is(await store.getDeliveryPayload('d1'), '{"ref":"refs/heads/main","id":"d1"}');
    t.deepEqual(result.delivery.headers, { 'x-github-hook-id': '1' });
    t.is(await store.getDelivery('missing'), null);
    t.is(await store.getDeliveryPayload('missing'), null);
  });

  test(title('a received delivery is stored with the facts its payload gives, as sent'), async (t) => {
    const store = await open(t);
    const payload = '{"action":"renamed","installation":{"id":5},"repository":{"id":9,"name":"x"}}';
    const { action: _a, installationId: _i, repoId: _r, ...fields } = incoming('r1', { payload });
    const received = { ...fields, payload: Buffer.from(payload) };
    const result = await store.receiveDelivery(received, T0);
    t.is(result.status, 'accepted');
    t.like(await store.getDelivery('r1'), { action: 'renamed', installationId: 5, repoId: 9, state: 'received' });
    t.is(await store.getDeliveryPayload('r1'), payload);
    t.is((await store.receiveDelivery(received, at(1))).status, 'pending', 'the same id again is not stored twice');
  });

  test(title('a received delivery whose payload is not a JSON object is refused and stores nothing'), async (t) => {
    const store = await open(t);
    const { action: _a, installationId: _i, repoId: _r, ...received } = incoming('bad');
    for (const payload of ['{"truncated": ', '[1,2]', 'null']) {
      const result = await store.receiveDelivery({ ...received, payload: Buffer.from(payload) }, T0);
      t.is(result.status, 'malformed');
      t.regex(result.status === 'malformed' ? result.problem : '', /JSON/);
    }
    t.is(await store.getDelivery('bad'), null);
    t.deepEqual(await store.getDeliveriesByIds(['bad']), []);
    // A bad one in the same commit group as good ones costs them nothing.
    const { action: _b, installationId: _j, repoId: _s, ...good } = incoming('good');
    const results = await Promise.all([
      store.receiveDelivery({ ...received, payload: Buffer.from('{') }, T0),
      store.receiveDelivery({ ...good, payload: Buffer.from(good.payload) }, T0),
    ]);
    t.deepEqual(
      results.map((r) => r.status),
      ['malformed', 'accepted'],
    );
    t.like(await store.getDelivery('good'), { state: 'received' });
  });

  test(title('deliveries are read by a batch of ids, leaving out ids never stored'), async (t) => {
    const store = await open(t);
    for (const id of ['a', 'b', 'c']) await store.recordDelivery(incoming(id), T0);
    await store.claimNextDelivery(claimAt('w1', 0));
    await store.failDelivery('a', 'w1', { error: 'boom', processedAt: at(1), nextAttemptAt: null, audit: [] });
    const found = await store.getDeliveriesByIds(['c', 'missing', 'a']);
    t.deepEqual(found.map((d) => d.id).sort(), ['a', 'c']);
    t.deepEqual(
      found.find((d) => d.id === 'a'),
      await store.getDelivery('a'),
    );
    t.like(
      found.find((d) => d.id === 'a'),
      { state: 'failed', nextAttemptAt: null, attempts: 1 },
    );
    t.deepEqual(await store.getDeliveriesByIds([]), []);
    const many = Array.from({ length: 1200 }, (_, i) => `absent-${i}`);
    t.deepEqual(
      (await store.getDeliveriesByIds([...many, 'b'])).map((d) => d.id),
      ['b'],
    );
  });

  test(title('a delivery id seen again is pending until finished, then a duplicate'), async (t) => {
    const store = await open(t);
    await store.recordDelivery(incoming('d1'), T0);
    t.is((await store.recordDelivery(incoming('d1'), at(1))).status, 'pending');
    const claimed = await store.claimNextDelivery(claimAt('w1', 1));
    t.is((await store.recordDelivery(incoming('d1'), at(1))).status, 'pending');
    t.true(await store.finishDelivery('d1', 'w1', finished()));
    const again = await store.recordDelivery(incoming('d1'), at(2));
    t.is(again.status, 'duplicate');
    t.is(again.delivery.state, 'applied');
    t.is(claimed?.attempts, 1);
    t.is((await store.getDelivery('d1'))?.attempts, 1, 'a duplicate is not queued again');
  });

  test(title('a failed delivery waiting for a retry becomes due at once when redelivered'), async (t) => {
    const store = await open(t);
    await store.recordDelivery(incoming('d1'), T0);
    await store.claimNextDelivery(claimAt('w1', 0));
    await store.failDelivery('d1', 'w1', { error: 'boom', processedAt: at(1), nextAttemptAt: at(600), audit: [] });
    t.is(await store.claimNextDelivery(claimAt('w1', 2)), null);
    const redelivered = await store.recordDelivery(incoming('d1'), at(3));
    t.is(redelivered.status, 'pending');
    t.is(redelivered.delivery.nextAttemptAt, at(3));
    t.is((await store.claimNextDelivery(claimAt('w1', 3)))?.id, 'd1');
  });

  test(title('a given-up delivery is requeued by a redelivery and keeps its attempt count'), async (t) => {
    const store = await open(t);
    await store.recordDelivery(incoming('d1'), T0);
    await store.claimNextDelivery(claimAt('w1', 0));
    await store.failDelivery('d1', 'w1', { error: 'boom', processedAt: at(1), nextAttemptAt: null, audit: [] });
    t.is(await store.claimNextDelivery(claimAt('w1', 2)), null, 'given up: not claimed again on its own');
    const redelivered = await store.recordDelivery(incoming('d1'), at(3));
    t.is(redelivered.status, 'requeued');
    t.like(redelivered.delivery, { state: 'received', attempts: 1, error: 'boom' });
    t.like(await store.claimNextDelivery(claimAt('w1', 4)), { id: 'd1', attempts: 2, state: 'processing' });
  });

  test(title('claims take deliveries in arrival order and count attempts'), async (t) => {
    const store = await open(t);
    for (const [i, id] of ['first', 'second', 'third'].entries())
      await store.recordDelivery(incoming(id, { installationId: 42 + i }), T0);
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const delivery = await store.claimNextDelivery(claimAt('w1', i));
      t.like(delivery, { state: 'processing', attempts: 1 });
      order.push(delivery?.id ?? '');
    }
    t.deepEqual(order, ['first', 'second', 'third']);
    t.is(await store.claimNextDelivery(claimAt('w1', 4)), null);
  });

  test(
    title("an installation's deliveries are claimed one at a time, in order, even when its claim outlives a worker"),
    async (t) => {
      const store = await open(t);
      await store.recordDelivery(incoming('i42-first', { installationId: 42 }), T0);
      await store.recordDelivery(incoming('i42-second', { installationId: 42 }), T0);
      await store.recordDelivery(incoming('no-installation', { installationId: null }), T0);
      await store.recordDelivery(incoming('i43', { installationId: 43 }), T0);
      t.is((await store.claimNextDelivery(claimAt('w1', 0, 30)))?.id, 'i42-first');
      // w1 dies holding i42-first: the others may go on, but not i42-second.
      t.is((await store.claimNextDelivery(claimAt('w2', 1)))?.id, 'no-installation');
      t.is((await store.claimNextDelivery(claimAt('w3', 2)))?.id, 'i43');
      t.is(await store.claimNextDelivery(claimAt('w4', 3)), null, 'i42-second waits for i42-first');
      // Once the dead worker's lease ends, the earlier delivery is taken again before the later one.
      t.like(await store.claimNextDelivery(claimAt('w4', 31)), { id: 'i42-first', attempts: 2 });
      t.is(await store.claimNextDelivery(claimAt('w5', 32)), null);
      t.true(await store.finishDelivery('i42-first', 'w4', finished()));
      t.is((await store.claimNextDelivery(claimAt('w5', 33)))?.id, 'i42-second');
    },
  );

  test(title('a claim holds until its lease expires, then another worker takes it over'), async (t) => {
    const store = await open(t);
    await store.recordDelivery(incoming('d1'), T0);
    await store.claimNextDelivery(claimAt('w1', 0, 30));
    t.is(await store.claimNextDelivery(claimAt('w2', 10)), null);
    const takenOver = await store.claimNextDelivery(claimAt('w2', 31));
    t.like(takenOver, { id: 'd1', attempts: 2 });
    t.false(await store.finishDelivery('d1', 'w1', finished()), 'the first worker lost its claim');
    t.true(await store.finishDelivery('d1', 'w2', finished()));
    t.is((await store.getDelivery('d1'))?.state, 'applied');
  });

  test(title('an earlier failed delivery whose retry is due is taken before later arrivals'), async (t) => {
    const store = await open(t);
    await store.recordDelivery(incoming('early'), T0);
    await store.claimNextDelivery(claimAt('w1', 0));
    await store.failDelivery('early', 'w1', { error: 'boom', processedAt: at(1), nextAttemptAt: at(5), audit: [] });
    await store.recordDelivery(incoming('late'), at(2));
    t.is(await store.nextRetryAt(), at(5));
    t.is((await store.claimNextDelivery(claimAt('w1', 3)))?.id, 'late', 'the retry is not due yet');
    await store.finishDelivery('late', 'w1', finished());
    t.like(await store.claimNextDelivery(claimAt('w1', 6)), { id: 'early', attempts: 2 });
    t.is(await store.nextRetryAt(), null);
  });

  test(title('finishing a delivery records its outcome and its audit records together'), async (t) => {
    const store = await open(t);
    await store.recordDelivery(incoming('d1'), T0);
    await store.claimNextDelivery(claimAt('w1', 0));
    const done = await store.finishDelivery('d1', 'w1', {
      state: 'ignored',
      reason: 'no handler for event "push"',
      processedAt: at(1),
      audit: [auditDraft({ deliveryId: 'd1', kind: 'delivery.outcome', decision: 'ignored' })],
    });
    t.true(done);
    t.like(await store.getDelivery('d1'), {
      state: 'ignored',
      reason: 'no handler for event "push"',
      processedAt: at(1),
    });
    const audit = await store.listAudit({ limit: 10, deliveryId: 'd1' });
    t.deepEqual(
      audit.map((r) => [r.kind, r.decision]),
      [['delivery.outcome', 'ignored']],
    );
  });

  test(title('a finish without the claim changes nothing and writes no audit'), async (t) => {
    const store = await open(t);
    await store.recordDelivery(incoming('d1'), T0);
    t.false(await store.finishDelivery('d1', 'w1', finished([auditDraft({ deliveryId: 'd1' })])));
    t.false(
      await store.failDelivery('d1', 'w1', {
        error: 'x',
        processedAt: at(1),
        nextAttemptAt: null,
        audit: [auditDraft()],
      }),
    );
    t.is((await store.getDelivery('d1'))?.state, 'received');
    t.deepEqual(await store.listAudit({ limit: 10 }), []);
  });

  test(title('deliveries list newest first, page by sequence and filter by state'), async (t) => {
    const store = await open(t);
    for (const id of ['a', 'b', 'c', 'd']) await store.recordDelivery(incoming(id), T0);
    await store.claimNextDelivery(claimAt('w1', 0));
    await store.finishDelivery('a', 'w1', finished());
    const page1 = await store.listDeliveries({ limit: 2 });
    t.deepEqual(
      page1.map((d) => d.id),
      ['d', 'c'],
    );
    const page2 = await store.listDeliveries({ limit: 2, beforeSeq: page1.at(-1)?.seq ?? 0 });
    t.deepEqual(
      page2.map((d) => d.id),
      ['b', 'a'],
    );
    t.deepEqual(
      (await store.listDeliveries({ limit: 10, state: 'applied' })).map((d) => d.id),
      ['a'],
    );
  });

  test(title('deliveries filter by repo, and a replay keeps the delivery it replays'), async (t) => {
    const store = await open(t);
    await store.recordDelivery(incoming('a', { repoId: 7 }), T0);
    await store.recordDelivery(incoming('b', { repoId: 8 }), T0);
    const replay = await store.recordDelivery(incoming('c', { repoId: 7, replayOf: 'a' }), T0);
    t.is(replay.delivery.replayOf, 'a');
    t.is((await store.getDelivery('c'))?.replayOf, 'a');
    t.is((await store.getDelivery('a'))?.replayOf, null);
    t.deepEqual(
      (await store.listDeliveries({ limit: 10, repoIds: [7] })).map((d) => d.id),
      ['c', 'a'],
    );
  });

  test(title('wakes are written with the outcome, once each, and read in outbox order'), async (t) => {
    const store = await open(t);
    const wake = (deliveryId: string, triggerId: string) => wakeFixture(deliveryId, triggerId, at(1));
    for (const id of ['d1', 'd2']) await store.recordDelivery(incoming(id), T0);
    await store.claimNextDelivery(claimAt('w1', 0));
    t.false(await store.finishDelivery('d1', 'w2', { ...finished(), wakes: [wake('d1', 't1')] }), 'claim lost');
    t.deepEqual(await store.listWakes({ limit: 10 }), [], 'no wake without the outcome');
    t.true(await store.finishDelivery('d1', 'w1', { ...finished(), wakes: [wake('d1', 't1'), wake('d1', 't2')] }));
    await store.claimNextDelivery(claimAt('w1', 2));
    t.true(await store.finishDelivery('d2', 'w1', { ...finished(), wakes: [wake('d1', 't1'), wake('d2', 't1')] }));
    const all = await store.listWakes({ limit: 10 });
    t.deepEqual(
      all.map((w) => w.id),
      ['d1:t1', 'd1:t2', 'd2:t1'],
    );
    t.deepEqual(all[0], { ...wake('d1', 't1'), seq: all[0]?.seq ?? 0 });
    t.deepEqual(
      (await store.listWakes({ limit: 1, afterSeq: all[0]?.seq ?? 0 })).map((w) => w.id),
      ['d1:t2'],
    );
  });

  test(title('wake retention prunes the oldest wakes, never the newest, and the head never moves back'), async (t) => {
    const store = await open(t);
    t.deepEqual(await store.wakeBounds(), { oldestSeq: null, headSeq: 0 }, 'an empty outbox');
    for (const [index, id] of ['d1', 'd2', 'd3'].entries()) {
      await store.recordDelivery(incoming(id), T0);
      await store.claimNextDelivery(claimAt('w1', index));
      await store.finishDelivery(id, 'w1', { ...finished(), wakes: [wakeFixture(id, 't1', at(index))] });
    }
    const seqs = (await store.listWakes({ limit: 10 })).map((w) => w.seq);
    t.deepEqual(await store.wakeBounds(), { oldestSeq: seqs[0] ?? -1, headSeq: seqs[2] ?? -1 });
    t.is(await store.pruneWakes(at(1)), 1, 'the wake created before the limit');
    t.deepEqual(await store.wakeBounds(), { oldestSeq: seqs[1] ?? -1, headSeq: seqs[2] ?? -1 });
    t.is(await store.pruneWakes(at(60)), 1, 'all are old: every one but the newest');
    t.deepEqual(await store.wakeBounds(), { oldestSeq: seqs[2] ?? -1, headSeq: seqs[2] ?? -1 });
    t.is(await store.pruneWakes(at(60)), 0);
    await store.recordDelivery(incoming('d4'), T0);
    await store.claimNextDelivery(claimAt('w1', 3));
    await store.finishDelivery('d4', 'w1', { ...finished(), wakes: [wakeFixture('d4', 't1', at(3))] });
    t.true(
      ((await store.wakeBounds()).headSeq ?? 0) > (seqs[2] ?? 0),
      'the next wake is numbered after the pruned ones',
    );
  });

  test(title('the backlog counts what is waiting or retrying, not what was given up'), async (t) => {
    const store = await open(t);
    t.deepEqual(await store.inboxBacklog(), { pending: 0, oldestReceivedAt: null });
    await store.recordDelivery(incoming('gave-up', { receivedAt: at(0) }), at(0));
    await store.recordDelivery(incoming('retrying', { receivedAt: at(1) }), at(1));
    await store.recordDelivery(incoming('waiting', { receivedAt: at(2) }), at(2));
    await store.claimNextDelivery(claimAt('w1', 3));
    await store.failDelivery('gave-up', 'w1', { error: 'x', processedAt: at(3), nextAttemptAt: null, audit: [] });
    await store.claimNextDelivery(claimAt('w1', 3));
    await store.failDelivery('retrying', 'w1', { error: 'x', processedAt: at(3), nextAttemptAt: at(100), audit: [] });
    t.deepEqual(await store.inboxBacklog(), { pending: 2, oldestReceivedAt: at(1) });
  });

  test(title('installations round-trip, including an enterprise account and missing metadata'), async (t) => {
    const store = await open(t);
    const enterprise = installation(1, { accountLogin: 'acme-slug', accountType: 'Enterprise', permissions: null });
    const sparse = installation(2, {
      accountId: null,
      accountLogin: null,
      accountType: null,
      targetType: null,
      permissions: null,
      repositorySelection: null,
      events: [],
    });
    await store.upsertInstallation(enterprise);
    await store.upsertInstallation(sparse);
    t.deepEqual(await store.getInstallation(1), enterprise);
    t.deepEqual(await store.getInstallation(2), sparse);
    const suspended = { ...enterprise, suspendedAt: at(5), suspendedBy: 'octocat', updatedAt: at(5) };
    await store.upsertInstallation(suspended);
    t.deepEqual(await store.getInstallation(1), suspended);
    t.deepEqual(
      (await store.listInstallations([2, 1, 99])).map((i) => i.id),
      [1, 2],
    );
    t.deepEqual(await store.listInstallations([]), []);
    t.is(await store.getInstallation(99), null);
  });

  test(title('installations list a page at a time in id order, whatever their state'), async (t) => {
    const store = await open(t);
    for (const id of [30, 10, 20, 40])
      await store.upsertInstallation(installation(id, id === 20 ? { deletedAt: at(1) } : {}));
    const first = await store.listInstallationPage({ limit: 3 });
    t.deepEqual(
      first.map((i) => i.id),
      [10, 20, 30],
    );
    t.is(first[1]?.deletedAt, at(1));
    t.deepEqual(
      (await store.listInstallationPage({ afterId: 30, limit: 3 })).map((i) => i.id),
      [40],
    );
    t.deepEqual(await store.listInstallationPage({ afterId: 40, limit: 3 }), []);
  });

  test(
    title('signed checkpoints are kept whole, once per number and seq, and found by number, by seq and last'),
    async (t) => {
      const store = await open(t);
      const checkpoint = (number: number, seq: number, count: number): SignedCheckpoint => ({
        number,
        seq,
        hash: `h${seq}`,
        hashes: Array.from({ length: count }, (_, i) => `h${seq - count + i + 1}`),
        prevCheckpointHash: number === 1 ? null : `c${number - 1}`,
        signedAt: at(number),
        keyId: '0123456789abcdef',
        signature: `sig${number}`,
      });
      t.is(await store.lastSignedCheckpoint(), null);
      t.true(await store.appendSignedCheckpoint(checkpoint(1, 3, 3)));
      t.true(await store.appendSignedCheckpoint(checkpoint(2, 5, 2)));
      t.false(await store.appendSignedCheckpoint(checkpoint(2, 6, 3)), 'a number is taken once');
      t.false(await store.appendSignedCheckpoint(checkpoint(3, 5, 0)), 'a seq is taken once');
      t.deepEqual(await store.lastSignedCheckpoint(), checkpoint(2, 5, 2));
      t.deepEqual(await store.signedCheckpointNumbered(1), checkpoint(1, 3, 3));
      t.deepEqual((await store.signedCheckpointCovering(1))?.number, 1);
      t.deepEqual((await store.signedCheckpointCovering(3))?.number, 1);
      t.deepEqual((await store.signedCheckpointCovering(4))?.number, 2);
      t.is(await store.signedCheckpointCovering(6), null);
      t.is(await store.signedCheckpointNumbered(3), null);
    },
  );

  test(title('a lease is held by one holder until it expires or is released'), async (t) => {
    const store = await open(t);
    const minute = 60_000;
    t.is(await store.getLease('job'), null);
    t.true(await store.acquireLease('job', 'a', minute), 'a free lease is taken');
    t.false(await store.acquireLease('job', 'b', minute), 'a current lease is not taken by another');
    const taken = await store.getLease('job');
    t.true(await store.acquireLease('job', 'a', 2 * minute), 'its holder renews it');
    const renewed = await store.getLease('job');
    t.is(renewed?.holder, 'a');
    t.true(Date.parse(renewed?.until ?? '') > Date.parse(taken?.until ?? ''), 'a renewal moves the end');
    t.true(await store.acquireLease('other', 'b', minute), 'names are independent');
    // Leases last from the database's now: one of length 0 has run out as soon as it is written.
    t.true(await store.acquireLease('short', 'a', 0));
    t.true(await store.acquireLease('short', 'b', minute), 'an expired lease is taken over');
    t.false(await store.acquireLease('short', 'a', minute), 'the old holder has lost it');
    t.false(await store.releaseLease('job', 'b'), 'only the holder releases');
    t.true(await store.releaseLease('job', 'a'));
    t.is(await store.getLease('job'), null);
    t.true(await store.acquireLease('job', 'b', minute), 'a released lease is free at once');
  });

  test(title('of several holders racing for a free lease, exactly one gets it'), async (t) => {
    const store = await open(t);
    const holders = ['a', 'b', 'c', 'd', 'e', 'f'];
    const won = await Promise.all(holders.map((holder) => store.acquireLease('race', holder, 10_000)));
    t.is(won.filter(Boolean).length, 1);
    t.is((await store.getLease('race'))?.holder, holders[won.indexOf(true)]);
  });

  test(title('users link to installations, both ways, without duplicates'), async (t) => {
    const store = await open(t);
    const user = { id: 'u1', githubUserId: 1, githubLogin: 'octocat', createdAt: T0, updatedAt: T0 };
    await store.upsertUser(user, []);
    t.deepEqual(await store.getUser('u1'), user);
    await store.upsertUser({ ...user, githubLogin: 'octocat-renamed', updatedAt: at(1) }, []);
    t.is((await store.getUser('u1'))?.githubLogin, 'octocat-renamed');
    t.true(await store.linkInstallation('u1', 22, T0, []));
    t.true(await store.linkInstallation('u1', 11, T0, []));
    t.false(await store.linkInstallation('u1', 11, at(1), []));
    t.true(await store.linkInstallation('u2', 11, T0, []));
    t.deepEqual(await store.listLinkedInstallationIds('u1'), [11, 22]);
    t.deepEqual(await store.listUsersLinkedTo(11), ['u1', 'u2']);
    t.true(await store.unlinkInstallation('u1', 11, []));
    t.false(await store.unlinkInstallation('u1', 11, []));
    t.deepEqual(await store.listLinkedInstallationIds('u1'), [22]);
    t.is(await store.getUser('nobody'), null);
  });

  test(title('a base row and sub-project rows of one repo are separate rows'), async (t) => {
    const store = await open(t);
    const base = repoRow('u1', 7, null);
    const sub = repoRow('u1', 7, 'packages/api', { installationId: null, discoveredBy: 'oauth' });
    await store.writeRepoRows([base], []);
    await store.writeRepoRows([sub], []);
    t.deepEqual(await store.getRepoRow({ userId: 'u1', repoId: 7, rootDirectory: null }), base);
    t.deepEqual(await store.getRepoRow({ userId: 'u1', repoId: 7, rootDirectory: 'packages/api' }), sub);
    const renamed = { ...base, fullName: 'octo-org/renamed', name: 'renamed', archived: true };
    await store.writeRepoRows([renamed], []);
    t.deepEqual(await store.getRepoRow({ userId: 'u1', repoId: 7, rootDirectory: null }), renamed);
    t.is((await store.listRepoRowsByRepoId(7)).length, 2);
  });

  test(title('repo rows page in a stable order with the base row before its sub-projects'), async (t) => {
    const store = await open(t);
    const rows = [
      repoRow('u1', 30, null),
      repoRow('u1', 10, 'b'),
      repoRow('u1', 10, null),
      repoRow('u1', 10, 'a'),
      repoRow('u1', 20, null),
      repoRow('u2', 15, null),
    ];
    for (const row of rows) await store.writeRepoRows([row], []);
    const seen: string[] = [];
    let after: { repoId: number; rootDirectory: string | null } | undefined;
    for (;;) {
      const page = await store.listRepoRows('u1', after ? { limit: 2, after } : { limit: 2 });
      seen.push(...page.map((r) => `${r.repoId}:${r.rootDirectory ?? ''}`));
      const last = page.at(-1);
      if (page.length < 2 || last === undefined) break;
      after = { repoId: last.repoId, rootDirectory: last.rootDirectory };
    }
    t.deepEqual(seen, ['10:', '10:a', '10:b', '20:', '30:']);
  });

  test(title('rows are found by the installation they carry, across users'), async (t) => {
    const store = await open(t);
    for (const row of [
      repoRow('u1', 7, null),
      repoRow('u1', 7, 'api'),
      repoRow('u2', 8, null),
      repoRow('u2', 9, null, { installationId: 43 }),
      repoRow('u3', 10, null, { installationId: null }),
    ]) {
      await store.writeRepoRows([row], []);
    }
    const keyOf = (r: RepoRow) => `${r.userId}:${r.repoId}:${r.rootDirectory ?? ''}`;
    t.deepEqual((await store.listRepoRowsByInstallation(42, { limit: 10 })).map(keyOf), ['u1:7:', 'u1:7:api', 'u2:8:']);
    // Paged by key, a sub-project row and a row of another user resume where the page ended.
    const firstPage = await store.listRepoRowsByInstallation(42, { limit: 2 });
    t.deepEqual(firstPage.map(keyOf), ['u1:7:', 'u1:7:api']);
    t.deepEqual(
      (
        await store.listRepoRowsByInstallation(42, {
          limit: 2,
          after: { userId: 'u1', repoId: 7, rootDirectory: 'api' },
        })
      ).map(keyOf),
      ['u2:8:'],
    );
    t.deepEqual(
      (
        await store.listRepoRowsByInstallation(42, {
          limit: 2,
          after: { userId: 'u1', repoId: 7, rootDirectory: null },
        })
      ).map(keyOf),
      ['u1:7:api', 'u2:8:'],
    );
    t.deepEqual(await store.listRepoRowsByInstallation(99, { limit: 10 }), []);
  });

  test(title("a user's rows are read per installation, by repo, and counted"), async (t) => {
    const store = await open(t);
    await store.writeRepoRows(
      [
        repoRow('u1', 30, null, { installationId: 43 }),
        repoRow('u1', 10, null),
        repoRow('u1', 10, 'a'),
        repoRow('u1', 20, null, { installationId: null }),
        repoRow('u1', 40, null),
        repoRow('u1', 50, null, { installationId: null }),
        repoRow('u2', 10, null, { installationId: 44 }),
      ],
      [],
    );
    const keys = (rows: RepoRow[]) => rows.map((r) => `${r.repoId}:${r.rootDirectory ?? ''}`);
    t.deepEqual(await store.listRepoRowInstallationIds('u1'), [42, 43]);
    t.deepEqual(await store.listRepoRowInstallationIds('nobody'), []);
    t.deepEqual(keys(await store.listRepoRows('u1', { limit: 10, installationId: 42 })), ['10:', '10:a', '40:']);
    t.deepEqual(
      keys(
        await store.listRepoRows('u1', { limit: 10, installationId: 42, after: { repoId: 10, rootDirectory: 'a' } }),
      ),
      ['40:'],
    );
    t.deepEqual(keys(await store.listRepoRows('u1', { limit: 1, installationId: null })), ['20:']);
    t.deepEqual(
      keys(
        await store.listRepoRows('u1', { limit: 5, installationId: null, after: { repoId: 20, rootDirectory: null } }),
      ),
      ['50:'],
    );
    t.is(await store.countRepoRows('u1', null), 2);
    t.is(await store.countRepoRows('u1', 42), 3);
    t.is(await store.countRepoRows('u1', 99), 0);
    t.deepEqual(keys(await store.listRepoRowsOfRepos('u1', [40, 10, 77])), ['10:', '10:a', '40:']);
    t.deepEqual(await store.listRepoRowsOfRepos('u1', []), []);
  });

  test(title('rows and the audit of their decisions are written together'), async (t) => {
    const store = await open(t);
    const row = repoRow('u1', 7, null);
    await store.writeRepoRows(
      [row, repoRow('u1', 8, null)],
      [
        auditDraft({ kind: 'sync.decision', decision: 'created' }),
        auditDraft({ kind: 'sync.decision', decision: 'created' }),
      ],
    );
    t.deepEqual(await store.getRepoRow({ userId: 'u1', repoId: 7, rootDirectory: null }), row);
    const audit = await store.listAudit({ limit: 10 });
    t.deepEqual(
      audit.map((r) => r.decision),
      ['created', 'created'],
    );
    // The same key again updates the row; rows alone need no audit.
    await store.writeRepoRows([{ ...row, fullName: 'octo-org/renamed' }], []);
    t.is((await store.getRepoRow({ userId: 'u1', repoId: 7, rootDirectory: null }))?.fullName, 'octo-org/renamed');
    t.is((await store.listAudit({ limit: 10 })).length, 2);
  });

  test(title('rows are found by full name without case, across users'), async (t) => {
    const store = await open(t);
    await store.writeRepoRows([repoRow('u1', 7, null, { fullName: 'Octo-Org/API' })], []);
    await store.writeRepoRows([repoRow('u2', 7, null, { fullName: 'Octo-Org/API' })], []);
    await store.writeRepoRows([repoRow('u1', 8, null, { fullName: 'octo-org/api-docs' })], []);
    t.deepEqual(
      (await store.listRepoRowsByFullName('octo-org/api')).map((r) => [r.userId, r.repoId]),
      [
        ['u1', 7],
        ['u2', 7],
      ],
    );
    t.deepEqual(await store.listRepoRowsByFullName('octo-org/%'), []);
  });

  test(title('deleting a repo removes its base and sub-project rows for every user'), async (t) => {
    const store = await open(t);
    for (const row of [
      repoRow('u1', 7, null),
      repoRow('u1', 7, 'api'),
      repoRow('u2', 7, null),
      repoRow('u1', 8, null),
    ]) {
      await store.writeRepoRows([row], []);
    }
    t.is(await store.deleteRepoRowsByRepoId(7), 3);
    t.deepEqual(await store.listRepoRowsByRepoId(7), []);
    t.is((await store.listRepoRows('u1', { limit: 10 })).length, 1);
    t.true(await store.deleteRepoRow({ userId: 'u1', repoId: 8, rootDirectory: null }));
    t.false(await store.deleteRepoRow({ userId: 'u1', repoId: 8, rootDirectory: null }));
  });

  test(title('automations and triggers are stored, listed and deleted'), async (t) => {
    const store = await open(t);
    const automation = { id: 'a1', userId: 'u1', installationId: 42, name: 'review', enabled: true, updatedAt: T0 };
    await store.putAutomation(automation, []);
    await store.putAutomation({ ...automation, id: 'a0', userId: 'u2' }, []);
    t.deepEqual(await store.getAutomation('a1'), automation);
    await store.putAutomation({ ...automation, installationId: 43, enabled: false }, []);
    t.like(await store.getAutomation('a1'), { installationId: 43, enabled: false });
    t.deepEqual(
      (await store.listAutomationsByUser('u1')).map((a) => a.id),
      ['a1'],
    );
    const t1 = trigger('t1');
    const t2 = trigger('t2', { repoId: 8, automationId: null, rootDirectory: 'packages/api', events: ['push'] });
    await store.putTrigger(t1, []);
    await store.putTrigger(t2, []);
    t.deepEqual(await store.getTrigger('t1'), t1);
    t.deepEqual(await store.getTrigger('t2'), t2);
    t.deepEqual(
      (await store.listTriggersByRepoId(7)).map((x) => x.id),
      ['t1'],
    );
    t.deepEqual(
      (await store.listTriggersByUser('u1')).map((x) => x.id),
      ['t1', 't2'],
    );
    t.true(await store.deleteTrigger('t1', []));
    t.false(await store.deleteTrigger('t1', []));
    t.true(await store.deleteAutomation('a1', []));
    t.is(await store.getAutomation('a1'), null);
    t.is(await store.getTrigger('t1'), null);
  });

  test(title('users, automations and triggers list in id order a page at a time, with filters that combine'), async (t) => {
    const store = await open(t);
    for (const id of ['u3', 'u1', 'u2'])
      await store.upsertUser({ id, githubUserId: 1, githubLogin: id, createdAt: T0, updatedAt: T0 }, []);
    t.deepEqual((await store.listUsers({ limit: 2 })).map((u) => u.id), ['u1', 'u2']);
    t.deepEqual((await store.listUsers({ limit: 2, afterId: 'u2' })).map((u) => u.id), ['u3']);
    const automation = { id: 'a1', userId: 'u1', installationId: 42, name: 'review', enabled: true, updatedAt: T0 };
    for (const [id, userId] of [['a2', 'u2'], ['a1', 'u1'], ['a3', 'u1']] as const)
      await store.putAutomation({ ...automation, id, userId }, []);
    t.deepEqual((await store.listAutomations({}, { limit: 10 })).map((a) => a.id), ['a1', 'a2', 'a3']);
    t.deepEqual((await store.listAutomations({ userId: 'u1' }, { limit: 1, afterId: 'a1' })).map((a) => a.id), ['a3']);
    await store.putTrigger(trigger('t3', { repoId: 8 }), []);
    await store.putTrigger(trigger('t1'), []);
    await store.putTrigger(trigger('t2', { userId: 'u2', automationId: 'a2' }), []);
    await store.putTrigger(trigger('t4', { automationId: null }), []);
    const ids = async (filter: Parameters<typeof store.listTriggers>[0], page = { limit: 10 }) =>
      (await store.listTriggers(filter, page)).map((x) => x.id);
    t.deepEqual(await ids({}), ['t1', 't2', 't3', 't4']);
    t.deepEqual(await ids({}, { limit: 2 }), ['t1', 't2']);
    t.deepEqual(await ids({}, { limit: 2, afterId: 't2' } as { limit: number }), ['t3', 't4']);
    t.deepEqual(await ids({ userId: 'u1' }), ['t1', 't3', 't4']);
    t.deepEqual(await ids({ automationId: 'a1' }), ['t1', 't3']);
    t.deepEqual(await ids({ repoIds: [7] }), ['t1', 't2', 't4']);
    t.deepEqual(await ids({ repoIds: [7, 8], userId: 'u1', automationId: 'a1' }), ['t1', 't3']);
    t.deepEqual(await ids({ repoIds: [] }), [], 'no repo ids match nothing');
    await store.deleteTrigger('t1', []);
    t.deepEqual(await ids({ automationId: 'a1' }), ['t3'], 'a deleted trigger is not listed');
  });

  test(title('audit records are appended in one hash chain'), async (t) => {
    const store = await open(t);
    const first = await store.appendAudit([auditDraft(), auditDraft({ decision: 'detached' })]);
    const second = await store.appendAudit([
      auditDraft({ decision: 'preserved', before: { nested: { b: 1, a: [1, 'x'] } } }),
    ]);
    const all = [...first, ...second];
    t.deepEqual(
      all.map((r) => r.seq),
      [1, 2, 3],
    );
    t.is(all[0]?.prevHash, null);
    for (let i = 1; i < all.length; i++) t.is(all[i]?.prevHash, all[i - 1]?.hash);
    for (const record of all) {
      const { hash, ...rest } = record;
      t.is(hashAuditRecord(rest), hash, `record ${record.seq} hashes to its stored hash`);
    }
    t.deepEqual(await store.listAudit({ limit: 10 }), all, 'stored records read back exactly');
  });

  test(title('audit search filters by delivery, trace, user, repo, kind, time and cursor'), async (t) => {
    const store = await open(t);
    await store.appendAudit([
      auditDraft({ deliveryId: 'd1', traceId: 'tr-a', kind: 'delivery.outcome', subject: {}, occurredAt: at(0) }),
      auditDraft({ subject: { userId: 'u1', repoId: 7, installationId: 5 }, traceId: 'tr-b', occurredAt: at(10) }),
      auditDraft({ subject: { userId: 'u2', repoId: 8 }, traceId: 'tr-b', kind: 'rebind.skipped', occurredAt: at(20) }),
    ]);
    const seqs = async (query: Parameters<Store['listAudit']>[0]) => (await store.listAudit(query)).map((r) => r.seq);
    t.deepEqual(await seqs({ limit: 10, deliveryId: 'd1' }), [1]);
    t.deepEqual(await seqs({ limit: 10, traceId: 'tr-b' }), [2, 3]);
    t.deepEqual(await seqs({ limit: 10, userId: 'u2' }), [3]);
    t.deepEqual(await seqs({ limit: 10, repo: { ids: [7] } }), [2]);
    t.deepEqual(await seqs({ limit: 10, installationId: 5 }), [2]);
    t.deepEqual(await seqs({ limit: 10, kind: 'rebind.skipped' }), [3]);
    t.deepEqual(await seqs({ limit: 10, since: at(10) }), [2, 3]);
    t.deepEqual(await seqs({ limit: 1, afterSeq: 1 }), [2]);
    t.deepEqual(await seqs({ limit: 2, order: 'newest' }), [3, 2]);
    t.deepEqual(await seqs({ limit: 2, order: 'newest', beforeSeq: 2 }), [1]);
  });

  test(title('audit search by repo matches its ids or the full name it was recorded under'), async (t) => {
    const store = await open(t);
    await store.appendAudit([
      auditDraft({ subject: { repoId: 7, repoFullName: 'Octo-Org/Old-Name' } }),
      auditDraft({ subject: { repoId: 7, repoFullName: 'octo-org/new-name' } }),
      auditDraft({ subject: { repoId: 9, repoFullName: 'octo-org/other' } }),
      auditDraft({ subject: { repoFullName: 'octo-org/old-name' } }),
    ]);
    const seqs = async (repo: { ids: number[]; fullName?: string }) =>
      (await store.listAudit({ limit: 10, repo })).map((r) => r.seq);
    t.deepEqual(await seqs({ ids: [7] }), [1, 2]);
    t.deepEqual(await seqs({ ids: [], fullName: 'octo-org/old-name' }), [1, 4]);
    t.deepEqual(await seqs({ ids: [9], fullName: 'octo-org/old-name' }), [1, 3, 4]);
    t.deepEqual(await seqs({ ids: [] }), []);
  });

  test(title('pruning removes a prefix of the chain and keeps a checkpoint the rest verifies against'), async (t) => {
    const store = await open(t);
    t.is(await store.auditCheckpoint(), null);
    await store.appendAudit([auditDraft(), auditDraft()]);
    const cutoff = new Date(Date.now() + 5).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const kept = await store.appendAudit([auditDraft(), auditDraft()]);
    const result = await store.pruneAudit(cutoff, at(9));
    t.is(result.pruned, 2);
    t.deepEqual(result.checkpoint, { seq: 2, hash: kept[0]?.prevHash ?? '', prunedAt: at(9), pruned: 2 });
    t.deepEqual(await store.auditCheckpoint(), result.checkpoint);
    t.deepEqual(
      (await store.listAudit({ limit: 10 })).map((r) => r.seq),
      [3, 4],
    );
    const [next] = await store.appendAudit([auditDraft()]);
    t.like(next, { seq: 5, prevHash: kept[1]?.hash });
    t.is((await store.pruneAudit(at(-100), at(10))).pruned, 0, 'nothing is older than that');
    const all = await store.pruneAudit(new Date(Date.now() + 60_000).toISOString(), at(11));
    t.is(all.pruned, 2, 'the newest record always stays');
    t.like(all.checkpoint, { seq: 4, pruned: 4 });
  });

  test(title('operator-shaped strings are stored and matched as plain values'), async (t) => {
    const store = await open(t);
    const hostileId = '{"$ne":null}';
    await store.upsertUser({ id: hostileId, githubUserId: 1, githubLogin: '$where', createdAt: T0, updatedAt: T0 }, []);
    await store.upsertUser({ id: 'u-real', githubUserId: 2, githubLogin: 'real', createdAt: T0, updatedAt: T0 }, []);
    t.is((await store.getUser(hostileId))?.githubLogin, '$where');
    t.is(await store.getUser('{"$gt":""}'), null);
    await store.putTrigger(trigger('t.$x', { events: ['$push', 'a.b'] }), []);
    t.deepEqual((await store.getTrigger('t.$x'))?.events, ['$push', 'a.b']);
  });

  test(title('ping answers and close releases the store'), async (t) => {
    const store = await open(t);
    await t.notThrowsAsync(store.ping());
    await store.close();
    await t.throwsAsync(store.ping());
  });

  test(
    title('the inbox probe answers on an empty and a filled inbox, and throws once the store is closed'),
    async (t) => {
      const store = await open(t);
      await t.notThrowsAsync(store.probeInbox());
      await store.recordDelivery(incoming('probe-1'), T0);
      await t.notThrowsAsync(store.probeInbox());
      t.is((await store.getDelivery('probe-1'))?.state, 'received', 'the probe wrote nothing');
      await store.close();
      await t.throwsAsync(store.probeInbox());
    },
  );

  auditedWritesContract(title, open, test);
  wakePushContract(title, open, test);
  deliverySearchContract(title, open, test);
}
