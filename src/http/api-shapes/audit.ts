// The audit trail as the API shows it: records, search pages, the chain's verification and pruning.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface AuditSubjectJson {
  userId?: string;
  repoId?: number;
  repoFullName?: string;
  installationId?: number;
  automationId?: string;
  triggerId?: string;
}

export interface AuditRecordJson {
  id: string;
  seq: number;
  schemaVersion: number;
  kind: string;
  actor: string;
  source: { type: string; id: string };
  subject: AuditSubjectJson;
  decision: string;
  reason: string | null;
  before: Json;
  after: Json;
  traceId: string | null;
  deliveryId: string | null;
  occurredAt: string;
  recordedAt: string;
  prevHash: string | null;
  hash: string;
}

/** `GET /api/audit`. */
export interface AuditPage {
  records: AuditRecordJson[];
  nextCursor: string | null;
}

/** `POST /api/audit/prune`. */
export interface AuditPruneRequest {
  before: string;
}

export interface AuditCheckpointJson {
  seq: number;
  hash: string;
  prunedAt: string;
  /** Records removed so far, over every prune. */
  pruned: number;
}

/** `GET /api/audit/verify`. */
export interface AuditVerifyAnswer {
  ok: boolean;
  checked: number;
  firstSeq: number | null;
  lastSeq: number | null;
  checkpoint: AuditCheckpointJson | null;
  broken: { ok: false; seq: number; id: string; problem: string } | null;
}

/** `POST /api/audit/prune`. */
export interface AuditPruneAnswer {
  pruned: number;
  checkpoint: AuditCheckpointJson | null;
}
