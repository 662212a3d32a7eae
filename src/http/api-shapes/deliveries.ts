import type { AuditRecordJson } from './audit.js';

// Deliveries as the API shows them: the list, one delivery's story, a replay, the wake outbox.

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
  dryRun: false;
}

/** A routing as a re-test tells it: what it decided, and which triggers it woke. */
export interface RoutingToldJson {
  outcome: RoutingOutcome;
  summary: string;
  woke: string[];
  candidates: StoryCandidateJson[];
}

/** `POST /api/deliveries/:deliveryId/replay?dryRun=true` (200): what would wake now next to what woke then; nothing is written. */
export interface DryRunReplayAnswer {
  dryRun: true;
  deliveryId: string;
  then: RoutingToldJson;
  now: RoutingToldJson;
  changed: { triggerId: string; then: 'woken' | 'not_woken' | null; now: 'woken' | 'not_woken' | null }[];
}

/** A trigger woken by a delivery: an outbox row for the platform's runner (docs/routing.md, "Wakes"). */
export interface WakeJson {
  /** `<deliveryId>:<triggerId>`: one delivery wakes a trigger at most once. */
  id: string;
  seq: number;
  deliveryId: string;
  triggerId: string;
  automationId: string | null;
  userId: string;
  repoId: number;
  repoFullName: string | null;
  installationId: number;
  event: string;
  action: string | null;
  push: PushFacts | null;
  pullRequest: PullRequestFacts | null;
  /** True for the wakes of a replay: a re-test of a route, which a runner may choose not to run. */
  replay: boolean;
  replayOf: string | null;
  /** When it woke. */
  createdAt: string;
}

/** What was pushed; null where the payload did not say. */
export interface PushFacts {
  ref: string | null;
  before: string | null;
  after: string | null;
  headCommit: { id: string; timestamp: string | null; url: string | null } | null;
}

/** A pull request's number and both ends; null where the payload did not say. */
export interface PullRequestFacts {
  number: number | null;
  headSha: string | null;
  headRef: string | null;
  baseSha: string | null;
  baseRef: string | null;
}

/** `GET /api/wakes`: oldest first; the cursor only moves forward. */
export interface WakesPage {
  wakes: WakeJson[];
  nextCursor: string | null;
}

/** `POST /webhooks/github` (202 stored, 200 a repeated delivery id). */
export interface WebhookAnswer {
  status: string;
  deliveryId: string;
  state: DeliveryState;
}
