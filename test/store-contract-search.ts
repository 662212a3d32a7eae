import type { AuditDraft } from '../src/domain/audit/index.js';
import type { IncomingDelivery, RoutedOutcome } from '../src/domain/delivery.js';
import type { Installation } from '../src/domain/entities.js';
import type { Store } from '../src/store/store.js';
import type { DeliveryQuery } from '../src/store/ports/deliveries.js';
import type { OpenStore } from './store-contract.js';
import type { DeclareTest } from './support/mongo-server.js';

// The contract for delivery search (GET /api/deliveries): every filter narrows, filters combine
// with AND, what routing considered (triggers, automations, reasons) is found from the finish
// that recorded it, and pages continue where the last one ended.

const T0 = '2026-01-01T00:00:00.000Z';
const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();

const incoming = (id: string, seconds: number, overrides: Partial<IncomingDelivery> = {}): IncomingDelivery => ({
  id,
  event: 'push',
  action: null,
  installationId: 42,
  repoId: 7,
  receivedAt: at(seconds),
  payload: '{}',
  headers: {},
  ...overrides,
});

interface Candidate {
  triggerId: string;
  automationId?: string;
  reason: string | null;
}

const decision = (deliveryId: string, candidate: Candidate): AuditDraft => ({
  kind: 'routing.decision',
  actor: 'worker',
  source: { type: 'delivery', id: deliveryId },
  subject: {
    userId: 'u1',
    repoId: 7,
    triggerId: candidate.triggerId,
    ...(candidate.automationId !== undefined ? { automationId: candidate.automationId } : {}),
  },
  decision: candidate.reason === null ? 'woken' : 'not_woken',
  reason: candidate.reason,
  before: null,
  after: null,
  traceId: null,
  deliveryId,
  occurredAt: T0,
});

/** Claims the one waiting delivery and finishes it with this routing. */
async function route(store: Store, id: string, outcome: RoutedOutcome, candidates: Candidate[]): Promise<void> {
  const claimed = await store.claimNextDelivery({ workerId: 'w', now: at(100), leaseUntil: at(200) });
  if (claimed?.id !== id) throw new Error(`expected to claim ${id}, claimed ${claimed?.id}`);
  await store.finishDelivery(id, 'w', {
    state: 'applied',
    reason: `routed ${id}`,
    processedAt: at(100),
    audit: candidates.map((candidate) => decision(id, candidate)),
    routingOutcome: outcome,
  });
}

