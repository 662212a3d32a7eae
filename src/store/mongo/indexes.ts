import type { Db } from 'mongodb';

// Collections and indexes of the MongoDB store, created at start. createIndex is idempotent, so
// every replica runs this on start without coordination.

export async function ensureIndexes(db: Db): Promise<void> {
  const index = (collection: string, keys: Record<string, 1 | -1>, unique = false) =>
    db.collection(collection).createIndex(keys, unique ? { unique: true } : {});
  const partial = (collection: string, keys: Record<string, 1 | -1>, filter: Record<string, unknown>) =>
    db.collection(collection).createIndex(keys, { partialFilterExpression: filter });
  await Promise.all([
    // Deliveries: the unique id is _id; seq orders the inbox and pages the list.
    index('deliveries', { seq: 1 }, true),
    index('deliveries', { state: 1, seq: 1 }),
    index('deliveries', { state: 1, nextAttemptAt: 1 }),
    index('deliveries', { state: 1, leaseUntil: 1 }),
    index('deliveries', { repoId: 1, seq: -1 }),
    index('deliveries', { routingOutcome: 1, seq: -1 }),
    // Delivery search (GET /api/deliveries): each filter finds its deliveries newest first.
    index('deliveries', { installationId: 1, seq: -1 }),
    index('deliveries', { event: 1, action: 1, seq: -1 }),
    index('deliveries', { candidateTriggerIds: 1, seq: -1 }),
    index('deliveries', { candidateAutomationIds: 1, seq: -1 }),
    index('deliveries', { reasonCodes: 1, seq: -1 }),
    index('deliveries', { problem: 1, seq: -1 }),
    index('deliveries', { receivedAt: 1 }),
    // Every claim looks for copy-outs left by a replica that died: only those are indexed.
    partial('deliveries', { pendingUntil: 1 }, { pending: { $type: 'string' } }),
    // The same for the documents that carry audit drafts of other writes (copy-out.ts).
    ...['users', 'user_installations', 'automations', 'triggers', 'repo_rows', 'wake_endpoints'].map((collection) =>
      partial(collection, { pendingUntil: 1 }, { pendingUntil: { $type: 'string' } }),
    ),
    index('delivery_payloads', { deliveryId: 1, n: 1 }, true),
    index('user_installations', { userId: 1, installationId: 1 }),
    index('user_installations', { installationId: 1, userId: 1 }),
    // A repo row's key: (user, GitHub repo id, root directory; '' for a base row).
    index('repo_rows', { userId: 1, repoId: 1, rootDirectory: 1 }, true),
    index('repo_rows', { repoId: 1 }),
    // An installation's rows page by key (sync); a user's rows per installation in key order (Projects).
    index('repo_rows', { installationId: 1, userId: 1, repoId: 1, rootDirectory: 1 }),
    index('repo_rows', { userId: 1, installationId: 1, repoId: 1, rootDirectory: 1 }),
    index('repo_rows', { fullNameLower: 1 }),
    index('installations', { accountLoginLower: 1 }),
    index('automations', { userId: 1 }),
    index('triggers', { userId: 1 }),
    index('triggers', { repoId: 1 }),
    // The trigger list's filter by automation (GET /api/triggers?automationId=), in id order.
    index('triggers', { automationId: 1, _id: 1 }),
    // The audit chain: a unique seq keeps it linear with several writers.
    index('audit', { seq: 1 }, true),
    index('audit_signed_checkpoints', { seq: 1 }, true),
    index('audit', { deliveryId: 1, seq: 1 }),
    index('audit', { deliveryId: 1, kind: 1, seq: 1 }),
    index('audit', { userId: 1, seq: 1 }),
    index('audit', { traceId: 1, seq: 1 }),
    index('audit', { userId: 1, kind: 1, seq: 1 }),
    index('audit', { repoId: 1, seq: 1 }),
    index('audit', { repoFullNameLower: 1, seq: 1 }),
    index('audit', { installationId: 1, seq: 1 }),
    index('audit', { kind: 1, seq: 1 }),
    index('audit', { occurredAt: 1 }),
    index('audit', { recordedAt: 1 }),
    index('wakes', { seq: 1 }, true),
    // Pushed wakes: due sends in the order they are due, an endpoint's sends newest first.
    index('wake_sends', { state: 1, nextAttemptAt: 1 }),
    index('wake_sends', { state: 1, leaseUntil: 1 }),
    index('wake_sends', { endpointId: 1, seq: -1 }),
  ]);
}
