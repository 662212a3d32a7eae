import type { z } from 'zod';
import type * as audit from '../openapi/audit.js';

// The audit trail as the API shows it: records, search pages, the chain's verification and pruning.

export type { Json } from '../openapi/fields.js';
export type AuditSubjectJson = z.infer<typeof audit.auditSubjectJson>;
export type AuditRecordJson = z.infer<typeof audit.auditRecordJson>;
/** `GET /api/audit`. */
export type AuditPage = z.infer<typeof audit.auditPage>;
/** `POST /api/audit/prune`. */
export type AuditPruneRequest = z.input<typeof audit.auditPruneRequest>;
export type AuditCheckpointJson = z.infer<typeof audit.auditCheckpointJson>;
/** `GET /api/audit/verify`. */
export type AuditVerifyAnswer = z.infer<typeof audit.auditVerifyAnswer>;
/** `POST /api/audit/prune`. */
export type AuditPruneAnswer = z.infer<typeof audit.auditPruneAnswer>;
