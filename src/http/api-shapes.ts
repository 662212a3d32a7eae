// The HTTP API's request and response shapes (REQUIREMENTS.md, "Shapes"), declared once: the
// routes check what they send against them (`satisfies`), and the CLI and the Observability view
// read the answers as them. Fields may be added, none renamed.
//
// Self-contained on purpose: the view (src/http/view/app, its own DOM program) imports these
// types, so this file must not pull server modules into the browser's type check.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every error: `{ "error": { "code", "message" } }` with a fitting status. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

// ---- audit ----------------------------------------------------------------------------------

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

// ---- deliveries -----------------------------------------------------------------------------

export type DeliveryState = 'received' | 'processing' | 'applied' | 'ignored' | 'failed';
export type RoutingOutcome = 'woke' | 'woke_none' | 'no_candidates' | 'not_routed';

/** A delivery as clients see it; the raw payload stays in the store. */
export interface DeliveryJson {
  id: string;
  event: string;
  action: string | null;
  installationId: number | null;
  repoId: number | null;
  state: DeliveryState;
  attempts: number;
  error: string | null;
  reason: string | null;
  receivedAt: string;
  processedAt: string | null;
  nextAttemptAt: string | null;
  replayOf: string | null;
}

/** `GET /api/deliveries`: newest first; `?outcome=woke_nothing` and friends narrow it. */
export interface DeliveriesPage {
  deliveries: (DeliveryJson & { outcome: RoutingOutcome; summary: string; traceId: string | null })[];
  nextCursor: string | null;
}

export interface StoryCandidateJson {
  triggerId: string;
  automationId: string | null;
  userId: string | null;
  outcome: 'woken' | 'not_woken';
  reason: string | null;
  detail: string | null;
  fix: string | null;
  boundInstallationId: number | null;
}

/** `GET /api/deliveries/:deliveryId`: the story of one delivery (R10). */
export interface DeliveryStoryJson {
  delivery: DeliveryJson;
  traceId: string | null;
  summary: string;
  outcome: RoutingOutcome;
  candidates: StoryCandidateJson[];
  audit: AuditRecordJson[];
  auditTruncated: boolean;
}

/** `POST /api/deliveries/:deliveryId/replay` (202). */
export interface ReplayAnswer {
  deliveryId: string;
  replayOf: string;
}

// ---- diagnosis and the overview -------------------------------------------------------------

export interface DiagnosisStepJson {
  step: 1 | 2 | 3 | 4 | 5;
  name: string;
  status: 'ok' | 'problem' | 'unknown';
  evidence: string;
  next: string | null;
}

/** `GET /api/diagnose?userId=&repo=owner/name`. */
export interface DiagnosisJson {
  userId: string;
  repo: string;
  steps: DiagnosisStepJson[];
}

export type Coverage = 'covered' | 'visible_only' | 'bound_to_gone';
export type InstallationState = 'active' | 'suspended' | 'deleted';
export type RebindSkipReason = 'no_installations' | 'several_installations' | 'installation_mismatch';

/** `GET /api/summary`: what the Observability view's cards show. */
export interface SummaryJson {
  coverage: Record<Coverage, number>;
  installations: Record<InstallationState, number>;
  inbox: { pending: number; oldestReceivedAt: string | null };
  rebindSkips: { total: number; byReason: Record<string, number>; recent: AuditRecordJson[] };
}

// ---- sync -----------------------------------------------------------------------------------

/** `POST /api/users/:userId/sync`. */
export interface SyncRequest {
  oauthToken?: string;
}

export type RowDecision = 'created' | 'updated' | 'covered' | 'detached' | 'preserved' | 'unchanged' | 'propagated';
export type DecisionCounts = Record<RowDecision, number>;

export type RebindOutcomeJson =
  | { userId: string; outcome: 'rebound'; to: number; entities: { type: string; id: string; from: number }[] }
  | { userId: string; outcome: 'skipped'; reason: string; installationIds: number[] };

export interface InstallationSyncJson {
  kind: 'installation';
  installationId: number;
  status: 'completed' | 'suspended' | 'deleted' | 'failed';
  message: string | null;
  retryable: boolean;
  retryAfterMs: number | null;
  pages: number;
  reposListed: number;
  counts: DecisionCounts;
  rebind: RebindOutcomeJson[];
}

export interface OAuthSyncJson {
  kind: 'oauth';
  userId: string;
  status: 'completed' | 'failed';
  message: string | null;
  pages: number;
  reposListed: number;
  counts: DecisionCounts;
}

/** What a sync decided (the answer of a synchronous `POST /api/users/:userId/sync`). */
export interface UserSyncJson {
  syncId: string;
  userId: string;
  traceId: string | null;
  installationSync: { available: boolean; reason: string | null; runs: InstallationSyncJson[] };
  oauthSync: OAuthSyncJson | null;
  counts: DecisionCounts;
  rebind: RebindOutcomeJson[];
}

/** `POST /api/users/:userId/sync?async=1` (202). */
export interface SyncStarted {
  syncId: string;
  joined: boolean;
  state: SyncProgressJson['state'];
  progress: string;
}

/** `GET /api/syncs/:syncId`, and each of `GET /api/syncs`. */
export interface SyncProgressJson {
  syncId: string;
  userId: string;
  state: 'running' | 'completed' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  /** Pages read so far, over every run of the sync (one per installation, then OAuth). */
  pagesDone: number;
  /** Pages known so far, from GitHub's Link header of each run begun. */
  pagesTotal: number;
  reposSeen: number;
  decisions: DecisionCounts;
  result: UserSyncJson | null;
  error: string | null;
}

export interface SyncsPage {
  syncs: SyncProgressJson[];
}
