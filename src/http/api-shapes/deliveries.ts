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

/** A delivery in a list: with its repo's name today and what its routing found. */
export interface DeliveryItemJson extends DeliveryJson {
  repoFullName: string | null;
  outcome: RoutingOutcome;
  summary: string;
  traceId: string | null;
  /** A reason of its routing is a problem, not an expected non-match (domain/reason-classes.ts). */
  problem: boolean;
  /** Distinct reason codes of its routing's candidates that did not wake ('no_candidates' when it had none). */
  reasons: string[];
}

/** `GET /api/deliveries`: newest first; the filters of docs/search.md narrow it. */
export interface DeliveriesPage {
  deliveries: DeliveryItemJson[];
  nextCursor: string | null;
}

/** `GET /api/deliveries/:deliveryId/payload`. */
export interface DeliveryPayloadJson {
  deliveryId: string;
  event: string;
  action: string | null;
  receivedAt: string;
  /** As GitHub sent them (lower-case names), without X-Hub-Signature*. */
  headers: Record<string, string>;
  payload: Record<string, unknown>;
}

/** `GET /api/search?q=`: what the search box text names. */
export interface SearchAnswer {
  query: string;
  matches: {
    kind: 'repo' | 'delivery' | 'trigger' | 'automation' | 'installation' | 'trace' | 'user';
    id: string;
    label: string;
    detail: string | null;
    formerName?: string;
  }[];
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

/** A runner endpoint (docs/wake-push.md); its secret is never shown. */
export interface EndpointJson {
  id: string;
  url: string;
  secretSet: boolean;
  filter: { automationIds: string[] | null; userIds: string[] | null; events: string[] | null };
  enabled: boolean;
  /** `config` for the endpoint WAKE_ENDPOINT_URL defines. */
  source: 'api' | 'config';
  /** `paused` while its circuit is open (it kept failing), `failing` while failures accrue. */
  condition: 'disabled' | 'paused' | 'failing' | 'healthy';
  /** Sends waiting for an attempt or in one. */
  pending: number;
  consecutiveFailures: number;
  pausedUntil: string | null;
  lastFailure: string | null;
  lastSuccessAt: string | null;
  /** The outbox position through which wakes were queued for it. */
  queuedThroughSeq: number;
  updatedAt: string;
}

/** `GET /api/endpoints`. */
export interface EndpointsPage {
  endpoints: EndpointJson[];
}

/** One wake queued for one endpoint, with every attempt made; `id` is the `webhook-id` sent. */
export interface WakeSendJson {
  id: string;
  seq: number;
  endpointId: string;
  wakeId: string;
  state: 'pending' | 'sending' | 'delivered' | 'given_up';
  attempts: number;
  nextAttemptAt: string | null;
  attemptLog: { at: string; status: number | null; error: string | null; durationMs: number }[];
  createdAt: string;
  finishedAt: string | null;
  /** The wake as it was sent. */
  wake: unknown;
}

/** `GET /api/endpoints/:id/sends`: newest first. */
export interface SendsPage {
  sends: WakeSendJson[];
  nextCursor: string | null;
}

/** `POST /api/endpoints/:id/requeue`. */
export interface RequeueAnswer {
  requeued: number;
}
