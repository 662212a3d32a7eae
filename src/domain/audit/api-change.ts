import type { AuditDraft, AuditKind, AuditSource, AuditSubject, AuditValue } from './index.js';

/** Where a change made through the API came from (the request it answers) and when it was made. */
export interface ApiOrigin {
  source: AuditSource;
  at: Date;
}

/** The audit record of one change made through the API. */
export function apiDraft(
  origin: ApiOrigin,
  change: { kind: AuditKind; subject: AuditSubject; decision: string; before: AuditValue; after: AuditValue },
): AuditDraft {
  return {
    ...change,
    actor: 'api',
    source: origin.source,
    reason: null,
    traceId: null,
    deliveryId: null,
    occurredAt: origin.at.toISOString(),
  };
}

/** Plain JSON for the audit trail: entities are plain objects of JSON values. */
export const asAuditValue = (value: object | null): AuditValue => value as AuditValue;
