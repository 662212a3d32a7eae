import type { Delivery } from '../domain/delivery.js';
import type { ApplyDelivery, ApplyOutcome } from '../inbox/worker-contract.js';
import { parsePayload } from './read-payload.js';
import { routeDelivery, type RoutingResult } from './route-delivery.js';
import { deliveryContext } from './sync-context.js';
import { webhookHandlers, type EventHandler, type WebhookEffectDeps } from './webhook-effects.js';

/** Routes a delivery to the triggers of its repository; null when it names no repository. */
export type RouteDelivery = (delivery: Delivery, payload: string) => Promise<RoutingResult | null>;

/**
 * GitHub sends `ping` when a webhook is created or its settings change: receiving it proves
 * the URL and secret are right, and there is nothing else to reconcile or route.
 */
const confirmPing: EventHandler = async () => ({
  state: 'applied',
  reason: 'webhook configuration confirmed',
  audit: [],
});

/**
 * The one entry point from the inbox into reconciliation and routing. A delivery first changes
 * the routing model (when a handler knows its event), then is routed against the model as it
 * now is, so a rename or transfer is in place before its own event is matched to triggers.
 */
export function createDeliveryApplier(
  handlers: Readonly<Record<string, EventHandler>>,
  route: RouteDelivery,
): ApplyDelivery {
  const all: Readonly<Record<string, EventHandler>> = { ping: confirmPing, ...handlers };
  return async (delivery, payload) => {
    // Own keys only: an event named "constructor" or "__proto__" must not reach Object.prototype.
    const handler = Object.hasOwn(all, delivery.event) ? all[delivery.event] : undefined;
    // A replay re-tests routing only: applying an old payload's effects again could undo a
    // newer change (GITHUB-FACTS.md, Deliveries: order is not guaranteed).
    const handled = handler === undefined || delivery.replayOf !== null ? null : await handler(delivery, payload);
    const routed = delivery.event === 'ping' ? null : await route(delivery, payload);
    if (routed === null) {
      return (
        handled ?? {
          state: 'ignored',
          reason: `no handler for event "${delivery.event}" and no repository to route`,
          audit: [],
        }
      );
    }
    const outcome: ApplyOutcome = {
      state: handled?.state === 'applied' || routed.outcome !== 'no_candidates' ? 'applied' : 'ignored',
      reason: handled === null ? routed.summary : `${handled.reason ?? handled.state}; ${routed.summary}`,
      audit: [...(handled?.audit ?? []), ...routed.audit],
      wakes: routed.wakes,
      routingOutcome: routed.outcome,
    };
    return outcome;
  };
}

/** The worker's apply step: the webhook effects (R7), then routing (R9). */
export function reconcileDeliveries(deps: WebhookEffectDeps): ApplyDelivery {
  return createDeliveryApplier(webhookHandlers(deps), (delivery, payload) =>
    routeDelivery(deps.store, deliveryContext(delivery, deps.now), delivery, parsePayload(payload)),
  );
}
