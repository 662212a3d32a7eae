import type { AuditActor, AuditDraft, AuditKind, AuditSource, AuditSubject, AuditValue } from './audit/index.js';

/**
 * Where a decision is also seen as it is made: the active span (R11). Passed in, so that the
 * domain stays free of telemetry; telemetry/tracing.ts has the live one.
 */
export interface DecisionTrace {
  /** The trace id of the active span, or null when nothing is traced. */
  traceId(): string | null;
  event(name: string, attributes: Record<string, string | number>): void;
}

/** Who asked for the decisions being recorded, carried into every audit record they write. */
export interface AuditContext {
  actor: AuditActor;
  source: AuditSource;
  deliveryId: string | null;
  /** The trace the context was made in: the record's trace id when no span is active. */
  traceId: string | null;
  now: () => Date;
  trace: DecisionTrace;
}

export interface AuditFacts {
  kind: AuditKind;
  subject: AuditSubject;
  decision: string;
  reason?: string | null;
  before?: AuditValue;
  after?: AuditValue;
}

/** One decision as an audit draft, told to the active span as an event on the way. */
export function auditFor(context: AuditContext, record: AuditFacts): AuditDraft {
  // Every decision is also an event on the span that made it (R11).
  context.trace.event(record.kind, {
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
    traceId: context.trace.traceId() ?? context.traceId,
    deliveryId: context.deliveryId,
    occurredAt: context.now().toISOString(),
  };
}
