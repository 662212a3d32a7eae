import type { z } from 'zod';
import type * as deliveries from '../openapi/deliveries.js';
import type * as endpoints from '../openapi/endpoints.js';
import type * as investigation from '../openapi/investigation.js';
import type * as service from '../openapi/service.js';
import type * as wakes from '../openapi/wakes.js';

// Deliveries as the API shows them: the list, one delivery's story, a replay, the wake outbox,
// the runner endpoints it is pushed to.

export type DeliveryState = z.infer<typeof deliveries.deliveryState>;
export type RoutingOutcome = z.infer<typeof deliveries.routingOutcome>;
/** A delivery as clients see it; the raw payload stays in the store. */
export type DeliveryJson = z.infer<typeof deliveries.deliveryJson>;
/** `GET /api/deliveries`: newest first; `?outcome=woke_nothing` and friends narrow it. */
export type DeliveriesPage = z.infer<typeof deliveries.deliveriesPage>;
/** A delivery in a list: with its repo's name today and what its routing found. */
export type DeliveryItemJson = z.infer<typeof deliveries.deliveryListItem>;
/** `GET /api/deliveries/:deliveryId/payload`. */
export type DeliveryPayloadJson = z.infer<typeof investigation.deliveryPayloadAnswer>;
/** `GET /api/search?q=`: what the search box text names. */
export type SearchAnswer = z.infer<typeof investigation.searchAnswer>;
export type StoryCandidateJson = z.infer<typeof deliveries.storyCandidateJson>;
/** `GET /api/deliveries/:deliveryId`: the story of one delivery (R10). */
export type DeliveryStoryJson = z.infer<typeof deliveries.deliveryStoryJson>;
/** `POST /api/deliveries/:deliveryId/replay` (202). */
export type ReplayAnswer = z.infer<typeof deliveries.replayAnswer>;
/** A routing as a re-test tells it: what it decided, and which triggers it woke. */
export type RoutingToldJson = z.infer<typeof deliveries.routingToldJson>;
/** `POST /api/deliveries/:deliveryId/replay?dryRun=true` (200): nothing is written. */
export type DryRunReplayAnswer = z.infer<typeof deliveries.dryRunReplayAnswer>;

/** A trigger woken by a delivery: an outbox row for the platform's runner (docs/routing.md, "Wakes"). */
export type WakeJson = z.infer<typeof wakes.wakeJson>;
export type PushFacts = z.infer<typeof wakes.pushFacts>;
export type PullRequestFacts = z.infer<typeof wakes.pullRequestFacts>;
/** `GET /api/wakes`: oldest first; the cursor only moves forward. */
export type WakesPage = z.infer<typeof wakes.wakesPage>;

/** `POST /webhooks/github` (202 stored, 200 a repeated delivery id). */
export type WebhookAnswer = z.infer<typeof service.webhookAnswer>;

/** A runner endpoint (docs/wake-push.md); its secret is never shown. */
export type EndpointJson = z.infer<typeof endpoints.endpointJson>;
/** `GET /api/endpoints`. */
export type EndpointsPage = z.infer<typeof endpoints.endpointsPage>;
/** One wake queued for one endpoint, with every attempt made; `id` is the `webhook-id` sent. */
export type WakeSendJson = z.infer<typeof endpoints.wakeSendJson>;
/** `GET /api/endpoints/:id/sends`: newest first. */
export type SendsPage = z.infer<typeof endpoints.sendsPage>;
/** `POST /api/endpoints/:id/requeue`. */
export type RequeueAnswer = z.infer<typeof endpoints.requeueAnswer>;
