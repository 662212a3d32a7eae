import type { AuditRecord } from '../domain/audit/index.js';
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
