import type { Request } from 'express';
import type { AuditDraft, AuditSubject, AuditValue } from '../domain/audit.js';

/** One audit record for a change made through the API. */
export function apiAudit(
  req: Request,
  now: Date,
  change: { kind: string; subject: AuditSubject; decision: string; before: AuditValue; after: AuditValue },
): AuditDraft {
  return {
    ...change,
    actor: 'api',
    source: { type: 'api', id: `${req.method} ${req.originalUrl.split('?')[0]}` },
    reason: null,
    traceId: null,
    deliveryId: null,
    occurredAt: now.toISOString(),
  };
}

/** Plain JSON for the audit trail: entities are plain objects of JSON values. */
export const asAuditValue = (value: object | null): AuditValue => value as AuditValue;
