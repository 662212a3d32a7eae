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
  /** `id` is null when the first bad record is a missing one (a tail deleted after a signed checkpoint). */
  broken: { ok: false; seq: number; id: string | null; problem: string } | null;
  /** The newest signed checkpoint whose records all matched (docs/audit.md); null when none did. */
  signedCheckpoint: { number: number; seq: number; signedAt: string; keyId: string } | null;
  /** False when the service has no audit signing key: only the hash chain was checked. */
  signedCheckpointsChecked: boolean;
}

/** `POST /api/audit/prune`. */
export interface AuditPruneAnswer {
  pruned: number;
  checkpoint: AuditCheckpointJson | null;
}
