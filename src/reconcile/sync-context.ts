import { randomUUID } from 'node:crypto';
import type {
  AuditActor,
  AuditDraft,
  AuditKind,
  AuditSource,
  AuditSubject,
  AuditValue,
} from '../domain/audit/index.js';
import type { Delivery } from '../domain/delivery.js';
import { addSpanEvent, currentTraceId } from '../telemetry/tracing.js';

/** Who asked for a reconciliation, carried into every audit record it writes. */
/** One page of a sync run read from GitHub: how far that run is. */
export interface PageProgress {
  /** Which run: `installation:<id>` or `oauth`. */
  run: string;
  page: number;
  lastPage: number;
  reposSeen: number;
}

export interface ReconcileContext {
  actor: AuditActor;
  source: AuditSource;
  deliveryId: string | null;
  traceId: string | null;
  now: () => Date;
  /** Told after every page a sync reads (long syncs show progress). */
  onPage?: (progress: PageProgress) => void;
}

export function auditFor(
  context: ReconcileContext,
  record: {
    kind: AuditKind;
    subject: AuditSubject;
    decision: string;
    reason?: string | null;
    before?: AuditValue;
    after?: AuditValue;
  },
): AuditDraft {
  // Every decision is also an event on the span that made it (R11).
  addSpanEvent(record.kind, {
    'reconciler.decision': record.decision,
    ...(record.reason ? { 'reconciler.reason': record.reason } : {}),
    ...Object.fromEntries(
      Object.entries(record.subject).map(([key, value]) => [`reconciler.subject.${key}`, value as string | number]),
    ),
  });
  return {
    kind: record.kind,
    actor: context.actor,
    source: context.source,
    subject: record.subject,
    decision: record.decision,
    reason: record.reason ?? null,
    before: record.before ?? null,
    after: record.after ?? null,
    traceId: currentTraceId() ?? context.traceId,
    deliveryId: context.deliveryId,
    occurredAt: context.now().toISOString(),
  };
}

/** The context of everything one delivery causes: its audit records all carry its id. */
export function deliveryContext(delivery: Pick<Delivery, 'id'>, now: () => Date): ReconcileContext {
  return {
    actor: 'webhook',
    source: { type: 'delivery', id: delivery.id },
    deliveryId: delivery.id,
    traceId: currentTraceId(),
    now,
  };
}

/** The context of a read through the API that may write (metadata refresh, R6). */
export function apiContext(now: () => Date): ReconcileContext {
  return { actor: 'api', source: { type: 'api', id: randomUUID() }, deliveryId: null, traceId: currentTraceId(), now };
}
