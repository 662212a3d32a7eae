import type { AuditDraft, AuditRecord, AuditValue } from '../domain/audit/index.js';
import { traceIdOf, type Delivery } from '../domain/delivery.js';
import type { RoutingOutcome } from '../domain/explain-routing.js';
import type { AuditStore } from '../store/store.js';
import { routingRecordsOf } from './routing-records.js';

// The story of one delivery (R10), told from what was recorded when it was processed: its
// routing decisions and outcome are audit records, so the story is history, not a re-run.

export interface StoryCandidate {
  triggerId: string;
  automationId: string | null;
  userId: string | null;
  outcome: 'woken' | 'not_woken';
  reason: string | null;
  detail: string | null;
  fix: string | null;
  boundInstallationId: number | null;
}

export interface DeliveryStory {
  traceId: string | null;
  summary: string;
  outcome: RoutingOutcome;
  candidates: StoryCandidate[];
}

const fieldOf = (value: AuditValue, key: string): AuditValue | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value[key] : undefined;
const stringOf = (value: AuditValue | undefined): string | null => (typeof value === 'string' ? value : null);
const numberOf = (value: AuditValue | undefined): number | null => (typeof value === 'number' ? value : null);

function candidateOf(record: AuditDraft): StoryCandidate {
  return {
    triggerId: record.subject.triggerId ?? '',
    automationId: record.subject.automationId ?? null,
    userId: record.subject.userId ?? null,
    outcome: record.decision === 'woken' ? 'woken' : 'not_woken',
    reason: record.reason,
    detail: stringOf(fieldOf(record.after, 'detail')),
    fix: stringOf(fieldOf(record.after, 'fix')),
    boundInstallationId: numberOf(fieldOf(record.before, 'boundInstallationId')),
  };
}

/** The triggers a routing considered, from its records: stored ones, or drafts of a dry run. */
export function candidatesOf(records: readonly AuditDraft[]): StoryCandidate[] {
  return records.filter((r) => r.kind === 'routing.decision').map(candidateOf);
}

function unroutedSummary(delivery: Delivery): string {
  switch (delivery.state) {
    case 'received':
      return `stored at ${delivery.receivedAt}, waiting to be processed`;
    case 'processing':
      return `being processed (attempt ${delivery.attempts})`;
    case 'failed':
      return delivery.nextAttemptAt !== null
        ? `attempt ${delivery.attempts} failed (${delivery.error ?? 'no error recorded'}); next attempt at ${delivery.nextAttemptAt}`
        : `failed after ${delivery.attempts} attempts (${delivery.error ?? 'no error recorded'}); redeliver it from GitHub or replay it`;
    case 'applied':
    case 'ignored':
      return `${delivery.state}: ${delivery.reason ?? 'no reason recorded'}; not routed (the event names no repository)`;
  }
}

const ROUTED_OUTCOMES: readonly string[] = ['woke', 'woke_none', 'no_candidates'];

const asReplay = (delivery: Delivery, told: string): string =>
  delivery.replayOf === null ? told : `replay of ${delivery.replayOf}: ${told}`;

/** The one-line summary of a list entry, from the delivery alone: its reason once routed. */
export function deliverySummary(delivery: Delivery): string {
  return asReplay(
    delivery,
    delivery.routingOutcome !== null && delivery.reason !== null ? delivery.reason : unroutedSummary(delivery),
  );
}

/** @param audit every audit record the delivery caused, oldest first */
export function tellDeliveryStory(delivery: Delivery, audit: readonly AuditRecord[]): DeliveryStory {
  const routed = audit.findLast((r) => r.kind === 'routing.outcome' && ROUTED_OUTCOMES.includes(r.decision));
  const candidates = candidatesOf(audit);
  const outcome = (routed?.decision ?? 'not_routed') as RoutingOutcome;
  const told = routed?.reason ?? unroutedSummary(delivery);
  return {
    traceId: traceIdOf(delivery.traceparent) ?? audit.find((r) => r.traceId !== null)?.traceId ?? null,
    summary: asReplay(delivery, told),
    outcome,
    candidates,
  };
}

// A delivery's own audit can be long (a resync of a large installation writes one record per
// row): the story shows the first ones and says where the rest are.
const STORY_AUDIT_LIMIT = 500;

/** The story of one stored delivery (R10): what it caused, which triggers it woke and why not. */
export async function readDeliveryStory(
  store: AuditStore,
  delivery: Delivery,
): Promise<DeliveryStory & { audit: AuditRecord[]; auditTruncated: boolean }> {
  const audit = await store.listAudit({ limit: STORY_AUDIT_LIMIT + 1, deliveryId: delivery.id });
  const routing = await routingRecordsOf(store, delivery.id);
  // Routing records may lie past the first page of a long audit: read them on their own.
  const records = new Map([...audit, ...routing].map((record) => [record.seq, record]));
  const story = tellDeliveryStory(
    delivery,
    [...records.values()].sort((a, b) => a.seq - b.seq),
  );
  return { ...story, audit: audit.slice(0, STORY_AUDIT_LIMIT), auditTruncated: audit.length > STORY_AUDIT_LIMIT };
}