export function deliverySearchContract(title: (behaviour: string) => string, open: OpenStore, test: DeclareTest): void {
  /** d1 woke t1; d2 refused t1 (installation_mismatch, a problem) and t2 (event_not_subscribed);
   * d3 had no candidates; d4 (repo 8, installation 43, pull_request.opened) is not routed yet. */
  const seeded = async (t: Parameters<OpenStore>[0]): Promise<Store> => {
    const store = await open(t);
    await store.recordDelivery(incoming('d1', 1), T0);
    await route(store, 'd1', 'woke', [{ triggerId: 't1', automationId: 'a1', reason: null }]);
    await store.recordDelivery(incoming('d2', 2), T0);
    await route(store, 'd2', 'woke_none', [
      { triggerId: 't1', automationId: 'a1', reason: 'installation_mismatch' },
      { triggerId: 't2', reason: 'event_not_subscribed' },
    ]);
    await store.recordDelivery(incoming('d3', 3), T0);
    await route(store, 'd3', 'no_candidates', []);
    await store.recordDelivery(
      incoming('d4', 4, { repoId: 8, installationId: 43, event: 'pull_request', action: 'opened' }),
      T0,
    );
    return store;
  };
  const ids = async (store: Store, query: Omit<DeliveryQuery, 'limit'>, limit = 10) =>
    (await store.listDeliveries({ limit, ...query })).map((d) => d.id);

  test(title('a routed delivery keeps the distinct reason codes of its routing'), async (t) => {
    const store = await seeded(t);
    t.deepEqual((await store.getDelivery('d1'))?.routingReasons, []);
    t.deepEqual((await store.getDelivery('d2'))?.routingReasons, ['installation_mismatch', 'event_not_subscribed']);
    t.deepEqual((await store.getDelivery('d3'))?.routingReasons, ['no_candidates']);
    t.is((await store.getDelivery('d4'))?.routingReasons, null, 'not routed');
  });

  test(title('deliveries are found by the triggers and automations their routing considered'), async (t) => {
    const store = await seeded(t);
    t.deepEqual(await ids(store, { triggerId: 't1' }), ['d2', 'd1'], 'woken or not');
    t.deepEqual(await ids(store, { triggerId: 't2' }), ['d2']);
    t.deepEqual(await ids(store, { automationId: 'a1' }), ['d2', 'd1']);
    t.deepEqual(await ids(store, { triggerId: 't3' }), []);
    t.deepEqual(await ids(store, { triggerId: 't1', automationId: 'a1', reason: 'installation_mismatch' }), ['d2']);
    t.deepEqual(await ids(store, { triggerId: 't2', automationId: 'a1' }), ['d2'], 'both were candidates of d2');
    t.deepEqual(await ids(store, { triggerId: 't1', state: 'received' }), []);
  });

  test(title('deliveries are found by reason code, and problems apart from expected non-matches'), async (t) => {
    const store = await seeded(t);
    t.deepEqual(await ids(store, { reason: 'event_not_subscribed' }), ['d2']);
    t.deepEqual(await ids(store, { reason: 'no_candidates' }), ['d3']);
    t.deepEqual(await ids(store, { problemsOnly: true }), ['d2']);
    t.deepEqual(await ids(store, { problemsOnly: true, routingOutcomes: ['woke_none', 'no_candidates'] }), ['d2']);
    t.deepEqual(await ids(store, { routingOutcomes: ['woke_none', 'no_candidates'] }), ['d3', 'd2']);
  });

  test(title('deliveries are found by id, repos, installations, event, action and time received'), async (t) => {
    const store = await seeded(t);
    t.deepEqual(await ids(store, { deliveryId: 'd3' }), ['d3']);
    t.deepEqual(await ids(store, { repoIds: [8] }), ['d4']);
    t.deepEqual(await ids(store, { repoIds: [7, 8] }), ['d4', 'd3', 'd2', 'd1']);
    t.deepEqual(await ids(store, { repoIds: [] }), [], 'a name known by no id finds nothing');
    t.deepEqual(await ids(store, { installationIds: [42] }), ['d3', 'd2', 'd1']);
    t.deepEqual(await ids(store, { installationIds: [43, 44] }), ['d4']);
    t.deepEqual(await ids(store, { event: 'pull_request' }), ['d4']);
    t.deepEqual(await ids(store, { event: 'pull_request', action: 'closed' }), []);
    t.deepEqual(await ids(store, { action: 'opened' }), ['d4']);
    t.deepEqual(await ids(store, { receivedSince: at(2) }), ['d4', 'd3', 'd2'], 'since is inclusive');
    t.deepEqual(await ids(store, { receivedUntil: at(2) }), ['d1'], 'until is exclusive');
    t.deepEqual(await ids(store, { receivedSince: at(2), receivedUntil: at(4), repoIds: [7] }), ['d3', 'd2']);
  });

  test(title('a filtered search pages by sequence, the next page after the last one shown'), async (t) => {
    const store = await seeded(t);
    const [first] = await store.listDeliveries({ limit: 1, triggerId: 't1' });
    t.is(first?.id, 'd2');
    t.deepEqual(await ids(store, { triggerId: 't1', beforeSeq: first?.seq ?? 0 }, 1), ['d1']);
    const [newest] = await store.listDeliveries({ limit: 1, repoIds: [7] });
    t.deepEqual(await ids(store, { repoIds: [7], beforeSeq: newest?.seq ?? 0 }, 5), ['d2', 'd1']);
  });

  test(title('installations are found by the login of their account, without case'), async (t) => {
    const store = await open(t);
    const installation = (id: number, accountLogin: string | null): Installation => ({
      id,
      accountId: id,
      accountLogin,
      accountType: 'Organization',
      targetType: 'Organization',
      permissions: null,
      repositorySelection: 'all',
      events: [],
      suspendedAt: null,
      suspendedBy: null,
      deletedAt: null,
      updatedAt: T0,
    });
    await store.upsertInstallation(installation(2, 'Acme-Org'));
    await store.upsertInstallation(installation(1, 'acme-org'));
    await store.upsertInstallation(installation(3, 'other'));
    await store.upsertInstallation(installation(4, null));
    t.deepEqual(
      (await store.listInstallationsByAccountLogin('ACME-org')).map((i) => i.id),
      [1, 2],
    );
    t.deepEqual(await store.listInstallationsByAccountLogin('nobody'), []);
  });
}
