import type { Request } from 'express';
import type { AuditDraft, AuditKind, AuditSubject, AuditValue } from '../domain/audit/index.js';
import { apiDraft, type ApiOrigin } from '../domain/audit/api-change.js';

export { asAuditValue } from '../domain/audit/api-change.js';

/** Where a change made through the API comes from: the request, without its query. */
export const apiOrigin = (req: Request, now: Date): ApiOrigin => ({
  source: { type: 'api', id: `${req.method} ${req.originalUrl.split('?')[0]}` },
  at: now,
});

/** One audit record for a change made through the API. */
export function apiAudit(
  req: Request,
  now: Date,
  change: { kind: AuditKind; subject: AuditSubject; decision: string; before: AuditValue; after: AuditValue },
): AuditDraft {
  return apiDraft(apiOrigin(req, now), change);
}
