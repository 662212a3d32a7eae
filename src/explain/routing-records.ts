import type { AuditRecord } from '../domain/audit/index.js';
import type { RowHistory } from '../domain/explain-routing.js';
import type { AuditStore } from '../store/store.js';

// What was recorded about routing: the decisions of one delivery, and a user's newest rebind.
// Read models only: the story, diagnosis and routing itself read history through these.

// Bounds the decisions read back for one delivery: triggers per repo are few in practice.
const ROUTING_RECORDS_LIMIT = 1000;

/** A delivery's routing decisions and its newest routing outcome, as recorded when it was routed. */
export async function routingRecordsOf(store: AuditStore, deliveryId: string): Promise<AuditRecord[]> {
  return [
    ...(await store.listAudit({ limit: ROUTING_RECORDS_LIMIT, deliveryId, kind: 'routing.decision' })),
    ...(await store.listAudit({ limit: 1, order: 'newest', deliveryId, kind: 'routing.outcome' })),
  ];
}

/** The user's newest rebind record, skipped or applied. */
export async function newestRebind(store: AuditStore, userId: string): Promise<AuditRecord | undefined> {
  const newest = async (kind: string) => (await store.listAudit({ limit: 1, order: 'newest', userId, kind }))[0];
  const [skipped, applied] = [await newest('rebind.skipped'), await newest('rebind.applied')];
  return (skipped?.seq ?? 0) > (applied?.seq ?? 0) ? skipped : applied;
}

/** Every kind of record that decides a repo row (domain/audit/audit-kinds.ts, RowDecisionSource). */
const ROW_DECISION_KINDS = ['sync.decision', 'oauth_sync.decision', 'webhook.decision', 'api.decision'];

/** The newest decision recorded on any of the user's rows of the repo (base or sub-project). */
export async function newestRowDecision(
  store: AuditStore,
  userId: string,
  repoId: number,
): Promise<(AuditRecord & { history: RowHistory }) | undefined> {
  const newest: AuditRecord[] = [];
  for (const kind of ROW_DECISION_KINDS)
    newest.push(...(await store.listAudit({ limit: 1, order: 'newest', kind, userId, repo: { ids: [repoId] } })));
  const [record] = newest.sort((a, b) => b.seq - a.seq);
  if (record === undefined) return undefined;
  const before = record.before;
  const installationIdBefore =
    typeof before === 'object' && before !== null && !Array.isArray(before) && typeof before.installationId === 'number'
      ? before.installationId
      : null;
  return {
    ...record,
    history: { decision: record.decision, reason: record.reason, installationIdBefore, occurredAt: record.occurredAt },
  };
}
